// Requests that ask the same question at the same moment share one answer: after a restart, a
// burst of page views fills a cache once instead of once per request (and per pool connection).

export class SingleFlight<T> {
  private readonly pending = new Map<string, Promise<T>>();

  /** `holdMs`: an answer is also given to callers that arrive this long after it came (a failure never is). */
  constructor(private readonly holdMs = 0) {}

  /** `compute` runs once per key at a time; callers that arrive while it runs get its result. */
  run(key: string, compute: () => Promise<T>): Promise<T> {
    let flight = this.pending.get(key);
    if (!flight) {
      const forget = () => {
        if (this.pending.get(key) === flight) this.pending.delete(key);
      };
      flight = compute().then(
        (value) => {
          if (this.holdMs > 0) setTimeout(forget, this.holdMs).unref();
          else forget();
          return value;
        },
        (error: unknown) => {
          forget();
          throw error;
        },
      );
      this.pending.set(key, flight);
    }
    return flight;
  }
}
