// The iCalendar expansion behind CalDAV busy time, on its own: zones (TZID, UTC, floating,
// all-day in the host's zone), a weekly meeting across a DST change, DURATION, and instances
// moved into the range from outside it.
import { describe, expect, it } from 'vitest';
import { busyFromICalendar } from '../../src/calendars/ical.js';
import { allDay, calendar, vevent } from './support/ics.js';

const rules = { hostAddresses: ['maya@acme.test'], timeZone: 'America/New_York' };
const iso = (intervals: { start: Date; end: Date }[]) => intervals.map((i) => [i.start.toISOString(), i.end.toISOString()]).sort();
const range = (from: string, to: string) => [new Date(from), new Date(to)] as const;

describe('busy time from iCalendar objects', () => {
  it('reads TZID times by their zone, UTC as UTC, floating times and all-day events in the host zone', () => {
    const text = calendar(
      vevent({ uid: 'berlin', date: '2030-01-07', start: '10:00', end: '11:00' }),
      ['BEGIN:VEVENT', 'UID:utc', 'DTSTAMP:20250101T000000Z', 'DTSTART:20300107T150000Z', 'DTEND:20300107T153000Z', 'END:VEVENT'].join('\n'),
      ['BEGIN:VEVENT', 'UID:floating', 'DTSTAMP:20250101T000000Z', 'DTSTART:20300107T130000', 'DURATION:PT45M', 'END:VEVENT'].join('\n'),
      allDay('holiday', '2030-01-08'),
    );
    const [from, to] = range('2030-01-06T00:00:00Z', '2030-01-10T00:00:00Z');
    expect(iso(busyFromICalendar(text, from, to, rules))).toEqual(
      [
        ['2030-01-07T09:00:00.000Z', '2030-01-07T10:00:00.000Z'], // 10:00 Berlin (CET)
        ['2030-01-07T15:00:00.000Z', '2030-01-07T15:30:00.000Z'],
        ['2030-01-07T18:00:00.000Z', '2030-01-07T18:45:00.000Z'], // 13:00 floating, read in New York
        ['2030-01-08T05:00:00.000Z', '2030-01-09T05:00:00.000Z'], // the whole New York day
      ].sort(),
    );
  });

  it('keeps a weekly meeting at its local time across a DST change', () => {
    const text = calendar(vevent({ uid: 'weekly', date: '2030-03-18', start: '09:00', end: '09:30', extra: ['RRULE:FREQ=WEEKLY;COUNT=3'] }));
    const [from, to] = range('2030-03-01T00:00:00Z', '2030-04-30T00:00:00Z');
    expect(iso(busyFromICalendar(text, from, to, rules))).toEqual([
      ['2030-03-18T08:00:00.000Z', '2030-03-18T08:30:00.000Z'], // CET
      ['2030-03-25T08:00:00.000Z', '2030-03-25T08:30:00.000Z'], // Berlin still CET on 25 March 2030
      ['2030-04-01T07:00:00.000Z', '2030-04-01T07:30:00.000Z'], // CEST after 31 March
    ]);
  });

  it('counts an instance moved into the range from outside it, and not the one moved out', () => {
    const text = calendar(
      vevent({ uid: 'r', date: '2030-01-07', start: '12:00', end: '13:00', extra: ['RRULE:FREQ=DAILY;COUNT=10'] }),
      // 10 January moved back to 3 January; 4 January moved to 20 January.
      vevent({ uid: 'r', date: '2030-01-03', start: '08:00', end: '09:00', recurrenceId: { date: '2030-01-10', time: '12:00' } }),
      vevent({ uid: 'r', date: '2030-01-20', start: '08:00', end: '09:00', recurrenceId: { date: '2030-01-08', time: '12:00' } }),
    );
    const [from, to] = range('2030-01-01T00:00:00Z', '2030-01-08T00:00:00Z');
    expect(iso(busyFromICalendar(text, from, to, rules))).toEqual([
      ['2030-01-03T07:00:00.000Z', '2030-01-03T08:00:00.000Z'],
      ['2030-01-07T11:00:00.000Z', '2030-01-07T12:00:00.000Z'],
    ]);
  });

  it('skips cancelled, transparent and declined events; a tentative or unanswered invitation still blocks', () => {
    const mk = (uid: string, start: string, extra: string[]) => vevent({ uid, date: '2030-01-07', start, end: `${start.slice(0, 2)}:30`, extra });
    const text = calendar(
      mk('cancelled', '09:00', ['STATUS:CANCELLED']),
      mk('free', '10:00', ['TRANSP:TRANSPARENT']),
      mk('declined', '11:00', ['ATTENDEE;PARTSTAT=DECLINED:mailto:Maya@Acme.test']),
      mk('tentative', '12:00', ['ATTENDEE;PARTSTAT=TENTATIVE:mailto:maya@acme.test']),
      mk('unanswered', '13:00', ['ATTENDEE:mailto:maya@acme.test']),
      mk('someone-else-declined', '14:00', ['ATTENDEE;PARTSTAT=DECLINED:mailto:bob@acme.test', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:maya@acme.test']),
    );
    const [from, to] = range('2030-01-07T00:00:00Z', '2030-01-08T00:00:00Z');
    expect(busyFromICalendar(text, from, to, rules).map((i) => i.start.toISOString().slice(11, 16))).toEqual(['11:00', '12:00', '13:00']);
  });
});
