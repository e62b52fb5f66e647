// Vitest global set-up: this run's migrated PGlite, made once and saved as a dump of its data
// directory. An embedded test database starts from a copy of it (PGlite's loadDataDir), which
// skips initdb and the migrations: under a second instead of several per test file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.js';
import { oncePerRun } from './once-per-run.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A file holding the dump (uncompressed tar) of a migrated PGlite data directory. */
    pgliteTemplate: string;
  }
}

async function makeTemplate(): Promise<string> {
  const handle = await openDatabase({ databaseUrl: undefined, dataDir: '', inMemory: true });
  try {
    await handle.migrate();
    // drizzle keeps the client it was given; only this set-up needs it.
    const client = (handle.db as unknown as { $client: PGlite }).$client;
    // Uncompressed: 40 MB on disk, but loading it is several times faster than a gzipped one.
    const dump = await client.dumpDataDir('none');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'beckon-pglite-template-')), 'migrated.tar');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    return file;
  } finally {
    await handle.close();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = await oncePerRun('pglite template', makeTemplate, async (file) => rmSync(path.dirname(file), { recursive: true, force: true }));
  project.provide('pgliteTemplate', template.value);
  return template.release;
}
