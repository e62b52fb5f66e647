// Logs help operators and never carry personal data or secrets: request logs keep the method,
// the route pattern and the status, never query strings, tokens, emails or names.
import pino, { type DestinationStream } from 'pino';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';

/** Fields that may hold personal data or secrets, wherever they appear in a log object. */
const REDACTED_KEYS = ['email', 'name', 'token', 'manageToken', 'password', 'secret', 'signature', 'traits', 'answers', 'authorization', 'cookie'];

/** Deep enough for any object a log line is given; deeper values are dropped, not walked. */
const MAX_CENSOR_DEPTH = 6;
const REDACTED = new Set(REDACTED_KEYS.map((key) => key.toLowerCase()));

/**
 * A log object with every field named in REDACTED_KEYS censored, at any depth. Run only for a
 * line that is written (pino's `formatters.log`): pino's own wildcard redaction cost about 13 µs
 * on every request, when each request's child logger was made, even with nothing logged.
 */
function censored(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  // Requests, replies and errors are left to their serializers (which keep no personal data).
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return value;
  if (depth >= MAX_CENSOR_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => censored(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = REDACTED.has(key.toLowerCase()) ? '[redacted]' : censored(item, depth + 1);
  return out;
}

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
      formatters: { log: (object) => censored(object) as Record<string, unknown> },
      serializers: {
        req: (req: FastifyRequest) => ({ method: req.method, url: safeUrl(req.url), route: req.routeOptions?.url }),
      },
    },
    stream,
  );
}
