// One error handler for the whole app: `{ error: { code, message, field? } }` for every
// failure, a 4xx for every client mistake, and a 500 that leaks nothing for the rest.
import type { FastifyError, FastifyInstance } from 'fastify';
import { HttpError } from '../errors.js';

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** `/participant/email` → `participant.email`; required and additional fields name the field itself. */
function fieldOf(issue: AjvIssue, context: string | undefined): string | undefined {
  const segments = issue.instancePath.split('/').filter(Boolean);
  if (issue.keyword === 'required' && typeof issue.params.missingProperty === 'string') segments.push(issue.params.missingProperty);
  if (issue.keyword === 'additionalProperties' && typeof issue.params.additionalProperty === 'string') {
    segments.push(issue.params.additionalProperty);
  }
  if (segments.length > 0) return segments.join('.');
  return context === 'body' ? undefined : context;
}

function describe(issue: AjvIssue, field: string | undefined): string {
  const subject = field ?? 'body';
  switch (issue.keyword) {
    case 'required':
      return `${subject} is required`;
    case 'additionalProperties':
      return `${subject} is not a known field`;
    case 'anyOf':
      return `${subject} does not match any of the allowed forms`;
    case 'format':
      return `${subject} must be a valid ${String(issue.params.format).replace('-', ' ')}`;
    default:
      return `${subject} ${issue.message ?? 'is invalid'}`;
  }
}

const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The body is empty but the content type is JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large', message: 'The body is larger than this route accepts' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'Send the body as application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_content_length', message: 'Content-Length does not match the body' },
};

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.statusCode).send({
        error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
        ...error.extra,
      });
    }
    if (error.validation) {
      const issues = error.validation as AjvIssue[];
      // A value that fits none of a union's shapes: name the value, not one branch's complaint.
      const union = issues.filter((i) => i.keyword === 'anyOf').sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
      const issue = union ?? issues[0];
      const field = issue ? fieldOf(issue, error.validationContext) : undefined;
      return reply.status(400).send({
        error: {
          code: 'invalid_request',
          message: issue ? describe(issue, field) : 'The request is invalid',
          ...(field ? { field } : {}),
        },
      });
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
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on our side; it has been logged' } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'route_not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` } }),
  );
}
