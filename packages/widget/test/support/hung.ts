// A Beckon server that is alive but hung: it accepts TCP connections on 127.0.0.1 and never
// answers (until answer()). It records what each connection asked for and whether the browser has
// since closed it, so a test can see from the outside that a request was made and then given up.
import { createServer, type Socket } from 'node:net';

export interface HungRequest {
  /** The request line's path, e.g. /v1/w/pk_…/config. */
  path: string;
  /** The browser closed the connection (gave the request up). */
  closed: boolean;
  /** Resolves when the browser closes the connection. */
  whenClosed: Promise<void>;
}

export interface Hung {
  origin: string;
  requests: HungRequest[];
  /** Resolves with the first request (made so far or later) whose path matches. */
  request(path: RegExp): Promise<HungRequest>;
  /** From now on, answer at once: 503, CORS allowed, so that only the status tells the widget anything. */
  answer(): void;
  /** Closes every connection without an answer (the browser sees an empty response). */
  hangUp(): void;
  close(): Promise<void>;
}

export async function startHung(): Promise<Hung> {
  const requests: HungRequest[] = [];
  const sockets = new Set<Socket>();
  const waiting: { path: RegExp; resolve: (r: HungRequest) => void }[] = [];
  let answering = false;
  const server = createServer((socket) => {
    sockets.add(socket);
    let head = '';
    let request: HungRequest | undefined;
    let closed!: () => void;
    const whenClosed = new Promise<void>((resolve) => (closed = resolve));
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      if (request) request.closed = true;
      closed();
    });
    socket.on('data', (chunk) => {
      if (request) return;
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const path = head.split(' ')[1] ?? '';
      request = { path, closed: false, whenClosed };
      requests.push(request);
      for (const w of waiting.filter((w) => w.path.test(path))) waiting.splice(waiting.indexOf(w), 1), w.resolve(request);
      if (answering) socket.end('HTTP/1.1 503 Service Unavailable\r\naccess-control-allow-origin: *\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    request: (path) =>
      new Promise((resolve) => {
        const made = requests.find((r) => path.test(r.path));
        made ? resolve(made) : waiting.push({ path, resolve });
      }),
    answer: () => void (answering = true),
    hangUp: () => sockets.forEach((s) => s.destroy()),
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
