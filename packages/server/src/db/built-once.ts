// Queries on a hot path (every booking) whose SQL is built once and run with new values on any
// connection or transaction. drizzle builds a query's SQL from its builder on every run, about
// 0.1-0.2 ms of CPU each: a booking's statements spent over 1 ms of its server's time there.
// drizzle's own prepare() builds once but binds the result to the connection it was made on, so
// this binds a copy of it to the caller's: it reads drizzle's `session` and its `client` (both
// internal; the booking tests run this on both drivers, so a drizzle upgrade that moves them fails there).
import type { Database, Transaction } from './client.js';

interface Prepared<T> {
  execute(values: Record<string, unknown>): Promise<T>;
}

type Session = { client: unknown };

/**
 * `build` makes the query with `sql.placeholder(name)` for its values and calls drizzle's
 * `.prepare('')` (an empty name: prepared-statements.ts names frequent statements itself).
 */
export function builtOnce<T>(build: (db: Database) => Prepared<T>): (db: Database | Transaction, values: Record<string, unknown>) => Promise<T> {
  // One per driver: PGlite's and node-postgres's prepared queries are different classes.
  const built = new Map<unknown, Prepared<T>>();
  return (db, values) => {
    const session = (db as unknown as { session: Session }).session;
    let template = built.get(session.constructor);
    if (!template) built.set(session.constructor, (template = build(db as Database)));
    const bound = Object.create(template) as Prepared<T> & Session;
    bound.client = session.client;
    return bound.execute(values);
  };
}
