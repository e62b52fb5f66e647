// Client mistakes are HttpErrors with a stable code; anything else is a 500 that says nothing
// about internals.
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Extra top-level members of the error response, e.g. `alternatives` on a 409. */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (code: string, message: string) => new HttpError(404, code, message);
export const badRequest = (code: string, message: string, field?: string) => new HttpError(400, code, message, field);
export const unprocessable = (code: string, message: string, field?: string) => new HttpError(422, code, message, field);
export const conflict = (code: string, message: string, extra?: Record<string, unknown>) =>
  new HttpError(409, code, message, undefined, extra);

/** PostgreSQL error codes Beckon turns into client answers. */
export const PG = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  exclusionViolation: '23P01',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
  checkViolation: '23514',
} as const;

/** The error an error was caused by (drivers and fetch wrap the real one in `cause`). */
export function causeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
}

/** The SQLSTATE of a database error from either driver, or of the error it caused. */
export function pgCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; current = causeOf(current), depth++) {
    const code = typeof current === 'object' && current !== null && 'code' in current ? current.code : undefined;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
