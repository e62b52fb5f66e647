// Request counts for @fastify/rate-limit kept in PostgreSQL, so a fleet of replicas counts each
// client once: one upsert per request opens, counts in or resets a fixed window.
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { rateLimits } from '../db/schema.js';

type Done = Parameters<FastifyRateLimitStore['incr']>[1];

/** Expired windows are deleted now and then, not by every request. */
const SWEEP_EVERY = 1_000;

export class PostgresRateLimitStore implements FastifyRateLimitStore {
  private requests = 0;

  /** `prefix` keeps limits with their own options (a sign-in route's) apart from the shared one. */
  constructor(
    private readonly db: Database,
    private readonly prefix = '',
  ) {}

  incr(key: string, done: Done, timeWindowMs: number): void {
    this.count(key, timeWindowMs).then(
      (result) => done(null, result),
      (error: Error) => done(error),
    );
  }

  /** A route with its own limit (sign-in) counts apart; `app.rateLimit()` scopes share one count. */
  child(options: Parameters<FastifyRateLimitStore['child']>[0]): PostgresRateLimitStore {
    // The plugin passes the merged limit options, with the route (if any) under `routeInfo`.
    const route = (options as { routeInfo?: { method?: unknown; url?: string } }).routeInfo;
    return new PostgresRateLimitStore(this.db, route?.url ? `${this.prefix}${String(route.method)} ${route.url}|` : this.prefix);
  }

  private async count(key: string, timeWindowMs: number): Promise<{ current: number; ttl: number }> {
    if (++this.requests % SWEEP_EVERY === 0) void this.db.delete(rateLimits).where(sql`${rateLimits.resetsAt} < now()`).catch(() => {});
    const window = sql`now() + ${timeWindowMs} * interval '1 millisecond'`;
    const expired = sql`${rateLimits.resetsAt} <= now()`;
    const [row] = await this.db
      .insert(rateLimits)
      .values({ key: this.prefix + key, count: 1, resetsAt: window })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`case when ${expired} then 1 else ${rateLimits.count} + 1 end`,
          resetsAt: sql`case when ${expired} then ${window} else ${rateLimits.resetsAt} end`,
        },
      })
      .returning({ count: rateLimits.count, ttl: sql<number>`greatest(0, ceil(extract(epoch from ${rateLimits.resetsAt} - now()) * 1000))::int`.mapWith(Number) });
    return { current: row!.count, ttl: row!.ttl };
  }
}
