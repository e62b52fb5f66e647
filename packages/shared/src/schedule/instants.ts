import { Temporal } from 'temporal-polyfill';
import type { InstantInput } from './types.js';

export const MS_PER_MINUTE = 60_000;

// Fast path for the canonical UTC form that JSON and calendar APIs send ('2026-06-10T08:00:00Z'):
// Temporal's parser is ten times slower and calendars hand over thousands of these. The round
// trip refuses what Date.parse would silently roll over (Feb 30); everything else goes to Temporal.
const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/;

/** Epoch milliseconds of an instant; strings must carry an offset or 'Z' (local strings are rejected). */
export function toEpochMs(value: InstantInput): number {
  if (value instanceof Date) return validEpochMs(value.getTime(), value);
  return parseCanonicalUtc(value) ?? Temporal.Instant.from(value).epochMilliseconds;
}

function parseCanonicalUtc(text: string): number | undefined {
  if (!CANONICAL_UTC.test(text)) return undefined;
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === text.slice(0, 19) ? ms : undefined;
}

function validEpochMs(ms: number, source: InstantInput): number {
  if (Number.isNaN(ms)) throw new RangeError(`Invalid instant ${String(source)}`);
  return ms;
}

/** ISO 8601 in UTC, e.g. '2026-03-29T08:00:00Z' (milliseconds only when there are some). */
export function toIsoUtc(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}
