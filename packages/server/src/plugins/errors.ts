// One error handler for the whole app: `{ error: { code, message, field? } }` for every
// failure, a 4xx for every client mistake, and a 500 that leaks nothing for the rest.
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../errors.js';
import { invalidRequest } from './validation.js';

const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The body is empty but the content type is JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large', message: 'The body is larger than this route accepts' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'Send the body as application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_content_length', message: 'Content-Length does not match the body' },
};

/** pg-pool's error when no connection came free within connectionTimeoutMillis. */
const isPoolExhausted = (error: unknown) => error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message);

function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.statusCode).send({
        error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
        ...error.extra,
      });
    }
    if (error.validation) {
      const invalid = invalidRequest(error.validation, error.validationContext);
      return reply.status(400).send({ error: { code: invalid.code, message: invalid.message, ...(invalid.field ? { field: invalid.field } : {}) } });
    }
    const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
    if (known) return reply.status(known.status).send({ error: { code: known.code, message: known.message } });
    if (error.statusCode === 429) {
      return reply.status(429).send({ error: { code: 'rate_limited', message: error.message } });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own client errors (bad URL encoding, etc.): keep their status, normalise the body.
      return reply.status(error.statusCode).send({ error: { code: 'bad_request', message: error.message } });
    }
    if (isPoolExhausted(error)) {
      // Every database connection is busy (a burst after a restart): ask the client to come back
      // rather than hold it; the widget and CDNs honour Retry-After.
      request.log.warn('database pool exhausted: answered 503');
      return reply.status(503).header('retry-after', '5').send({ error: { code: 'busy', message: 'Beckon is busy; try again in a few seconds' } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on our side; it has been logged' } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'route_not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` } }),
  );
}

export const errorsPlugin = fp(async (app) => installErrorHandling(app), { name: 'errors' });
