import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** `{ error: { code, message, field? } }`: every 4xx and 5xx answer has this body. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. invalid_request, study_not_found' }),
      message: Type.String({ description: 'What went wrong, for a person' }),
      field: Type.Optional(Type.String({ description: 'The offending field, dotted, e.g. participant.email' })),
    }),
  },
  { title: 'Error' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const Uuid = Type.String({ format: 'uuid' });
/** An ISO 8601 instant; the API always answers in UTC (`Z`). */
export const Instant = Type.String({ format: 'date-time', examples: ['2026-03-29T08:00:00Z'] });
/** An IANA zone name, checked against the runtime's zone database. */
export const TimeZone = Type.String({ format: 'time-zone', minLength: 1, maxLength: 64, examples: ['Europe/Berlin'] });
export const Email = Type.String({ format: 'email', maxLength: 254 });
export const HttpUrl = Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048 });
/**
 * A link a participant follows (a meeting, a privacy notice, a gift card): https only, so no
 * `javascript:` or `data:` ever reaches a page or an email; http only to this machine, for development.
 */
const PUBLIC_URL_PATTERN = '^(?:https://|http://(?:localhost|127\\.0\\.0\\.1|\\[::1\\])(?::[0-9]+)?(?:[/?#]|$))';
export const PublicUrl = Type.String({ format: 'uri', pattern: PUBLIC_URL_PATTERN, maxLength: 2048, description: 'https, or http to localhost in development' });
/** The same rule, for a link inside a field a schema cannot tell is one (a video_url meeting's details). */
const PUBLIC_URL = new RegExp(PUBLIC_URL_PATTERN);
export const isPublicUrl = (value: string): boolean => PUBLIC_URL.test(value) && URL.canParse(value);

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** The `time-zone` format: an IANA zone name (one source of truth, in the schedule module). */
export { isValidTimeZone as isTimeZone } from '../schedule/validate.js';

/** How the API writes an instant: ISO 8601 UTC, without milliseconds when there are none. */
export function toInstant(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}
