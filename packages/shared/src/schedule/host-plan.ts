import { MS_PER_MINUTE, toEpochMs } from './instants.js';
import type { Span } from './intervals.js';
import { lastStartingAtOrBefore, mergeSpans, overlapsAny } from './intervals.js';
import { isoWeekKey, localDateOf, startOfLocalDay } from './local-time.js';
import type { WorkingWindow } from './working-hours.js';
import { gridStartsIn, overridesByDate, workingWindows } from './working-hours.js';
import type { ExistingBooking, HostAvailability, TimeInterval } from './types.js';

/** Everything about one host that the slot checks need, computed once per call. */
export interface HostPlan {
  host: HostAvailability;
  /** Slot starts must lie in [earliestStart, startsBefore): range, notice and booking window. */
  earliestStart: number;
  startsBefore: number;
  windows: WorkingWindow[];
  /** Grid starts inside working hours and the bounds above, with the window each lies in. */
  gridStarts: Map<number, WorkingWindow>;
  /** Calendar busy time and other bookings' blocked time, merged. */
  blocked: Span[];
  bookingsPerDay: Map<string, number>;
  bookingsPerWeek: Map<string, number>;
}

export interface PlanContext {
  rangeFrom: number;
  rangeTo: number;
  now: number;
  durationMs: number;
  stepMinutes: number;
  /** This host's calendar busy intervals. */
  busy: readonly TimeInterval[];
  /** This host's confirmed bookings. */
  bookings: readonly ExistingBooking[];
}

export function planHost(host: HostAvailability, context: PlanContext): HostPlan {
  const earliestStart = Math.max(context.rangeFrom, context.now + host.minimumNoticeMinutes * MS_PER_MINUTE);
  const startsBefore = Math.min(context.rangeTo, bookingWindowEnd(host, context.now));
  const windows = windowsAround(host, earliestStart, startsBefore);
  // Local days and weeks of other bookings matter only to a cap; reading them costs a zone lookup each.
  const hasCaps = isCap(host.maxPerDay) || isCap(host.maxPerWeek);
  const dayAndWeekKeys = hasCaps ? context.bookings.map((booking) => bookingDayAndWeek(booking, host.timeZone)) : [];
  return {
    host,
    earliestStart,
    startsBefore,
    windows,
    gridStarts: gridStartsWithin(windows, host.timeZone, context, earliestStart, startsBefore),
    blocked: mergeSpans([...context.busy.map(toSpan), ...context.bookings.map(blockedByBooking)]),
    bookingsPerDay: countBy(dayAndWeekKeys.map((keys) => keys.day)),
    bookingsPerWeek: countBy(dayAndWeekKeys.map((keys) => keys.week)),
  };
}

/**
 * The booking window ends at the start of the host's local date today + N: whole local days, so
 * the horizon does not creep forward minute by minute and never shows half a day.
 */
function bookingWindowEnd(host: HostAvailability, now: number): number {
  const lastDay = localDateOf(now, host.timeZone).add({ days: host.bookingWindowDays });
  return startOfLocalDay(lastDay, host.timeZone);
}

/**
 * Working windows already computed, by host rules and local dates: every booking checks one slot
 * against each host's hours of a day or two, and turning wall-clock hours into instants is the
 * costly part (zone rules). Windows are never changed after they are made, so they are shared.
 */
const windowsMemo = new Map<string, WorkingWindow[]>();
const WINDOWS_MEMO_SIZE = 1_000;

/** Working windows of the local dates that can hold a start in [from, to). */
function windowsAround(host: HostAvailability, from: number, to: number): WorkingWindow[] {
  if (from >= to) return [];
  // The day before too: near a DST change a start can belong to the previous local date's hours.
  const first = localDateOf(from, host.timeZone).subtract({ days: 1 });
  const last = localDateOf(to, host.timeZone);
  const key = `${host.timeZone}|${first.toString()}|${last.toString()}|${JSON.stringify(host.weekly)}|${JSON.stringify(host.overrides)}`;
  const known = windowsMemo.get(key);
  if (known) return known;
  const windows = workingWindows(host, overridesByDate(host), first, last);
  if (windowsMemo.size >= WINDOWS_MEMO_SIZE) windowsMemo.clear();
  windowsMemo.set(key, windows);
  return windows;
}

function gridStartsWithin(
  windows: readonly WorkingWindow[],
  timeZone: string,
  context: PlanContext,
  from: number,
  to: number,
): Map<number, WorkingWindow> {
  const starts = new Map<number, WorkingWindow>();
  for (const window of windows) {
    if (window.end <= from || window.start >= to) continue;
    for (const start of gridStartsIn(window, timeZone, context.stepMinutes, context.durationMs)) {
      if (start >= from && start < to) starts.set(start, window);
    }
  }
  return starts;
}

function toSpan(interval: TimeInterval): Span {
  return { start: toEpochMs(interval.start), end: toEpochMs(interval.end) };
}

/** The time a booking holds its host, matching the database's exclusion constraint. */
function blockedByBooking(booking: ExistingBooking): Span {
  const span = toSpan(booking);
  return {
    start: span.start - booking.bufferBeforeMinutes * MS_PER_MINUTE,
    end: span.end + booking.bufferAfterMinutes * MS_PER_MINUTE,
  };
}

function bookingDayAndWeek(booking: ExistingBooking, timeZone: string): { day: string; week: string } {
  const date = localDateOf(toEpochMs(booking.start), timeZone);
  return { day: date.toString(), week: isoWeekKey(date) };
}

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** The window a slot [start, start + duration) lies fully inside, within the host's bounds. */
export function windowHolding(plan: HostPlan, start: number, durationMs: number): WorkingWindow | undefined {
  if (start < plan.earliestStart || start >= plan.startsBefore) return undefined;
  const window = plan.windows[lastStartingAtOrBefore(plan.windows, start)];
  return window !== undefined && start + durationMs <= window.end ? window : undefined;
}

/**
 * Free when the slot's own blocked time [start − before, end + after) (this host's buffers)
 * overlaps no busy or booked time, and the slot's local day and ISO week are under the caps.
 */
export function isHostFree(plan: HostPlan, window: WorkingWindow, start: number, durationMs: number): boolean {
  const { host } = plan;
  const ownBlock = {
    start: start - host.bufferBeforeMinutes * MS_PER_MINUTE,
    end: start + durationMs + host.bufferAfterMinutes * MS_PER_MINUTE,
  };
  return (
    !overlapsAny(plan.blocked, ownBlock) &&
    isUnderCap(plan.bookingsPerDay.get(window.dayKey), host.maxPerDay) &&
    isUnderCap(plan.bookingsPerWeek.get(window.weekKey), host.maxPerWeek)
  );
}

function isCap(cap: number | null | undefined): cap is number {
  return cap !== null && cap !== undefined;
}

function isUnderCap(count: number | undefined, cap: number | null | undefined): boolean {
  return !isCap(cap) || (count ?? 0) < cap;
}
