// Cheap routes of the real server (GET /healthz, GET /readyz on the embedded database) against
// a bare Fastify hello-world started in the same run: the ratio is Beckon's per-request overhead
// (hooks, logging, validation, a database round trip), independent of the machine's speed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { buildApp } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/config.js';
import type { Benchmark } from './run.js';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 16;

async function requestsPerSecond(url: string): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_SECONDS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

export const httpOverhead: Benchmark = {
  name: 'http overhead: cheap routes vs bare Fastify',
  async run() {
    const bare = Fastify();
    bare.get('/hello', async () => ({ hello: 'world' }));
    const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

    const dataDir = mkdtempSync(path.join(tmpdir(), 'beckon-bench-'));
    const config = { ...loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), runWorker: false, seedDemo: false };
    const app = await buildApp({ config });
    const appUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const baseline = await requestsPerSecond(`${bareUrl}/hello`);
      const healthz = await requestsPerSecond(`${appUrl}/healthz`);
      const readyz = await requestsPerSecond(`${appUrl}/readyz`);
      const line = (label: string, rps: number) => `${label.padEnd(34)} ${rps.toFixed(0).padStart(7)} req/s   ratio ${(rps / baseline).toFixed(2)}`;
      return [
        `${CONNECTIONS} connections, ${DURATION_SECONDS} s each, loopback; logs at warn`,
        line('bare Fastify GET /hello', baseline),
        line('Beckon GET /healthz', healthz),
        line(`Beckon GET /readyz (${app.database.kind})`, readyz),
      ];
    } finally {
      await Promise.all([bare.close(), app.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
