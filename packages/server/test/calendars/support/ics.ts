// iCalendar objects the tests put on the CalDAV server, written by hand the way calendar apps
// write them (TZID with a VTIMEZONE, RRULE with EXDATE and RECURRENCE-ID overrides).
import { addDays } from '../../support/studies.js';

export const BERLIN_VTIMEZONE = `BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE`;

/** 2030-01-07 + 10:00 → 20300107T100000 (local, for TZID=…). */
export const local = (date: string, time: string) => `${date.replace(/-/g, '')}T${time.replace(':', '')}00`;

export function calendar(...components: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Beckon tests//EN', BERLIN_VTIMEZONE, ...components, 'END:VCALENDAR', ''].join('\n');
}

export interface EventSpec {
  uid: string;
  date: string;
  start: string;
  end: string;
  summary?: string;
  extra?: string[];
  recurrenceId?: { date: string; time: string };
}

export function vevent(spec: EventSpec): string {
  return [
    'BEGIN:VEVENT',
    `UID:${spec.uid}`,
    'DTSTAMP:20250101T000000Z',
    ...(spec.recurrenceId ? [`RECURRENCE-ID;TZID=Europe/Berlin:${local(spec.recurrenceId.date, spec.recurrenceId.time)}`] : []),
    `DTSTART;TZID=Europe/Berlin:${local(spec.date, spec.start)}`,
    `DTEND;TZID=Europe/Berlin:${local(spec.date, spec.end)}`,
    `SUMMARY:${spec.summary ?? spec.uid}`,
    ...(spec.extra ?? []),
    'END:VEVENT',
  ].join('\n');
}

export function allDay(uid: string, date: string, extra: string[] = []): string {
  return ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20250101T000000Z', `DTSTART;VALUE=DATE:${date.replace(/-/g, '')}`, `DTEND;VALUE=DATE:${addDays(date, 1).replace(/-/g, '')}`, `SUMMARY:${uid}`, ...extra, 'END:VEVENT'].join('\n');
}
