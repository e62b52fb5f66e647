// The availability editor's draft ↔ the API's Availability. Weekly hours are edited per weekday
// and sent as one flat list, weekday by weekday, so `weekly.N` in a server error is the N-th
// interval in that order (see flatIndex).
import type { Availability } from '@beckon/shared/api';
import type { FieldProblem } from './fields.js';

export interface Interval {
  start: string;
  /** As shown in a time input: '00:00' as an end means midnight at the end of the day ('24:00'). */
  end: string;
}

export interface OverrideDraft {
  date: string;
  dayOff: boolean;
  intervals: Interval[];
}

export interface AvailabilityDraft {
  timeZone: string;
  /** Index 0 = Monday … 6 = Sunday. */
  weekly: Interval[][];
  overrides: OverrideDraft[];
  bufferBeforeMinutes: string;
  bufferAfterMinutes: string;
  minimumNoticeMinutes: string;
  bookingWindowDays: string;
  /** '' = no cap */
  maxPerDay: string;
  maxPerWeek: string;
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

const endToInput = (end: string) => (end === '24:00' ? '00:00' : end);
const endFromInput = (end: string) => (end === '00:00' ? '24:00' : end);

export function draftFromAvailability(availability: Availability): AvailabilityDraft {
  const weekly: Interval[][] = WEEKDAYS.map(() => []);
  const sorted = [...availability.weekly].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
  for (const hours of sorted) weekly[hours.weekday - 1]?.push({ start: hours.start, end: endToInput(hours.end) });
  return {
    timeZone: availability.timeZone,
    weekly,
    overrides: [...availability.overrides]
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((o) => ({ date: o.date, dayOff: o.intervals.length === 0, intervals: o.intervals.map((i) => ({ start: i.start, end: endToInput(i.end) })) })),
    bufferBeforeMinutes: String(availability.bufferBeforeMinutes),
    bufferAfterMinutes: String(availability.bufferAfterMinutes),
    minimumNoticeMinutes: String(availability.minimumNoticeMinutes),
    bookingWindowDays: String(availability.bookingWindowDays),
    maxPerDay: availability.maxPerDay == null ? '' : String(availability.maxPerDay),
    maxPerWeek: availability.maxPerWeek == null ? '' : String(availability.maxPerWeek),
  };
}

/** Position of weekday `day` (0 = Monday), interval `i`, in the flat `weekly` list sent to the API. */
export function flatIndex(weekly: Interval[][], day: number, i: number): number {
  let index = i;
  for (let d = 0; d < day; d++) index += weekly[d]?.length ?? 0;
  return index;
}

/** A whole number typed into a text input, or the problem with it. */
export function integer(text: string, field: string, label: string, min: number, max: number, optional: true): number | null | FieldProblem;
export function integer(text: string, field: string, label: string, min: number, max: number, optional?: false): number | FieldProblem;
export function integer(text: string, field: string, label: string, min: number, max: number, optional = false): number | null | FieldProblem {
  const trimmed = text.trim();
  if (trimmed === '') return optional ? null : { field, message: `${label} is required` };
  const value = Number(trimmed);
  if (!Number.isInteger(value)) return { field, message: `${label} must be a whole number` };
  if (value < min || value > max) return { field, message: `${label} must be between ${min} and ${max}` };
  return value;
}
const isProblem = (value: unknown): value is FieldProblem => typeof value === 'object' && value !== null;

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

function checkInterval(interval: Interval, field: string, where: string): FieldProblem | null {
  if (!/^\d\d:\d\d$/.test(interval.start)) return { field: `${field}.start`, message: `${where}: enter a start time` };
  if (!/^\d\d:\d\d$/.test(interval.end)) return { field: `${field}.end`, message: `${where}: enter an end time` };
  const end = endFromInput(interval.end);
  if (minutesOf(end) <= minutesOf(interval.start)) return { field: `${field}.end`, message: `${where}: the end must be after the start` };
  return null;
}

/** Problems the editor can see before saving (the server checks everything again). */
export function availabilityProblems(draft: AvailabilityDraft): FieldProblem[] {
  const problems: FieldProblem[] = [];
  draft.weekly.forEach((intervals, day) =>
    intervals.forEach((interval, i) => {
      const problem = checkInterval(interval, `weekly.${flatIndex(draft.weekly, day, i)}`, intervals.length > 1 ? `${WEEKDAYS[day]}, hours ${i + 1}` : WEEKDAYS[day]!);
      if (problem) problems.push(problem);
    }),
  );
  const seen = new Set<string>();
  draft.overrides.forEach((override, k) => {
    if (!/^\d{4}-\d\d-\d\d$/.test(override.date)) problems.push({ field: `overrides.${k}.date`, message: 'Pick a date' });
    else if (seen.has(override.date)) problems.push({ field: `overrides.${k}.date`, message: 'This date already has an override' });
    seen.add(override.date);
    if (!override.dayOff) {
      if (override.intervals.length === 0) problems.push({ field: `overrides.${k}.intervals`, message: 'Add hours, or mark it as a day off' });
      override.intervals.forEach((interval, j) => {
        const problem = checkInterval(interval, `overrides.${k}.intervals.${j}`, override.date || `Override ${k + 1}`);
        if (problem) problems.push(problem);
      });
    }
  });
  return problems;
}

/** The body for PUT …/availability, or the problems that keep it from being sent. */
export function availabilityFromDraft(draft: AvailabilityDraft): { body: Availability } | { problems: FieldProblem[] } {
  const problems = availabilityProblems(draft);
  const WEEK = 7 * 24 * 60;
  const before = integer(draft.bufferBeforeMinutes, 'bufferBeforeMinutes', 'Buffer before', 0, WEEK);
  const after = integer(draft.bufferAfterMinutes, 'bufferAfterMinutes', 'Buffer after', 0, WEEK);
  const notice = integer(draft.minimumNoticeMinutes, 'minimumNoticeMinutes', 'Minimum notice', 0, 60 * 24 * 366);
  const window = integer(draft.bookingWindowDays, 'bookingWindowDays', 'Booking window', 0, 366);
  const perDay = integer(draft.maxPerDay, 'maxPerDay', 'Daily cap', 0, 1000, true);
  const perWeek = integer(draft.maxPerWeek, 'maxPerWeek', 'Weekly cap', 0, 10_000, true);
  for (const value of [before, after, notice, window, perDay, perWeek]) if (isProblem(value)) problems.push(value);
  if (!draft.timeZone) problems.push({ field: 'timeZone', message: 'Pick a time zone' });
  if (problems.length > 0) return { problems };
  return {
    body: {
      timeZone: draft.timeZone,
      weekly: draft.weekly.flatMap((intervals, day) =>
        intervals.map((interval) => ({ weekday: (day + 1) as 1 | 2 | 3 | 4 | 5 | 6 | 7, start: interval.start, end: endFromInput(interval.end) })),
      ),
      overrides: draft.overrides.map((o) => ({
        date: o.date,
        intervals: o.dayOff ? [] : o.intervals.map((i) => ({ start: i.start, end: endFromInput(i.end) })),
      })),
      bufferBeforeMinutes: before as number,
      bufferAfterMinutes: after as number,
      minimumNoticeMinutes: notice as number,
      bookingWindowDays: window as number,
      maxPerDay: perDay as number | null,
      maxPerWeek: perWeek as number | null,
    },
  };
}

/** Copies one weekday's hours onto other weekdays (e.g. Monday onto Tuesday–Friday). */
export function copyDay(weekly: Interval[][], from: number, to: number[]): Interval[][] {
  const source = weekly[from] ?? [];
  return weekly.map((intervals, day) => (to.includes(day) ? source.map((i) => ({ ...i })) : intervals));
}
