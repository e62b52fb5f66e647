// The built server's resident memory, as an operator runs it (`node packages/server/dist/main.js`,
// production, PostgreSQL): idle after start, then after each of three rounds of load on the
// widget's config and readiness, then idle again. Growth across rounds would be a leak: the
// first round grows V8's young generation to its working size, so growth is counted from the second.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import type { Benchmark } from './run.js';
import { withScratchDatabase } from './scratch-database.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = 5;

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const serverMemory: Benchmark = {
  name: 'server memory: the built server on PostgreSQL',
  async run() {
    if (!existsSync(`${REPO}packages/server/dist/main.js`)) return ['skipped: run `corepack pnpm build` first (this measures what operators run)'];
    return withScratchDatabase(measureBuiltServer);
  },
};

async function measureBuiltServer(databaseUrl: string): Promise<string[]> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['packages/server/dist/main.js'], {
    cwd: REPO,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PUBLIC_URL: base,
      SMTP_URL: 'smtp://127.0.0.1:9',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      PUBLIC_RATE_LIMIT: '100000',
      // The demo gives the load a workspace and studies to read; its pages are not served.
      SEED_DEMO: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    for (let i = 0; i < 300 && !(await fetch(`${base}/readyz`).then((r) => r.ok, () => false)); i++) await sleep(100);
    const benchDatabase = new pg.Client({ connectionString: databaseUrl });
    await benchDatabase.connect();
    const { rows } = await benchDatabase.query<{ public_key: string }>('select public_key from workspaces limit 1');
    await benchDatabase.end();
    const publicKey = rows[0]!.public_key;
    await sleep(2_000);
    const lines = [`idle after start: ${rssMb(server.pid!).toFixed(0)} MB RSS`];
    const after: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await autocannon({ url: `${base}/v1/w/${publicKey}/config`, connections: 50, duration: 3, headers: { 'accept-encoding': 'br, gzip' } });
      await autocannon({ url: `${base}/readyz`, connections: 10, duration: 1 });
      after.push(rssMb(server.pid!));
    }
    lines.push(`after each of ${ROUNDS} load rounds (50 connections, config and readiness): ${after.map((mb) => mb.toFixed(0)).join(', ')} MB`);
    const growth = after.at(-1)! - after[1]!;
    lines.push(`growth from round 2 to round ${ROUNDS}: ${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MB`);
    await sleep(3_000);
    lines.push(`idle again: ${rssMb(server.pid!).toFixed(0)} MB`);
    return lines;
  } catch (error) {
    throw new Error(`${String(error)}\n${output}`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
}
