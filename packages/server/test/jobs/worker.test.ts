// The jobs table as a queue: retries with backoff, a dead state that keeps the last error,
// stale claims released after a crash, and no job taken twice by workers racing for it.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { DatabaseHandle } from '../../src/db/client.js';
import { jobs } from '../../src/db/schema.js';
import { claimDueJobs, enqueue, retryDelayMs } from '../../src/jobs/queue.js';
import { JobWorker } from '../../src/jobs/worker.js';
import { availableKinds, openTestDatabase } from '../support/database.js';

// Kinds only this test enqueues; the app's own are declared in src/jobs/kinds.ts.
declare module '../../src/jobs/kinds.js' {
  interface JobPayloads {
    flaky: Record<string, never>;
    later: Record<string, never>;
    orphan: Record<string, never>;
    race: { i: number };
  }
}

const log = pino({ level: 'silent' });

describe.each(availableKinds)('job worker on %s', (kind) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database.close());

  const jobByKey = async (key: string) => (await database.db.select().from(jobs).where(eq(jobs.dedupeKey, key)))[0]!;

  it('retries a failing job with growing delays, then marks it dead with the last error', async () => {
    await enqueue(database.db, { kind: 'flaky', payload: {}, dedupeKey: 'flaky-1', maxAttempts: 3 });
    let calls = 0;
    const worker = new JobWorker({ db: database.db, log, handlers: { flaky: async () => void (calls += 1, (() => { throw new Error(`attempt ${calls} failed`); })()) } });
    let now = Date.now();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      await worker.runOnce(new Date(now));
      const job = await jobByKey('flaky-1');
      expect(job.attempts).toBe(attempt);
      if (attempt < 3) {
        expect(job.status).toBe('pending');
        delays.push(job.runAt.getTime() - now);
        now = job.runAt.getTime();
      } else {
        expect(job).toMatchObject({ status: 'dead', lastError: 'attempt 3 failed' });
      }
    }
    expect(calls).toBe(3);
    expect(delays[1]!).toBeGreaterThan(delays[0]!);
    await worker.runOnce(new Date(now + 10 * 3600_000));
    expect(calls).toBe(3); // dead stays dead
  });

  it('does not run a job before it is due, and runs it once when it is', async () => {
    const due = new Date(Date.now() + 24 * 3600_000);
    await enqueue(database.db, { kind: 'later', payload: {}, runAt: due, dedupeKey: 'later-1' });
    let calls = 0;
    const worker = new JobWorker({ db: database.db, log, handlers: { later: async () => void (calls += 1) } });
    await worker.runOnce(new Date(due.getTime() - 1000));
    expect(calls).toBe(0);
    await worker.runOnce(due);
    await worker.runOnce(new Date(due.getTime() + 1000));
    expect(calls).toBe(1);
    expect((await jobByKey('later-1')).status).toBe('done');
  });

  it('releases a job whose worker died mid-run, so it runs again', async () => {
    await enqueue(database.db, { kind: 'orphan', payload: {}, dedupeKey: 'orphan-1' });
    const [claimed] = await claimDueJobs(database.db, 'worker-that-crashed', 10, new Date());
    expect(claimed?.kind).toBe('orphan');
    let calls = 0;
    const worker = new JobWorker({ db: database.db, log, handlers: { orphan: async () => void (calls += 1) }, staleAfterMs: 60_000 });
    await worker.runOnce(new Date(Date.now() + 30_000));
    expect(calls).toBe(0); // still someone's
    await worker.runOnce(new Date(Date.now() + 120_000));
    expect(calls).toBe(1);
  });

  it('never hands one job to two workers claiming at once', async () => {
    await enqueue(database.db, ...Array.from({ length: 40 }, (_, i) => ({ kind: 'race' as const, payload: { i }, dedupeKey: `race-${i}` })));
    const now = new Date();
    const claims = await Promise.all(Array.from({ length: 4 }, (_, w) => claimDueJobs(database.db, `w${w}`, 15, now)));
    const ids = claims.flat().filter((job) => job.kind === 'race').map((job) => job.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
  });

  it('backs off from 30 s towards an hour, with jitter', () => {
    expect(retryDelayMs(1, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(3, () => 0.5)).toBe(120_000);
    expect(retryDelayMs(20, () => 0.5)).toBe(3_600_000);
    expect(retryDelayMs(1, () => 0)).toBe(22_500);
  });
});
