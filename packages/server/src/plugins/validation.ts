// Request validation with the TypeBox schemas from @beckon/shared. Bodies are validated
// strictly (a string is not a number, unknown fields are refused); query strings and path
// parameters are text by nature, so they are coerced.
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Temporal } from 'temporal-polyfill';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isTimeZone } from '@beckon/shared/api';
import { RuleSchema } from '@beckon/shared/rules';
import { HttpError } from '../errors.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/**
 * Instants PostgreSQL and the slot maths both handle: RFC 3339, in the years 1970 to 8999 (an
 * instant plus a booking window and buffers must stay inside PostgreSQL's four-digit years).
 */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9000, 0, 1);
const RFC3339 = /^\d{4}-[01]\d-[0-3]\d[tT][0-2]\d:[0-5]\d:[0-5]\d(?:\.\d+)?(?:[zZ]|[+-][0-2]\d:[0-5]\d)$/;
function isInstant(value: string): boolean {
  if (!RFC3339.test(value)) return false;
  try {
    // Temporal refuses dates that do not exist (February 31), which Date.parse rolls over.
    const ms = Temporal.Instant.from(value).epochMilliseconds;
    return ms >= EARLIEST && ms < LATEST;
  } catch {
    return false;
  }
}

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: false, removeAdditional: false, useDefaults: true, strict: false, ...options });
  addFormats(ajv);
  ajv.addFormat('date-time', { type: 'string', validate: isInstant });
  ajv.addFormat('time-zone', { type: 'string', validate: isTimeZone });
  // Route schemas refer to the recursive rule schema by its $id.
  ajv.addSchema(RuleSchema);
  return ajv;
}

const strict = makeAjv({ coerceTypes: false });
const coercing = makeAjv({ coerceTypes: 'array' });

type Issue = Pick<ErrorObject, 'instancePath' | 'keyword' | 'message' | 'params'>;

/** `/participant/email` → `participant.email`; required and additional fields name the field itself. */
function fieldOf(issue: Issue, context: string | undefined): string | undefined {
  const segments = issue.instancePath.split('/').filter(Boolean);
  if (issue.keyword === 'required' && typeof issue.params.missingProperty === 'string') segments.push(issue.params.missingProperty);
  if (issue.keyword === 'additionalProperties' && typeof issue.params.additionalProperty === 'string') {
    segments.push(issue.params.additionalProperty);
  }
  if (segments.length > 0) return segments.join('.');
  return context === 'body' ? undefined : context;
}

function describe(issue: Issue, field: string | undefined): string {
  const subject = field ?? 'body';
  switch (issue.keyword) {
    case 'required':
      return `${subject} is required`;
    case 'additionalProperties':
      return `${subject} is not a known field`;
    case 'anyOf':
      return `${subject} does not match any of the allowed forms`;
    case 'format':
      return issue.params.format === 'date-time'
        ? `${subject} must be an ISO 8601 date and time with a zone, in the years 1970 to 8999`
        : `${subject} must be a valid ${String(issue.params.format).replace('-', ' ')}`;
    case 'enum':
      return `${subject} must be one of ${(issue.params.allowedValues as unknown[]).join(', ')}`;
    default:
      return `${subject} ${issue.message ?? 'is invalid'}`;
  }
}

/** The 400 for a request that fails its schema, naming the field. */
export function invalidRequest(issues: readonly Issue[], context?: string): HttpError {
  // A value that fits none of a union's shapes: name the value, not one branch's complaint.
  const union = issues.filter((i) => i.keyword === 'anyOf').sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
  const issue = union ?? issues[0];
  const field = issue ? fieldOf(issue, context) : undefined;
  return new HttpError(400, 'invalid_request', issue ? describe(issue, field) : 'The request is invalid', field);
}

const compiled = new WeakMap<TSchema, ValidateFunction>();

/**
 * Checks a body built outside a route's own schema (the no-JavaScript pages build a booking
 * request from a form) with the same strict rules as the JSON API, or throws its 400.
 */
export function assertBody<T extends TSchema>(schema: T, value: unknown): asserts value is Static<T> {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = strict.compile(schema)));
  if (!validate(value)) throw invalidRequest(validate.errors ?? [], 'body');
}

/**
 * A route's validator, compiled when the route first needs it rather than at start (as its
 * serializers are, see app.ts): most routes of an idle server never run. Fastify reads a failed
 * validation's `errors` from the function it was given, so they are copied there.
 */
function lazyValidator(compile: () => ValidateFunction) {
  let validate: ValidateFunction | undefined;
  const lazy = Object.assign(
    (data: unknown): boolean => {
      validate ??= compile();
      const valid = validate(data);
      lazy.errors = validate.errors;
      return valid;
    },
    { errors: null as ValidateFunction['errors'] },
  );
  return lazy;
}

const buildSerializers = SerializerSelector();

/**
 * Fastify's own response serializers (fast-json-stringify, for app.ts's schemaController), each
 * compiled when its route first answers rather than at start: 121 of them held 2 MB of generated
 * source, with the Ajv instances fast-json-stringify keeps for unions, in every idle process.
 */
export const lazySerializers: typeof buildSerializers = (externalSchemas, options) => {
  const compile = buildSerializers(externalSchemas, options);
  return (route) => {
    let serialize: ((value: unknown) => string) | undefined;
    return (value) => (serialize ??= compile(route))(value);
  };
};

function installValidation(app: FastifyInstance): void {
  // Shared with the response serializer and the OpenAPI document.
  app.addSchema(RuleSchema);
  app.setValidatorCompiler(({ schema, httpPart }) => lazyValidator(() => (httpPart === 'body' ? strict : coercing).compile(schema)));
}

export const validationPlugin = fp(async (app) => installValidation(app), { name: 'validation' });
