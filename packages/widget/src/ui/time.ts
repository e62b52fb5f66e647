// Dates and times for the participant, through Intl only (the schedule module's Temporal
// polyfill would triple the UI chunk). `dayOf` agrees with shared/schedule's groupSlotsByDay,
// which the server uses for the `days` of a slots answer (checked in test/time.test.ts).

import type { Slot } from '@beckon/shared/api';

export type { Slot };

export interface Day {
  /** Local date in the zone, YYYY-MM-DD. */
  date: string;
  slots: Slot[];
}

/** The visitor's zone, or UTC when the browser does not say. */
export function detectZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Every zone the browser knows, the detected one included. */
export function zones(current: string): string[] {
  let all: string[] = [];
  try {
    all = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    // Older browsers: the current zone only.
  }
  return all.includes(current) ? all : [current, ...all];
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(locale: string | undefined, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = [locale, timeZone, JSON.stringify(options)].join('|');
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(locale, { ...options, timeZone })));
  return f;
}

/** The local date of an instant in a zone: YYYY-MM-DD. */
export function dayOf(instant: string | number, timeZone: string): string {
  const parts: Record<string, string> = {};
  for (const p of format('en-US', timeZone, { year: 'numeric', month: '2-digit', day: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(instant))) {
    parts[p.type] = p.value;
  }
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** Slots grouped by local date in `timeZone`, in time order. */
export function groupByDay(slots: readonly Slot[], timeZone: string): Day[] {
  const days: Day[] = [];
  for (const slot of [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
    const date = dayOf(slot.start, timeZone);
    const last = days[days.length - 1];
    if (last?.date == date) last.slots.push(slot);
    else days.push({ date, slots: [slot] });
  }
  return days;
}

/** "Wed, Mar 4" for a local date (read at noon UTC so every zone names the same date). */
export const dayLabel = (date: string, locale?: string, long?: boolean): string =>
  format(locale, 'UTC', long ? { weekday: 'long', month: 'long', day: 'numeric' } : { weekday: 'short', month: 'short', day: 'numeric' }).format(
    new Date(date + 'T12:00:00Z'),
  );

/** "10:00 AM" in the zone. */
export const timeLabel = (instant: string, timeZone: string, locale?: string): string =>
  format(locale, timeZone, { hour: 'numeric', minute: '2-digit' }).format(new Date(instant));

/** "Wednesday, March 4, 10:00 – 10:20 AM" in the zone. */
export const rangeLabel = (slot: Slot, timeZone: string, locale?: string): string =>
  `${dayLabel(dayOf(slot.start, timeZone), locale, true)}, ${timeLabel(slot.start, timeZone, locale)} – ${timeLabel(slot.end, timeZone, locale)}`;
