// The jobs table as a queue: side effects are enqueued in the transaction that causes them
// and run by the worker. Claiming uses FOR UPDATE SKIP LOCKED, so several server processes can
// run workers against one database without taking the same job twice; the table itself is
// the queue, so no second system (Redis, pg-boss's schema) has to be run or kept in step.
import { sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { jobs } from '../../db/schema.js';

export interface NewJob {
  kind: string;
  payload: Record<string, unknown>;
  runAt?: Date;
  dedupeKey?: string;
  maxAttempts?: number;
}

export type JobRow = typeof jobs.$inferSelect;

/** Adds jobs inside the caller's transaction; a job whose dedupe key exists already is skipped. */
export async function enqueue(tx: Database | Transaction, ...newJobs: NewJob[]): Promise<void> {
  if (newJobs.length === 0) return;
  await tx
    .insert(jobs)
    .values(newJobs.map((job) => ({ kind: job.kind, payload: job.payload, runAt: job.runAt ?? new Date(), dedupeKey: job.dedupeKey, maxAttempts: job.maxAttempts ?? 8 })))
    .onConflictDoNothing({ target: jobs.dedupeKey });
}

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

interface RawJob {
  id: number | string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

export interface ClaimedJob {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

export async function claimDueJobs(db: Database, workerId: string, limit: number, now = new Date()): Promise<ClaimedJob[]> {
  const result = await db.execute(sql`
    update jobs set status = 'running', locked_at = ${now}, locked_by = ${workerId}, attempts = attempts + 1, updated_at = ${now}
    where id in (
      select id from jobs where status = 'pending' and run_at <= ${now}
      order by run_at, id limit ${limit} for update skip locked)
    returning id, kind, payload, attempts, max_attempts`);
  return rowsOf<RawJob>(result).map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    payload: row.payload,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
  }));
}

/** A job whose worker died mid-run goes back to pending after this long. */
export async function releaseStaleJobs(db: Database, staleAfterMs: number, now = new Date()): Promise<number> {
  const result = await db.execute(sql`
    update jobs set status = 'pending', locked_at = null, locked_by = null, updated_at = ${now}
    where status = 'running' and locked_at < ${new Date(now.getTime() - staleAfterMs)}
    returning id`);
  return rowsOf(result).length;
}

export async function completeJob(db: Database, id: number): Promise<void> {
  await db.execute(sql`update jobs set status = 'done', locked_at = null, last_error = null, updated_at = now() where id = ${id}`);
}

/** Exponential backoff from 30 s, capped at an hour, with jitter so retries do not stampede. */
export function retryDelayMs(attempts: number, random = Math.random): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.round(base * (0.75 + random() * 0.5));
}

export async function failJob(db: Database, job: ClaimedJob, error: string, now = new Date()): Promise<'retry' | 'dead'> {
  const outcome = job.attempts >= job.maxAttempts ? 'dead' : 'retry';
  const runAt = new Date(now.getTime() + retryDelayMs(job.attempts));
  await db.execute(sql`
    update jobs set status = ${outcome === 'dead' ? 'dead' : 'pending'}, run_at = ${runAt},
      last_error = ${error.slice(0, 2000)}, locked_at = null, locked_by = null, updated_at = ${now}
    where id = ${job.id}`);
  return outcome;
}
