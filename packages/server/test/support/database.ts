// Real databases for tests: a fresh PostgreSQL database per test file (created on the server
// and dropped afterwards), or an in-memory PGlite. Both are migrated like production.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';

export type DatabaseKind = 'postgres' | 'pglite';

/** PostgreSQL when the server is reachable, else PGlite: the kind the whole server suite runs on. */
export const primaryKind: DatabaseKind = inject('postgresUrl') ? 'postgres' : 'pglite';

/** Every kind available here; suites about the database itself run on each. */
export const availableKinds: DatabaseKind[] = inject('postgresUrl') ? ['pglite', 'postgres'] : ['pglite'];

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A test database; `url` is set on PostgreSQL, for processes started by the test. */
export type TestDatabase = DatabaseHandle & { url?: string };

export async function openTestDatabase(kind: DatabaseKind = primaryKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let handle: DatabaseHandle;
  let url: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  if (kind === 'pglite') {
    handle = await openDatabase({ databaseUrl: undefined, dataDir: '', inMemory: true });
  } else {
    const serverUrl = inject('postgresUrl');
    if (!serverUrl) throw new Error('PostgreSQL is not available in this run');
    const name = `beckon_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    url = withDatabase(serverUrl, name);
    handle = await openDatabase({ databaseUrl: url, dataDir: '', poolSize: 8 });
    drop = async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    };
  }
  if (options.migrate !== false) await handle.migrate();
  const close = handle.close.bind(handle);
  return {
    ...handle,
    url,
    close: async () => {
      await close();
      await drop?.();
    },
  };
}
