// Which real services the suites can use. A missing service skips its suites with one line
// saying how to enable them; with BECKON_REQUIRE_SERVICES=1 (CI) a missing service fails the run.
// With PostgreSQL there, this run's migrated template database is made here, once: each test
// database is a copy of it (CREATE DATABASE … TEMPLATE, tens of milliseconds) instead of an
// empty database migrated from scratch by every test file.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.js';
import { oncePerRun } from './once-per-run.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    /** The migrated database every PostgreSQL test database is copied from (null without PostgreSQL). */
    postgresTemplate: string | null;
  }
}

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** `serverUrl` pointed at the database `name` on the same server. */
export function databaseUrl(serverUrl: string, name: string): string {
  const parsed = new URL(serverUrl);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Runs one statement on the server's maintenance connection (CREATE and DROP DATABASE). */
export async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

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

/** A database with every committed migration applied, and nobody connected to it (a template must have no sessions). */
async function makeTemplate(serverUrl: string): Promise<string> {
  const name = `beckon_template_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, `create database ${name}`);
  const handle = await openDatabase({ databaseUrl: databaseUrl(serverUrl, name), dataDir: '', poolSize: 2 }); // migrate() holds a lock on one connection and migrates on another
  try {
    await handle.migrate();
  } catch (error) {
    await handle.close();
    await onServer(serverUrl, `drop database if exists ${name} with (force)`);
    throw error;
  }
  await handle.close();
  return name;
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const required = process.env.BECKON_REQUIRE_SERVICES === '1';
  const url = process.env.TEST_DATABASE_URL ?? DEFAULT_POSTGRES_URL;
  const postgresUrl = await probePostgres(url);
  if (!postgresUrl) {
    const line = `PostgreSQL not reachable at ${url.replace(/\/\/[^@]*@/, '//')}: PostgreSQL suites skipped, the server suite runs on PGlite only (start PostgreSQL or set TEST_DATABASE_URL)`;
    if (required) throw new Error(`BECKON_REQUIRE_SERVICES=1 but ${line}`);
    // Several projects share this setup in one run; say it once.
    if (!process.env.BECKON_POSTGRES_SKIP_SAID) console.warn(`[skip] ${line}`);
    process.env.BECKON_POSTGRES_SKIP_SAID = '1';
    project.provide('postgresUrl', null);
    project.provide('postgresTemplate', null);
    return undefined;
  }
  const template = await oncePerRun(`postgres template ${postgresUrl}`, () => makeTemplate(postgresUrl), (name) =>
    onServer(postgresUrl, `drop database if exists ${name} with (force)`),
  );
  project.provide('postgresUrl', postgresUrl);
  project.provide('postgresTemplate', template.value);
  return template.release;
}
