import { Temporal } from 'temporal-polyfill';
import type { Span } from './intervals.js';
import { mergeSpans } from './intervals.js';
import { firstInstantAtWallTime, isoWeekKey, localTimeOfDayMs, parseClockTime, splitAtOffsetChanges } from './local-time.js';
import { MS_PER_MINUTE } from './instants.js';
import type { AvailabilityRules, ClockInterval } from './types.js';

/** Working hours of one local date as real instants; the date is what caps count against. */
export interface WorkingWindow extends Span {
  dayKey: string;
  weekKey: string;
}

/** Override intervals by local date; several overrides for one date add up. */
export function overridesByDate(rules: AvailabilityRules): Map<string, ClockInterval[]> {
  const byDate = new Map<string, ClockInterval[]>();
  for (const override of rules.overrides) {
    byDate.set(override.date, [...(byDate.get(override.date) ?? []), ...override.intervals]);
  }
  return byDate;
}

/** The clock intervals of one local date, in minutes since midnight, merged. */
function clockSpansOn(
  date: Temporal.PlainDate,
  rules: AvailabilityRules,
  overrides: Map<string, ClockInterval[]>,
): Span[] {
  const intervals =
    overrides.get(date.toString()) ?? rules.weekly.filter((hours) => hours.weekday === date.dayOfWeek);
  return mergeSpans(
    intervals.map((interval) => ({ start: parseClockTime(interval.start), end: parseClockTime(interval.end) })),
  );
}

/** Working windows of every local date from `first` to `last`, sorted and disjoint. */
export function workingWindows(
  rules: AvailabilityRules,
  overrides: Map<string, ClockInterval[]>,
  first: Temporal.PlainDate,
  last: Temporal.PlainDate,
): WorkingWindow[] {
  const windows: WorkingWindow[] = [];
  for (let date = first; Temporal.PlainDate.compare(date, last) <= 0; date = date.add({ days: 1 })) {
    const clockSpans = clockSpansOn(date, rules, overrides);
    if (clockSpans.length === 0) continue;
    const dayKey = date.toString();
    const weekKey = isoWeekKey(date);
    for (const clock of clockSpans) {
      const start = firstInstantAtWallTime(date, clock.start, rules.timeZone);
      const end = firstInstantAtWallTime(date, clock.end, rules.timeZone);
      // A window can vanish entirely into a skipped hour.
      if (end > start) windows.push({ start, end, dayKey, weekKey });
    }
  }
  return windows;
}

/**
 * Slot starts inside a window: the real instants whose local clock reading is a multiple of the
 * step past midnight and whose slot ends by the window's end. A skipped clock time has no instant,
 * so it yields no slot; a repeated one has two, and both are real.
 */
export function gridStartsIn(
  window: Span,
  timeZone: string,
  stepMinutes: number,
  durationMs: number,
): number[] {
  const stepMs = stepMinutes * MS_PER_MINUTE;
  const latestStart = window.end - durationMs;
  const starts: number[] = [];
  for (const piece of splitAtOffsetChanges(window, timeZone)) {
    // With a constant offset the clock and real time advance together, so grid points are one
    // step apart; the step divides a day, so the grid carries on across midnight.
    const pastGrid = localTimeOfDayMs(piece.start, timeZone) % stepMs;
    const first = pastGrid === 0 ? piece.start : piece.start + stepMs - pastGrid;
    for (let start = first; start < piece.end && start <= latestStart; start += stepMs) starts.push(start);
  }
  return starts;
}
