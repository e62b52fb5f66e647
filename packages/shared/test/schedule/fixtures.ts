import type { FreeSlot, FreeSlotsInput, HostAvailability, IsoWeekday, WeeklyHours } from '../../src/schedule/index.js';

export const WEEKDAYS: IsoWeekday[] = [1, 2, 3, 4, 5];

export function hours(days: readonly IsoWeekday[], start: string, end: string): WeeklyHours[] {
  return days.map((weekday) => ({ weekday, start, end }));
}

/** A host with no buffers, notice or caps and a year-long window, unless the case says otherwise. */
export function host(fields: Partial<HostAvailability> & Pick<HostAvailability, 'timeZone'>): HostAvailability {
  return {
    hostId: 'host',
    weekly: hours(WEEKDAYS, '09:00', '17:00'),
    overrides: [],
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    bookingWindowDays: 366,
    maxPerDay: null,
    maxPerWeek: null,
    ...fields,
  };
}

/** Hours on one local date only. */
export function onlyOn(date: string, start: string, end: string): Pick<HostAvailability, 'weekly' | 'overrides'> {
  return { weekly: [], overrides: [{ date, intervals: [{ start, end }] }] };
}

/** Long before every case, so notice and window never get in the way unless a case sets them. */
export const LONG_AGO = '2026-01-01T00:00:00Z';

export function input(fields: Partial<FreeSlotsInput> & Pick<FreeSlotsInput, 'hosts' | 'range'>): FreeSlotsInput {
  return { now: LONG_AGO, assignment: 'round_robin', ...fields };
}

/** UTC day range [date, date + days). */
export function utcDays(date: string, days = 1): FreeSlotsInput['range'] {
  const from = new Date(`${date}T00:00:00Z`);
  return { from, to: new Date(from.getTime() + days * 86_400_000) };
}

export function starts(slots: readonly FreeSlot[]): string[] {
  return slots.map((slot) => slot.start);
}

/** Every `stepMinutes` from `first` to `last` inclusive, as ISO UTC strings without milliseconds. */
export function every(stepMinutes: number, first: string, last: string): string[] {
  const result: string[] = [];
  for (let t = Date.parse(first); t <= Date.parse(last); t += stepMinutes * 60_000) {
    result.push(isoUtc(t));
  }
  return result;
}

export function plusMinutes(iso: string, minutes: number): string {
  return isoUtc(Date.parse(iso) + minutes * 60_000);
}

/** The module's output format: ISO UTC without milliseconds. */
function isoUtc(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}
