// Cheap routes of the real server (GET /healthz, GET /readyz on the embedded database, and the
// widget's config route of the seeded demo workspace) against a bare Fastify hello-world started
// in the same run: the ratio is Beckon's per-request overhead (hooks, logging, validation,
// database round trips), independent of the machine's speed. Then a cold start: a fresh server
// takes 500 concurrent config requests at once, and the errors are counted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/config.js';
import { openDatabase, type DatabaseHandle } from '../packages/server/src/db/client.js';
import { seedDemo } from '../packages/server/src/services/seed.js';
import type { Benchmark } from './run.js';
import { withScratchDatabase } from './scratch-database.js';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 16;

async function requestsPerSecond(url: string, headers: Record<string, string> = {}): Promise<number> {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION_SECONDS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

export const httpOverhead: Benchmark = {
  name: 'http overhead: cheap routes vs bare Fastify',
  async run() {
    const bare = Fastify();
    bare.get('/hello', async () => ({ hello: 'world' }));
    const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

    // The same server on PostgreSQL too, as operators run it (rate limits counted in the table).
    return withScratchDatabase(async (databaseUrl) => {
      const database = await openDatabase({ databaseUrl, dataDir: '', poolSize: 10 });
      await database.migrate();
      try {
        return await measure(bareUrl, bare, database);
      } finally {
        await database.close();
      }
    }).catch(async (error: unknown) => {
      if (!String(error).includes('ECONNREFUSED')) throw error;
      return measure(bareUrl, bare, undefined);
    });
  },
};

async function measure(bareUrl: string, bare: FastifyInstance, postgres: DatabaseHandle | undefined): Promise<string[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'beckon-bench-'));
  // Page views come from many visitors: the per-IP limit is not what is measured here.
  const config = { ...loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), runWorker: false, seedDemo: false, publicRateLimit: 100_000_000 };
  let app = await buildApp({ config });
  const { publicKey } = await seedDemo(app.db, app.secretBox, config.publicUrl);
  let appUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const onPostgres = postgres && (await buildApp({ config, database: postgres }));
  const postgresKey = onPostgres && (await seedDemo(onPostgres.db, onPostgres.secretBox, config.publicUrl)).publicKey;
  const postgresUrl = onPostgres && (await onPostgres.listen({ host: '127.0.0.1', port: 0 }));
  try {
    // Rounds interleave the routes and each keeps its best: other work on the machine only ever
    // slows a run down, so the best of several is the least disturbed figure for each.
    const best = { baseline: 0, healthz: 0, readyz: 0, widgetConfig: 0, postgresConfig: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      best.baseline = Math.max(best.baseline, await requestsPerSecond(`${bareUrl}/hello`));
      best.healthz = Math.max(best.healthz, await requestsPerSecond(`${appUrl}/healthz`));
      best.readyz = Math.max(best.readyz, await requestsPerSecond(`${appUrl}/readyz`));
      // Asked as a browser asks: it takes brotli (775 bytes for the demo, 2.4 KB as plain JSON).
      best.widgetConfig = Math.max(best.widgetConfig, await requestsPerSecond(`${appUrl}/v1/w/${publicKey}/config`, { 'accept-encoding': 'gzip, deflate, br, zstd' }));
      if (postgresUrl) best.postgresConfig = Math.max(best.postgresConfig, await requestsPerSecond(`${postgresUrl}/v1/w/${postgresKey}/config`, { 'accept-encoding': 'gzip, deflate, br, zstd' }));
    }
    const { baseline, healthz, readyz, widgetConfig, postgresConfig } = best;
    const line = (label: string, rps: number) => `${label.padEnd(34)} ${rps.toFixed(0).padStart(7)} req/s   ratio ${(rps / baseline).toFixed(2)}`;

    // Cold start: a new process on the same database, its caches empty, 500 requests at once.
    await app.close();
    app = await buildApp({ config });
    appUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 500 }, () => fetch(`${appUrl}/v1/w/${publicKey}/config`).then((r) => r.status, () => 0)));
    const burstMs = performance.now() - started;
    const failed = answers.filter((status) => status !== 200).length;
    return [
      `${CONNECTIONS} connections, ${DURATION_SECONDS} s each, best of ${ROUNDS} interleaved rounds, loopback; logs at warn`,
      line('bare Fastify GET /hello', baseline),
      line('Beckon GET /healthz', healthz),
      line(`Beckon GET /readyz (${app.database.kind})`, readyz),
      line(`Beckon GET config (${app.database.kind})`, widgetConfig),
      ...(postgresUrl ? [line('Beckon GET config (postgres)', postgresConfig)] : ['config on PostgreSQL: skipped, no server at BENCH_DATABASE_URL']),
      `cold-start burst: 500 concurrent config requests, ${failed} errors, all answered in ${burstMs.toFixed(0)} ms`,
    ];
  } finally {
    await Promise.all([bare.close(), app.close(), onPostgres?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
