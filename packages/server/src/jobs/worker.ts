// Runs due jobs in the background. Stopping waits for the jobs in hand, so SIGTERM never cuts
// a side effect in half; a job that was cut anyway (crash) is released after a while and
// runs again (at-least-once), so handlers are written to be safe to repeat.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/client.js';
import type { ClaimedJob, JobHandler, JobHandlers, JobKind } from './kinds.js';
import { claimDueJobs, completeJob, failJob, releaseStaleJobs } from './queue.js';

export interface WorkerOptions {
  db: Database;
  log: FastifyBaseLogger;
  /** Every kind has a handler in the running app; tests may give only the kinds they enqueue. */
  handlers: Partial<JobHandlers>;
  pollIntervalMs?: number;
  batchSize?: number;
  staleAfterMs?: number;
}

/** Calls the handler of the job's own kind (generic, so kind and payload stay paired). */
function dispatch<K extends JobKind>(handlers: Partial<JobHandlers>, job: ClaimedJob<K>): Promise<void> {
  const handler = handlers[job.kind] as JobHandler<K> | undefined;
  if (!handler) throw new Error(`No handler for job kind "${job.kind}"`);
  return handler(job);
}

export class JobWorker {
  readonly id = `worker-${randomUUID()}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(private readonly options: WorkerOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Claims and runs one batch of due jobs; returns how many ran. */
  async runOnce(now = new Date()): Promise<number> {
    const { db, batchSize = 10, staleAfterMs = 10 * 60_000 } = this.options;
    await releaseStaleJobs(db, staleAfterMs, now);
    const claimed = await claimDueJobs(db, this.id, batchSize, now);
    for (const job of claimed) await this.runJob(job, now);
    return claimed.length;
  }

  private async runJob(job: ClaimedJob, now: Date): Promise<void> {
    const { db, log, handlers } = this.options;
    try {
      await dispatch(handlers, { ...job, now });
      await completeJob(db, job.id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const outcome = await failJob(db, job, message, now);
      // The error text stays in the jobs table for the PM: it may quote an address, so it is not logged.
      log.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts, outcome }, 'job failed');
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((error: unknown) => this.options.log.error({ err: error }, 'job worker poll failed'))
        .then((ran) => this.schedule(ran ? 0 : (this.options.pollIntervalMs ?? 1_000)));
    }, delayMs);
    this.timer.unref?.();
  }
}
