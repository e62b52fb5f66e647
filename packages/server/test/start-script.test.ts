// `corepack pnpm start` runs scripts/start.mjs through a shell. Stopping the shell (what pnpm
// does on SIGTERM) must stop the server too, not leave it running without a parent.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, migratedDataDir, waitFor } from './support/process.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

describe('the start script', () => {
  const dataDir = migratedDataDir('beckon-start-');
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stops the server when the shell that started it is stopped', async () => {
    const port = await freePort();
    const shell = spawn('sh', ['-c', 'node --import tsx scripts/start.mjs'], {
      cwd: REPO,
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    shell.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    shell.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 120_000);
      expect(output).toContain('/admin');
      shell.kill('SIGTERM');
      await once(shell, 'exit');
      // The server noticed it was left behind and stopped: nothing answers on its port.
      await waitFor(() => fetch(`http://127.0.0.1:${port}/healthz`).then(() => false, () => true), 30_000);
    } finally {
      shell.kill('SIGKILL');
    }
  }, 180_000);
});
