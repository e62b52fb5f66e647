// The HTTP plumbing the provider emulators (Google, Microsoft Graph, Zoom) share: a server on a
// free port of 127.0.0.1 that can be closed with requests still hanging, request bodies read as
// a form or JSON, JSON answers, bearer tokens, and faults queued for the next matching calls.
// What each provider answers (error shapes, endpoints, grants) stays in its own emulator.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface EmulatorServer {
  /** http://127.0.0.1:port, without a trailing slash. */
  origin: string;
  /** Destroys open sockets first, so requests left hanging on purpose do not keep it open. */
  close(): Promise<void>;
}

/** Serves `handle`; a handler that throws is answered by `onError` unless it already answered. */
export async function startEmulatorServer(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  onError: (res: ServerResponse, error: unknown) => void,
): Promise<EmulatorServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) onError(res, error);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A JSON answer with the content type the provider sends. */
export function jsonAnswer(contentType: string) {
  return (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': contentType, ...headers });
    res.end(JSON.stringify(body));
  };
}

/** The body as a form's fields, parsed JSON, or (`malformed`) the raw text that was not JSON. */
export async function readRequestBody(req: IncomingMessage): Promise<{ body: unknown; malformed: boolean }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) return { body: Object.fromEntries(new URLSearchParams(raw)), malformed: false };
  if (!raw) return { body: raw, malformed: false };
  try {
    return { body: JSON.parse(raw) as unknown, malformed: false };
  } catch {
    return { body: raw, malformed: true };
  }
}

export const bearerToken = (req: IncomingMessage): string | undefined => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];

export interface Fault<Kind extends string> {
  method?: string;
  path: RegExp;
  times: number;
  kind: Kind;
  status?: number;
  retryAfter?: number;
}

export interface FaultOptions {
  method?: string;
  path: RegExp;
  times?: number;
  status?: number;
  retryAfter?: number;
}

/** Faults that each befall the next `times` requests matching a method (any when absent) and path. */
export class Faults<Kind extends string> {
  private queued: Fault<Kind>[] = [];

  add(kind: Kind, { method, path, times = 1, status, retryAfter }: FaultOptions): void {
    this.queued.push({ method, path, times, kind, status, retryAfter });
  }

  /** The fault this request meets, counted as used; undefined when none. */
  take(method: string | undefined, pathname: string): Fault<Kind> | undefined {
    const fault = this.queued.find((f) => f.times > 0 && f.path.test(pathname) && (!f.method || f.method === method));
    if (fault) fault.times -= 1;
    return fault;
  }

  clear(): void {
    this.queued = [];
  }
}
