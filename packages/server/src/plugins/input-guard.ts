// What a schema cannot say about input, checked once for every route before validation:
// text PostgreSQL cannot store (NUL, unpaired UTF-16 surrogates, in values and keys alike),
// numbers JSON should not have produced (1e309 parses as Infinity), and nesting deep enough
// to exhaust the stack of whatever walks it next (validation, request hashing, rules).
import fp from 'fastify-plugin';
import { HttpError } from '../errors.js';

/** Deeper than any body Beckon accepts (a targeting rule nests at most 8 groups). */
export const MAX_INPUT_DEPTH = 32;

const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

function unstorable(field: string, what = field || 'body'): HttpError {
  return new HttpError(400, 'invalid_text', `${what} contains a character that cannot be stored (NUL or an unpaired UTF-16 surrogate)`, field || undefined);
}

/** Throws a 400 naming the first field that breaks a rule; walks at most MAX_INPUT_DEPTH levels. */
export function assertStorable(value: unknown, path = '', depth = 0): void {
  if (typeof value === 'string') {
    if (UNSTORABLE_TEXT.test(value)) throw unstorable(path);
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new HttpError(400, 'invalid_number', `${path || 'body'} must be a finite number`, path || undefined);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth >= MAX_INPUT_DEPTH) throw new HttpError(400, 'too_deep', `${path || 'body'} nests deeper than ${MAX_INPUT_DEPTH} levels`, path || undefined);
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertStorable(item, join(path, index), depth + 1));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    // The key itself is not echoed back: it holds the very character that cannot be shown.
    if (UNSTORABLE_TEXT.test(key)) throw unstorable(path, `A field name in ${path || 'the body'}`);
    assertStorable(item, join(path, key), depth + 1);
  }
}

export const inputGuardPlugin = fp(
  async (app) => {
    // A callback hook: it runs on every request, and an async one costs a promise each time.
    app.addHook('preValidation', (request, _reply, done) => {
      try {
        assertStorable(request.params);
        assertStorable(request.query);
        // HTML forms (the no-JavaScript pages) arrive as text: check what they decode to.
        const body = typeof request.body === 'string' && request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(request.body)) : request.body;
        assertStorable(body);
        done();
      } catch (error) {
        done(error as Error);
      }
    });
  },
  { name: 'input-guard' },
);
