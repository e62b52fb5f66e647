// Every conversion between local wall-clock time and instants goes through Temporal.
import { Temporal } from 'temporal-polyfill';
import type { Span } from './intervals.js';

export const MINUTES_PER_DAY = 24 * 60;
const CLOCK_TIME = /^(\d{2}):(\d{2})$/;

/** Minutes since local midnight of 'HH:MM' (00:00 … 24:00). */
export function parseClockTime(text: string): number {
  const match = CLOCK_TIME.exec(text);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  const total = hours * 60 + minutes;
  if (match === null || minutes > 59 || total > MINUTES_PER_DAY) {
    throw new RangeError(`Invalid clock time "${text}", expected HH:MM between 00:00 and 24:00`);
  }
  return total;
}

function zoned(epochMs: number, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
}

export function localDateOf(epochMs: number, timeZone: string): Temporal.PlainDate {
  return zoned(epochMs, timeZone).toPlainDate();
}

/** Milliseconds the local clock shows past midnight at this instant. */
export function localTimeOfDayMs(epochMs: number, timeZone: string): number {
  const time = zoned(epochMs, timeZone).toPlainTime();
  return ((time.hour * 60 + time.minute) * 60 + time.second) * 1000 + time.millisecond;
}

/** First instant of a local date (not always 00:00: some zones skip midnight). */
export function startOfLocalDay(date: Temporal.PlainDate, timeZone: string): number {
  return date.toZonedDateTime({ timeZone }).epochMilliseconds;
}

/**
 * The first instant at which the local clock on `date` shows `minutes` past midnight or later.
 * A repeated time (fall back) maps to its first occurrence ('earlier'); a skipped time (spring
 * forward) maps to the transition itself, when the clock jumps past it. So working hours cover
 * exactly the real instants whose clock reading falls within them.
 */
export function firstInstantAtWallTime(
  date: Temporal.PlainDate,
  minutes: number,
  timeZone: string,
): number {
  if (minutes === MINUTES_PER_DAY) return startOfLocalDay(date.add({ days: 1 }), timeZone);
  const wall = date.toPlainDateTime({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
  const earlier = wall.toZonedDateTime(timeZone, { disambiguation: 'earlier' });
  if (earlier.toPlainDateTime().equals(wall)) return earlier.epochMilliseconds;
  // Skipped: 'earlier' lands just before the gap, so the next transition is the jump.
  const jump = earlier.getTimeZoneTransition('next');
  if (jump === null) throw new Error(`No transition after ${earlier.toString()}`);
  return jump.epochMilliseconds;
}

/** Splits a span where the zone's UTC offset changes; inside each piece the offset is constant. */
export function splitAtOffsetChanges(span: Span, timeZone: string): Span[] {
  const pieces: Span[] = [];
  let cursor = span.start;
  while (cursor < span.end) {
    const next = zoned(cursor, timeZone).getTimeZoneTransition('next');
    const end = next === null ? span.end : Math.min(next.epochMilliseconds, span.end);
    pieces.push({ start: cursor, end });
    cursor = end;
  }
  return pieces;
}

/** Key of the ISO week (Monday–Sunday) holding a date: that Monday's date. */
export function isoWeekKey(date: Temporal.PlainDate): string {
  return date.subtract({ days: date.dayOfWeek - 1 }).toString();
}
