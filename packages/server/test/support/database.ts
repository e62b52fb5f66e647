// Real databases for tests: a fresh PostgreSQL database per test file (created on the server
// and dropped afterwards), or an in-memory PGlite. Both are migrated like production: a migrated
// database is a copy of this run's template, which the global set-up migrated once (services.ts
// on PostgreSQL, pglite-template.ts on PGlite); `{ migrate: false }` gives an empty one.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { databaseUrl, onServer } from './services.js';
import type {} from './pglite-template.js';

export type DatabaseKind = 'postgres' | 'pglite';

/** PostgreSQL when the server is reachable, else PGlite: the kind the whole server suite runs on. */
export const primaryKind: DatabaseKind = inject('postgresUrl') ? 'postgres' : 'pglite';

/** Every kind available here; suites about the database itself run on each. */
export const availableKinds: DatabaseKind[] = inject('postgresUrl') ? ['pglite', 'postgres'] : ['pglite'];

/** A test database; `url` is set on PostgreSQL, for processes started by the test. */
export type TestDatabase = DatabaseHandle & { url?: string };

function provided<T>(value: T | null | undefined, what: string): T {
  if (value == null) throw new Error(`${what} is not in this run: add the server's test/support/${what === 'pgliteTemplate' ? 'pglite-template' : 'services'}.ts to this project's globalSetup`);
  return value;
}

/**
 * The migrated PGlite's dump, read from disk once per worker and kept for its later files (it is
 * tens of MB; a Blob is immutable, so each database loads its own copy from the same one). Kept
 * on globalThis so a project that re-imports this module per file still reads it once.
 */
const templates = ((globalThis as { __beckonPgliteTemplates?: Map<string, Blob> }).__beckonPgliteTemplates ??= new Map());
function pgliteTemplate(): Blob {
  const file = provided(inject('pgliteTemplate'), 'pgliteTemplate');
  let blob = templates.get(file);
  if (!blob) {
    blob = new Blob([readFileSync(file)]);
    templates.clear(); // another run's (a watch-mode rerun makes a new template)
    templates.set(file, blob);
  }
  return blob;
}

export async function openTestDatabase(kind: DatabaseKind = primaryKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrate !== false;
  if (kind === 'pglite') {
    const loadDataDir = migrated ? pgliteTemplate() : undefined;
    return openDatabase({ databaseUrl: undefined, dataDir: '', inMemory: true, loadDataDir });
  }
  const serverUrl = provided(inject('postgresUrl'), 'postgresUrl');
  const name = `beckon_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, migrated ? `create database ${name} template ${provided(inject('postgresTemplate'), 'postgresTemplate')}` : `create database ${name}`);
  const url = databaseUrl(serverUrl, name);
  const handle = await openDatabase({ databaseUrl: url, dataDir: '', poolSize: 8 });
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      await onServer(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}
