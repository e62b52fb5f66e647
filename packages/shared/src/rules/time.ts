/** One day as a fixed 24 h span: "within the last N days" is instant arithmetic, not calendar days. */
export const DAY_MS = 86_400_000;

// A fixed literal (never built from input), anchored, without nested quantifiers: linear time.
// date, then optionally time ('T' or ' '), fraction, and 'Z' or an offset ('+02:00', '+0200', '+02').
const ISO = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?)?(?:Z|([+-])(\d\d)(?::?(\d\d))?)?$/i;

/**
 * An instant in epoch milliseconds, or NaN when `v` is not one.
 * Accepts a Date, a number (epoch ms; below 1e11 read as epoch seconds) or an ISO 8601 string.
 * Strings are parsed here rather than by `Date.parse`, whose leniency differs between engines,
 * so the browser and the server agree; a string without an offset is UTC.
 */
export function toTime(v: unknown): number {
  if (typeof v == 'number') return isFinite(v) ? (Math.abs(v) < 1e11 ? v * 1000 : v) : NaN;
  if (v instanceof Date) return +v;
  const m = typeof v == 'string' && ISO.exec(v.trim());
  if (!m) return NaN;
  const n = (i: number) => +(m[i] || 0);
  // The offset goes into the hours and minutes: Date.UTC carries them over into the date.
  const sign = m[8] == '-' ? 1 : -1;
  return Date.UTC(n(1), n(2) - 1, n(3), n(4) + sign * n(9), n(5) + sign * n(10), n(6), +((m[7] || 0) + '00').slice(0, 3));
}
