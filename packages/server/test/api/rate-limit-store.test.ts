// The PostgreSQL rate-limit store counts in batches (one upsert per turn of the event loop) and
// answers requests far from the limit without waiting: the limit itself must stay exact, within
// one process and between processes taking turns, and a window must start again when it ends.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { PostgresRateLimitStore } from '../../src/services/rate-limit-store.js';
import { openTestDatabase, primaryKind, type TestDatabase } from '../support/database.js';

type Answer = { current: number; ttl: number };

function count(store: PostgresRateLimitStore, key: string, windowMs: number, max: number): Promise<Answer> {
  return new Promise((resolve, reject) => store.incr(key, (error, result) => (error ? reject(error) : resolve(result!)), windowMs, max));
}

describe.skipIf(primaryKind !== 'postgres')('the PostgreSQL rate-limit store', () => {
  let database: TestDatabase;
  /** A second pool on the same database: another replica's store. */
  let other: DatabaseHandle;

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    other = await openDatabase({ databaseUrl: database.url, dataDir: '', poolSize: 2 });
  });
  afterAll(async () => {
    await other?.close();
    await database?.close();
  });

  it('gives a burst in one process each its own place, so exactly the limit is let through', async () => {
    const store = new PostgresRateLimitStore(database.db, 'burst:');
    const answers = await Promise.all(Array.from({ length: 100 }, () => count(store, '10.0.0.1', 60_000, 40)));
    const places = answers.map((answer) => answer.current).sort((a, b) => a - b);
    expect(places).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(answers.filter((answer) => answer.current <= 40)).toHaveLength(40);
    expect(answers.every((answer) => answer.ttl > 0 && answer.ttl <= 60_000)).toBe(true);
  });

  it('counts one client across two processes taking turns, exactly at the limit', async () => {
    const first = new PostgresRateLimitStore(database.db, 'turns:');
    const second = new PostgresRateLimitStore(other.db, 'turns:');
    const counted = async () => {
      const result = await database.db.execute(sql`select count from rate_limits where key = 'turns:10.0.0.2'`);
      return (result as unknown as { rows: { count: number }[] }).rows[0]?.count ?? 0;
    };
    const allowed: boolean[] = [];
    for (let i = 0; i < 30; i++) {
      allowed.push((await count(i % 2 === 0 ? first : second, '10.0.0.2', 60_000, 20)).current <= 20);
      // Taking turns: the client's next request reaches the other process after this one's count
      // is in the table (a count far from the limit is written within the store's write delay;
      // waiting a fixed 5 ms for it, shorter than that delay, let 21 through on a busy machine).
      // Every request is counted, however it was answered.
      await expect.poll(counted, { timeout: 10_000 }).toBe(i + 1);
    }
    expect(allowed.filter(Boolean)).toHaveLength(20);
  });

  it('starts a new window when the last one ended', async () => {
    const store = new PostgresRateLimitStore(database.db, 'window:');
    for (let i = 0; i < 5; i++) await count(store, '10.0.0.3', 300, 4);
    expect((await count(store, '10.0.0.3', 300, 4)).current).toBe(6);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await count(store, '10.0.0.3', 300, 4)).current).toBe(1);
  });
});
