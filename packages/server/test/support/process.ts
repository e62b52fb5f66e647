// For tests that start the server as a real process: a free port, a data directory whose embedded
// database is already migrated, and waiting for a condition.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type {} from './pglite-template.js';

/** A port nothing listens on now, closed again before it is handed back. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Polls until `check` is true (a throw counts as not yet), or fails after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('timed out');
}

/**
 * A new DATA_DIR holding this run's migrated PGlite (pglite-template.ts), where the server keeps
 * its embedded database (<DATA_DIR>/pglite), as an earlier start would have left it. A server
 * started on it skips PGlite's first-start initdb, which takes tens of seconds on a busy machine;
 * the first start on an empty folder is build.test.ts's (the deployed image on a fresh volume).
 */
export function migratedDataDir(prefix: string): string {
  const template = inject('pgliteTemplate');
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  mkdirSync(path.join(dataDir, 'pglite'));
  // The dump is a tar of the data directory's contents; GNU tar drops its leading slashes.
  execFileSync('tar', ['-xf', template, '-C', path.join(dataDir, 'pglite')], { stdio: 'pipe' });
  return dataDir;
}
