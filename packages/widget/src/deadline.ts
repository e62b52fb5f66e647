// Every request the widget makes has a deadline: a server that accepts the connection and never
// answers must cost the page nothing but an aborted request. AbortSignal.timeout is newer than
// the browsers we build for (Chrome 103, Safari 16, Firefox 100), so this is its equivalent on
// AbortController (Chrome 66, Safari 12.1, Firefox 57), one code path everywhere.

/** A signal that aborts `ms` milliseconds from now (the request and the reading of its body). */
export function deadline(ms: number): AbortSignal {
  const c = new AbortController();
  setTimeout(() => c.abort(), ms);
  return c.signal;
}
