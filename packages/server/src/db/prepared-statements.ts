// Statements Beckon runs again and again are prepared once per connection, by name. Parsing and
// planning were most of PostgreSQL's time in a booking (a booking's ten statements: about 5 ms
// of parse and plan against 2 ms of execution); a named statement is parsed once per connection,
// and after a few runs PostgreSQL keeps a generic plan for it when that costs no more.
import type pg from 'pg';

/** The texts to prepare, the same names on every connection of a pool. */
export class StatementNames {
  private readonly names = new Map<string, string>();
  private readonly seen = new Map<string, number>();

  /**
   * `limit` bounds what each connection holds on the server (a prepared statement is never
   * dropped); a text is named on its third run, so one-off statements (DDL, an admin's filter with
   * its own list of values) rarely take a place.
   */
  constructor(private readonly limit = 200) {}

  nameFor(text: string): string | undefined {
    const named = this.names.get(text);
    if (named !== undefined || this.names.size >= this.limit) return named;
    const runs = (this.seen.get(text) ?? 0) + 1;
    if (runs < 3) {
      if (this.seen.size >= 10_000) this.seen.clear();
      this.seen.set(text, runs);
      return undefined;
    }
    this.seen.delete(text);
    const name = `beckon_${this.names.size}`;
    this.names.set(text, name);
    return name;
  }
}

type QueryConfigLike = { text?: unknown; name?: unknown };

/**
 * Makes `client` run the frequent statements it is given by name. Only statements with
 * parameters: they come through the extended protocol already, one statement per text.
 */
export function prepareFrequentStatements(client: pg.ClientBase, names: StatementNames): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, ...rest: unknown[]) => {
    if (typeof config === 'object' && config !== null) {
      const { text, name } = config as QueryConfigLike;
      if (!name && typeof text === 'string' && text.includes('$1')) {
        const prepared = names.nameFor(text);
        if (prepared) return query({ ...config, name: prepared }, ...rest);
      }
    }
    return query(config, ...rest);
  };
}
