// The real process on SIGTERM: stops accepting, finishes the request in flight, exits 0.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, migratedDataDir, waitFor } from './support/process.js';

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));

describe('graceful shutdown of the real process', () => {
  const dataDir = migratedDataDir('beckon-shutdown-');
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finishes the request in flight after SIGTERM, refuses new connections, and exits 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: SERVER_DIR,
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');
    try {
      // The embedded database is migrated already; the start seeds the demo (its key is printed below).
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 100_000);
      expect(output).toContain(`/demo`);
      expect(output).toContain(`/docs`);
      // The demo API key is printed in the banner (and kept, sealed, in the database it belongs to).
      await waitFor(async () => /Demo API key\s+sk_/.test(output), 10_000);
      const secretKey = /Demo API key\s+(sk_[\w-]+)/.exec(output)![1]!;

      // A request whose body is only half sent is in flight when the signal arrives.
      const body = JSON.stringify({ email: 'late@acme.test', name: 'Late', timeZone: 'Europe/Berlin' });
      const socket = net.connect(port, '127.0.0.1');
      await once(socket, 'connect');
      let response = '';
      socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
      socket.write(
        `POST /v1/admin/members HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${secretKey}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGTERM');
      await waitFor(async () => output.includes('stopping'), 5_000);

      // No new connections once stopping.
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

      socket.write(body.slice(10));
      await once(socket, 'end');
      expect(response).toMatch(/^HTTP\/1\.1 201/);
      const [code] = await exited;
      expect(code, output).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 150_000);
});
