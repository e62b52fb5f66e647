// The jobs table as a queue: side effects are enqueued in the transaction that causes them
// and run by the worker. Claiming uses FOR UPDATE SKIP LOCKED, so several server processes can
// run workers against one database without taking the same job twice; the table itself is
// the queue, so no second system (Redis, pg-boss's schema) has to be run or kept in step.
import { and, asc, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../db/client.js';
import { jobs } from '../db/schema.js';
import type { ClaimedJob, NewJob } from './kinds.js';

/** Adds jobs; one whose dedupe key is taken is left out. Resolves to how many were added. */
export async function enqueue(tx: Database | Transaction, ...newJobs: NewJob[]): Promise<number> {
  if (newJobs.length === 0) return 0;
  const now = new Date().toISOString();
  const rows = newJobs.map((job) => ({ kind: job.kind, payload: job.payload, run_at: job.runAt?.toISOString() ?? now, dedupe_key: job.dedupeKey ?? null, max_attempts: job.maxAttempts ?? 8 }));
  // The jobs as one JSON parameter: the same statement however many there are, so it is prepared once.
  const added = await tx.execute(sql`
    insert into ${jobs} (kind, payload, run_at, dedupe_key, max_attempts)
    select kind, payload, run_at, dedupe_key, max_attempts
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as j(kind text, payload jsonb, run_at timestamptz, dedupe_key text, max_attempts integer)
    on conflict (dedupe_key) do nothing
    returning id`);
  // Both drivers return `{ rows }`.
  return (added as unknown as { rows: unknown[] }).rows.length;
}

export async function claimDueJobs(db: Database, workerId: string, limit: number, now = new Date()): Promise<ClaimedJob[]> {
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.status, 'pending'), lte(jobs.runAt, now)))
    .orderBy(asc(jobs.runAt), asc(jobs.id))
    .limit(limit)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(jobs)
    .set({ status: 'running', lockedAt: now, lockedBy: workerId, attempts: sql`${jobs.attempts} + 1`, updatedAt: now })
    .where(inArray(jobs.id, due))
    .returning({ id: jobs.id, kind: jobs.kind, payload: jobs.payload, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts });
  // enqueue() is the only writer and writes kind and payload as one typed pair.
  return claimed.sort((a, b) => a.id - b.id) as ClaimedJob[];
}

/** A job whose worker died mid-run goes back to pending after this long. */
export async function releaseStaleJobs(db: Database, staleAfterMs: number, now = new Date()): Promise<number> {
  const released = await db
    .update(jobs)
    .set({ status: 'pending', lockedAt: null, lockedBy: null, updatedAt: now })
    .where(and(eq(jobs.status, 'running'), lt(jobs.lockedAt, new Date(now.getTime() - staleAfterMs))))
    .returning({ id: jobs.id });
  return released.length;
}

export async function completeJob(db: Database, id: number): Promise<void> {
  await db.update(jobs).set({ status: 'done', lockedAt: null, lastError: null, updatedAt: sql`now()` }).where(eq(jobs.id, id));
}

/** Exponential backoff from 30 s, capped at an hour, with jitter so retries do not stampede. */
export function retryDelayMs(attempts: number, random = Math.random): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.round(base * (0.75 + random() * 0.5));
}

export async function failJob(db: Database, job: ClaimedJob, error: string, now = new Date()): Promise<'retry' | 'dead'> {
  const outcome = job.attempts >= job.maxAttempts ? 'dead' : 'retry';
  await db
    .update(jobs)
    .set({
      status: outcome === 'dead' ? 'dead' : 'pending',
      runAt: new Date(now.getTime() + retryDelayMs(job.attempts)),
      lastError: error.slice(0, 2000),
      lockedAt: null,
      lockedBy: null,
      updatedAt: now,
    })
    .where(eq(jobs.id, job.id));
  return outcome;
}
