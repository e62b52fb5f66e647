// Which real services the suites can use. A missing service skips its suites with one line
// saying how to enable them; with BECKON_REQUIRE_SERVICES=1 (CI) a missing service fails the run.
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
  }
}

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function probePostgres(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return url;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const required = process.env.BECKON_REQUIRE_SERVICES === '1';
  const url = process.env.TEST_DATABASE_URL ?? DEFAULT_POSTGRES_URL;
  const postgresUrl = await probePostgres(url);
  if (!postgresUrl) {
    const line = `PostgreSQL not reachable at ${url.replace(/\/\/[^@]*@/, '//')}: PostgreSQL suites skipped, the server suite runs on PGlite only (start PostgreSQL or set TEST_DATABASE_URL)`;
    if (required) throw new Error(`BECKON_REQUIRE_SERVICES=1 but ${line}`);
    // Several projects share this setup in one run; say it once.
    if (!process.env.BECKON_POSTGRES_SKIP_SAID) console.warn(`[skip] ${line}`);
    process.env.BECKON_POSTGRES_SKIP_SAID = '1';
  }
  project.provide('postgresUrl', postgresUrl);
}
