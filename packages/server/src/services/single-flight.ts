// Requests that ask the same question at the same moment share one answer: after a restart, a
// burst of page views fills a cache once instead of once per request (and per pool connection).

export class SingleFlight<T> {
  private readonly pending = new Map<string, Promise<T>>();

  /** `compute` runs once per key at a time; callers that arrive while it runs get its result. */
  run(key: string, compute: () => Promise<T>): Promise<T> {
    let flight = this.pending.get(key);
    if (!flight) {
      flight = compute().finally(() => this.pending.delete(key));
      this.pending.set(key, flight);
    }
    return flight;
  }
}
