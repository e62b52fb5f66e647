import { Temporal } from 'temporal-polyfill';
import { parseClockTime } from './local-time.js';
import type { AvailabilityRules, ClockInterval } from './types.js';

export interface AvailabilityProblem {
  /** JSON pointer into the rules, like TypeBox's error paths: '/weekly/0/end'. */
  path: string;
  message: string;
}

/** Zones already found valid (there are some 600): checked on every booking and identified page view. */
const validZones = new Set<string>();

/** An IANA zone name Temporal knows; fixed offsets like '+02:00' are refused (they have no DST rules). */
export function isValidTimeZone(timeZone: string): boolean {
  if (validZones.has(timeZone)) return true;
  if (/^[+-]/.test(timeZone)) return false;
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(timeZone);
    if (validZones.size < 2_000) validZones.add(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * What the schema cannot check: a real zone, real dates, intervals that end after they start,
 * one override per date. Run it after the schema; an empty list means the rules are usable.
 */
export function validateAvailabilityRules(rules: AvailabilityRules): AvailabilityProblem[] {
  const problems: AvailabilityProblem[] = [];
  if (!isValidTimeZone(rules.timeZone)) {
    problems.push({ path: '/timeZone', message: `Unknown IANA time zone "${rules.timeZone}"` });
  }
  rules.weekly.forEach((hours, index) => problems.push(...intervalProblems(hours, `/weekly/${index}`)));
  const seenDates = new Set<string>();
  rules.overrides.forEach((override, index) => {
    const path = `/overrides/${index}`;
    if (!isRealDate(override.date)) problems.push({ path: `${path}/date`, message: `No such date ${override.date}` });
    if (seenDates.has(override.date)) problems.push({ path: `${path}/date`, message: `Second override for ${override.date}` });
    seenDates.add(override.date);
    override.intervals.forEach((interval, i) => problems.push(...intervalProblems(interval, `${path}/intervals/${i}`)));
  });
  return problems;
}

function intervalProblems(interval: ClockInterval, path: string): AvailabilityProblem[] {
  try {
    if (parseClockTime(interval.end) > parseClockTime(interval.start)) return [];
    return [{ path: `${path}/end`, message: 'End must be after start' }];
  } catch (error) {
    return [{ path, message: error instanceof Error ? error.message : String(error) }];
  }
}

function isRealDate(text: string): boolean {
  try {
    Temporal.PlainDate.from(text, { overflow: 'reject' });
    return /^\d{4}-\d{2}-\d{2}$/.test(text);
  } catch {
    return false;
  }
}
