// The workspace's week on its own clock: Monday 00:00 to the next Monday 00:00, cut into the real
// hours it has (167 in a spring-forward week, 169 in a fall-back one). Temporal does every local
// conversion; frames are cached, so a decision costs a binary search, not a time-zone lookup.
import { Temporal } from 'temporal-polyfill';
import type { EpochMs } from './types.js';

export const SLOTS = 168;
const HOUR_MS = 3_600_000;

export interface WeekFrame {
  /** Monday's local date, e.g. '2026-03-02'. */
  key: string;
  timeZone: string;
  start: EpochMs;
  end: EpochMs;
  /** The instant each real hour of the week starts; hours[hours.length] would be `end`. */
  hourStarts: EpochMs[];
  /** Hour-of-week slot ((ISO weekday − 1) × 24 + local hour) of each real hour. */
  slots: number[];
  /** How many real hours of this week fall in each slot (0, 1 or 2 around DST changes). */
  occurrences: number[];
}

const cache: WeekFrame[] = [];
const CACHE_SIZE = 16;

function build(monday: Temporal.PlainDate, timeZone: string): WeekFrame {
  const startZoned = monday.toZonedDateTime({ timeZone });
  const end = monday.add({ days: 7 }).toZonedDateTime({ timeZone }).epochMilliseconds;
  const hourStarts: number[] = [];
  const slots: number[] = [];
  const occurrences = new Array<number>(SLOTS).fill(0);
  const transition = startZoned.getTimeZoneTransition('next');
  if (transition === null || transition.epochMilliseconds >= end) {
    // No offset change this week: the local clock runs with the instants, 168 hours from Monday 00:00.
    for (let slot = 0; slot < SLOTS; slot++) {
      hourStarts.push(startZoned.epochMilliseconds + slot * HOUR_MS);
      slots.push(slot);
      occurrences[slot] = 1;
    }
    return { key: monday.toString(), timeZone, start: startZoned.epochMilliseconds, end, hourStarts, slots, occurrences };
  }
  // Exact hours from local midnight: with whole-hour offsets each lands where a local hour begins.
  for (let at = startZoned; at.epochMilliseconds < end; at = at.add({ hours: 1 })) {
    const slot = (at.dayOfWeek - 1) * 24 + at.hour;
    hourStarts.push(at.epochMilliseconds);
    slots.push(slot);
    occurrences[slot]! += 1;
  }
  return { key: monday.toString(), timeZone, start: startZoned.epochMilliseconds, end, hourStarts, slots, occurrences };
}

/** The week holding `at` in `timeZone`. */
export function weekFrame(at: EpochMs, timeZone: string): WeekFrame {
  for (const frame of cache) {
    if (frame.timeZone === timeZone && at >= frame.start && at < frame.end) return frame;
  }
  const date = Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(timeZone).toPlainDate();
  const frame = build(date.subtract({ days: date.dayOfWeek - 1 }), timeZone);
  cache.unshift(frame);
  if (cache.length > CACHE_SIZE) cache.pop();
  return frame;
}

/** Index into `frame.hourStarts` of the hour holding `at` (which must lie in the frame). */
export function hourIndex(frame: WeekFrame, at: EpochMs): number {
  const starts = frame.hourStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Share of the hour holding `at` that has already passed (0–1). */
export function hourElapsed(frame: WeekFrame, index: number, at: EpochMs): number {
  const start = frame.hourStarts[index]!;
  const end = frame.hourStarts[index + 1] ?? frame.end;
  return Math.min(1, Math.max(0, (at - start) / (end - start)));
}
