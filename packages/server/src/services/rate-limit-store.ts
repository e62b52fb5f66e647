// Request counts for @fastify/rate-limit kept in PostgreSQL, so a fleet of replicas counts each
// client once. Every request is counted in the table, but not by a write of its own: the counts
// a process gathers over a few milliseconds go out as one upsert, and a request is answered at
// once while this process's view of its client (the table's count at the last write, plus what
// it counted since) is at most half the limit. From there on each request waits for the write
// that counts it (at the end of the event loop's turn) and is decided on the table's total, so
// the limit itself is exact across replicas, and a page view far from it costs no round trip.
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { rateLimits } from '../db/schema.js';

type Done = Parameters<FastifyRateLimitStore['incr']>[1];
type Counted = { current: number; ttl: number };

/** Expired windows are deleted now and then (here and in the table), not by every write. */
const SWEEP_EVERY = 1_000;
/** How long counts far from a limit may wait to be written with others. */
const WRITE_DELAY_MS = 10;
/** Keys per statement: three parameters each, well under PostgreSQL's 65,535. */
const KEYS_PER_WRITE = 5_000;

/** What this process knows of one key. */
interface Held {
  /** The table's count after this process's last write for the key. */
  count: number;
  /** Counted here and being written now. */
  writing: number;
  /** Counted here since: written by the next batch. */
  pending: number;
  /** When the table's window ends (epoch ms). */
  resetsAt: number;
  /** The window of the requests counted (the route's), for the write. */
  windowMs: number;
  /** Requests waiting for the next batch's total, each at its place among the batch's increments. */
  waiting: { place: number; done: Done }[];
}

/** One batcher per database: every namespace's keys go out in the same upsert. */
class RateLimitBatcher {
  private readonly held = new Map<string, Held>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private writes = 0;

  constructor(private readonly db: Database) {}

  count(key: string, windowMs: number, max: number, done: Done): void {
    const now = Date.now();
    let held = this.held.get(key);
    if (held && held.resetsAt <= now && held.writing === 0 && held.pending === 0) {
      this.held.delete(key);
      held = undefined;
    }
    if (!held) {
      held = { count: 0, writing: 0, pending: 0, resetsAt: now + windowMs, windowMs, waiting: [] };
      this.held.set(key, held);
    }
    const windowOver = held.resetsAt <= now;
    held.pending += 1;
    held.windowMs = windowMs;
    const seen = (windowOver ? 0 : held.count) + held.writing + held.pending;
    if (seen <= Math.floor(max / 2) && !windowOver) {
      done(null, { current: seen, ttl: held.resetsAt - now });
      this.writeSoon();
      return;
    }
    held.waiting.push({ place: held.pending, done });
    this.writeNow();
  }

  /** Counts nobody waits for go out within WRITE_DELAY_MS: a busy process writes ~100 times a second, not once a request. */
  private writeSoon(): void {
    this.timer ??= setTimeout(() => this.writeNow(), WRITE_DELAY_MS);
  }

  /** A request waits for its count: written at the end of this turn of the event loop. */
  private writeNow(): void {
    this.immediate ??= setImmediate(() => {
      this.immediate = undefined;
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.write();
    });
  }

  private async write(): Promise<void> {
    const batch = [...this.held].filter(([, held]) => held.pending > 0);
    if (batch.length === 0) return;
    const taken = batch.map(([key, held]) => {
      const entry = { key, increment: held.pending, windowMs: held.windowMs, waiting: held.waiting };
      held.writing += held.pending;
      held.pending = 0;
      held.waiting = [];
      return entry;
    });
    if (++this.writes % SWEEP_EVERY === 0) this.sweep();
    try {
      const totals = new Map<string, Counted>();
      for (let i = 0; i < taken.length; i += KEYS_PER_WRITE) for (const [key, total] of await this.upsert(taken.slice(i, i + KEYS_PER_WRITE))) totals.set(key, total);
      const now = Date.now();
      for (const entry of taken) {
        const held = this.held.get(entry.key);
        const total = totals.get(entry.key);
        if (held) held.writing -= entry.increment;
        if (!total) {
          for (const waiter of entry.waiting) waiter.done(new Error('rate limit count not written'));
          continue;
        }
        if (held) {
          held.count = total.current;
          held.resetsAt = now + total.ttl;
        }
        // The batch's increments are the last `increment` of the total, in the order they came.
        for (const waiter of entry.waiting) waiter.done(null, { current: total.current - entry.increment + waiter.place, ttl: total.ttl });
      }
    } catch (error) {
      for (const entry of taken) {
        const held = this.held.get(entry.key);
        if (held) held.writing -= entry.increment;
        for (const waiter of entry.waiting) waiter.done(error as Error);
      }
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, held] of this.held) if (held.resetsAt <= now && held.writing === 0 && held.pending === 0) this.held.delete(key);
    void this.db.delete(rateLimits).where(sql`${rateLimits.resetsAt} < now()`).catch(() => {});
  }

  /** One statement for the whole batch: each key opens, counts into or resets its window. */
  private async upsert(entries: { key: string; increment: number; windowMs: number }[]): Promise<Map<string, Counted>> {
    const expired = sql`${rateLimits.resetsAt} <= now()`;
    const rows = await this.db
      .insert(rateLimits)
      .values(entries.map((entry) => ({ key: entry.key, count: entry.increment, resetsAt: sql`now() + ${entry.windowMs} * interval '1 millisecond'` })))
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`case when ${expired} then excluded.count else ${rateLimits.count} + excluded.count end`,
          resetsAt: sql`case when ${expired} then excluded.resets_at else ${rateLimits.resetsAt} end`,
        },
      })
      .returning({ key: rateLimits.key, count: rateLimits.count, ttl: sql<number>`greatest(0, ceil(extract(epoch from ${rateLimits.resetsAt} - now()) * 1000))::int`.mapWith(Number) });
    return new Map(rows.map((row) => [row.key, { current: row.count, ttl: row.ttl }]));
  }
}

const batchers = new WeakMap<Database, RateLimitBatcher>();

export class PostgresRateLimitStore implements FastifyRateLimitStore {
  private readonly batcher: RateLimitBatcher;

  /** `prefix` keeps limits with their own options (a sign-in route's) apart from the shared one. */
  constructor(
    private readonly db: Database,
    private readonly prefix = '',
  ) {
    let batcher = batchers.get(db);
    if (!batcher) batchers.set(db, (batcher = new RateLimitBatcher(db)));
    this.batcher = batcher;
  }

  incr(key: string, done: Done, timeWindowMs: number, max: number): void {
    this.batcher.count(this.prefix + key, timeWindowMs, max, done);
  }

  /** A route with its own limit (sign-in) counts apart; `app.rateLimit()` scopes share one count. */
  child(options: Parameters<FastifyRateLimitStore['child']>[0]): PostgresRateLimitStore {
    // The plugin passes the merged limit options, with the route (if any) under `routeInfo`.
    const route = (options as { routeInfo?: { method?: unknown; url?: string } }).routeInfo;
    return new PostgresRateLimitStore(this.db, route?.url ? `${this.prefix}${String(route.method)} ${route.url}|` : this.prefix);
  }
}
