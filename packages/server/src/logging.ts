// Logs help operators and never carry personal data or secrets: request logs keep the method,
// the route pattern and the status, never query strings, tokens, emails or names.
import pino, { type DestinationStream } from 'pino';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';

/** Fields that may hold personal data or secrets, wherever they appear in a log object. */
const REDACTED_KEYS = ['email', 'name', 'token', 'manageToken', 'password', 'secret', 'signature', 'traits', 'answers', 'authorization', 'cookie'];

export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  ...REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

/** Path parameters whose values are secrets or personal data. */
const SECRET_PATH = /\/(bookings|b|m|preview)\/[^/?#]+/g;

export function safeUrl(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path.replace(SECRET_PATH, (_match, segment: string) => `/${segment}/:redacted`);
}

export function createLogger(level: string, stream?: DestinationStream): FastifyBaseLogger {
  return pino(
    {
      level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      serializers: {
        req: (req: FastifyRequest) => ({ method: req.method, url: safeUrl(req.url), route: req.routeOptions?.url }),
      },
    },
    stream,
  );
}
