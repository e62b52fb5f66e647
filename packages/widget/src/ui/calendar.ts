// Add-to-calendar from the booking the server returned: an .ics file (RFC 5545) built here, and a
// Google Calendar link. Times are UTC instants, so no zone definitions are needed.

export interface CalendarEvent {
  uid: string;
  start: string;
  end: string;
  title: string;
  description?: string;
  location?: string;
  url?: string;
}

/** 20260304T090000Z */
const stamp = (instant: string | number): string => new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');

/** TEXT value escaping: backslash, semicolon, comma, newline. */
const text = (s: string): string => s.replace(/[\\;,]/g, '\\$&').replace(/\r?\n/g, '\\n');

/** Lines longer than 75 octets are folded (CRLF + space), never inside a UTF-8 sequence. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const n = new TextEncoder().encode(ch).length;
    if (octets + n > 75) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += n;
  }
  return [...out, current].join('\r\n');
}

export function ics(e: CalendarEvent, now: number = Date.now()): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Beckon//Widget//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    `DTSTAMP:${stamp(now)}`,
    `DTSTART:${stamp(e.start)}`,
    `DTEND:${stamp(e.end)}`,
    `SUMMARY:${text(e.title)}`,
    ...(e.description ? [`DESCRIPTION:${text(e.description)}`] : []),
    ...(e.location ? [`LOCATION:${text(e.location)}`] : []),
    ...(e.url ? [`URL:${e.url}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

export const icsHref = (e: CalendarEvent): string => 'data:text/calendar;charset=utf-8,' + encodeURIComponent(ics(e));

export function googleCalendarUrl(e: CalendarEvent): string {
  const q = new URLSearchParams({ action: 'TEMPLATE', text: e.title, dates: `${stamp(e.start)}/${stamp(e.end)}` });
  const details = [e.description, e.url && `Reschedule or cancel: ${e.url}`].filter(Boolean).join('\n\n');
  if (details) q.set('details', details);
  if (e.location) q.set('location', e.location);
  return 'https://calendar.google.com/calendar/render?' + q;
}
