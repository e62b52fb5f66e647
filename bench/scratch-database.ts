// Benchmarks that need PostgreSQL each get a database of their own, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const POSTGRES = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs `run` with the URL of a new, empty database, and drops it (connections and all) whatever happens. */
export async function withScratchDatabase<T>(run: (databaseUrl: string) => Promise<T>): Promise<T> {
  const name = `beckon_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
    const url = new URL(POSTGRES);
    url.pathname = `/${name}`;
    return await run(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
