import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { computeFreeSlots } from '../../src/schedule/index.js';
import type { IsoWeekday } from '../../src/schedule/index.js';
import { every, host, hours, input, plusMinutes, starts, utcDays } from './fixtures.js';

// Hours 09:00–17:00 on one weekday, 20-minute slots on a 15-minute grid: 09:00 … 16:30, 31 slots.
const cases: { name: string; zone: string; date: string; weekday: IsoWeekday; first: string; last: string }[] = [
  // America/New_York with Europe/Berlin participants: US switches 2026-03-08 and 2026-11-01, EU 2026-03-29 and 2026-10-25.
  { name: 'New York, Fri 2026-03-06, both on winter time (EST)', zone: 'America/New_York', date: '2026-03-06', weekday: 5, first: '2026-03-06T14:00:00Z', last: '2026-03-06T21:30:00Z' },
  { name: 'New York, Tue 2026-03-10, US switched, EU not (EDT)', zone: 'America/New_York', date: '2026-03-10', weekday: 2, first: '2026-03-10T13:00:00Z', last: '2026-03-10T20:30:00Z' },
  { name: 'New York, Tue 2026-03-31, both on summer time (EDT)', zone: 'America/New_York', date: '2026-03-31', weekday: 2, first: '2026-03-31T13:00:00Z', last: '2026-03-31T20:30:00Z' },
  { name: 'New York, Tue 2026-10-27, EU back on winter time, US not (EDT)', zone: 'America/New_York', date: '2026-10-27', weekday: 2, first: '2026-10-27T13:00:00Z', last: '2026-10-27T20:30:00Z' },
  { name: 'New York, Tue 2026-11-03, both on winter time (EST)', zone: 'America/New_York', date: '2026-11-03', weekday: 2, first: '2026-11-03T14:00:00Z', last: '2026-11-03T21:30:00Z' },
  { name: 'Berlin, Tue 2026-03-10, US switched, EU not (CET)', zone: 'Europe/Berlin', date: '2026-03-10', weekday: 2, first: '2026-03-10T08:00:00Z', last: '2026-03-10T15:30:00Z' },
  { name: 'Berlin, Tue 2026-03-31, EU switched (CEST)', zone: 'Europe/Berlin', date: '2026-03-31', weekday: 2, first: '2026-03-31T07:00:00Z', last: '2026-03-31T14:30:00Z' },
  { name: 'Berlin, Tue 2026-10-27, EU back on winter time (CET)', zone: 'Europe/Berlin', date: '2026-10-27', weekday: 2, first: '2026-10-27T08:00:00Z', last: '2026-10-27T15:30:00Z' },
  // Half- and quarter-hour offsets.
  { name: 'Kolkata (+05:30), Tue 2026-03-10', zone: 'Asia/Kolkata', date: '2026-03-10', weekday: 2, first: '2026-03-10T03:30:00Z', last: '2026-03-10T11:00:00Z' },
  { name: 'Kathmandu (+05:45), Tue 2026-03-10', zone: 'Asia/Kathmandu', date: '2026-03-10', weekday: 2, first: '2026-03-10T03:15:00Z', last: '2026-03-10T10:45:00Z' },
  { name: 'Adelaide (+10:30 ACDT), Thu 2026-04-02: local Thursday starts on Wednesday in UTC', zone: 'Australia/Adelaide', date: '2026-04-02', weekday: 4, first: '2026-04-01T22:30:00Z', last: '2026-04-02T06:00:00Z' },
  { name: 'Adelaide (+09:30 ACST), Tue 2026-04-07, after its 2026-04-05 switch', zone: 'Australia/Adelaide', date: '2026-04-07', weekday: 2, first: '2026-04-06T23:30:00Z', last: '2026-04-07T07:00:00Z' },
];

describe('weekly hours become exact UTC instants in the host zone', () => {
  it.each(cases)('$name', ({ zone, date, weekday, first, last }) => {
    const slots = computeFreeSlots(
      input({
        hosts: [host({ timeZone: zone, weekly: hours([weekday], '09:00', '17:00') })],
        // Three UTC days around the date; the weekly hours exist on this weekday only.
        range: utcDays(Temporal.PlainDate.from(date).subtract({ days: 1 }).toString(), 3),
      }),
    );
    expect(starts(slots)).toEqual(every(15, first, last));
    expect(slots[0]).toEqual({ start: first, end: plusMinutes(first, 20), hostIds: ['host'] });
  });
});

// What a participant in Europe/Berlin sees of a New York interviewer's 09:00 start.
const participantCases = [
  { name: 'Fri 2026-03-06, neither switched: 6 h apart', date: '2026-03-06', weekday: 5 as const, berlinFirst: '15:00' },
  { name: 'Tue 2026-03-10, only the US switched: 5 h apart', date: '2026-03-10', weekday: 2 as const, berlinFirst: '14:00' },
  { name: 'Tue 2026-03-31, both switched: 6 h apart', date: '2026-03-31', weekday: 2 as const, berlinFirst: '15:00' },
  { name: 'Tue 2026-10-27, only the EU switched back: 5 h apart', date: '2026-10-27', weekday: 2 as const, berlinFirst: '14:00' },
  { name: 'Tue 2026-11-03, both switched back: 6 h apart', date: '2026-11-03', weekday: 2 as const, berlinFirst: '15:00' },
];

describe('New York interviewer, Europe/Berlin participant', () => {
  it.each(participantCases)('$name', ({ date, weekday, berlinFirst }) => {
    const [first] = computeFreeSlots(
      input({
        hosts: [host({ timeZone: 'America/New_York', weekly: hours([weekday], '09:00', '17:00') })],
        range: utcDays(date),
      }),
    );
    const inBerlin = Temporal.Instant.from(first!.start).toZonedDateTimeISO('Europe/Berlin');
    expect(inBerlin.toPlainDate().toString()).toBe(date);
    expect(inBerlin.toPlainTime().toString({ smallestUnit: 'minute' })).toBe(berlinFirst);
  });

  it('a week spanning the US switch (2026-03-02 … 03-13, Berlin unchanged) moves the UTC start on 03-09', () => {
    const slots = computeFreeSlots(
      input({
        hosts: [host({ timeZone: 'America/New_York', weekly: hours([1, 2, 3, 4, 5], '09:00', '09:20') })],
        range: utcDays('2026-03-02', 12),
      }),
    );
    expect(starts(slots)).toEqual([
      '2026-03-02T14:00:00Z', '2026-03-03T14:00:00Z', '2026-03-04T14:00:00Z', '2026-03-05T14:00:00Z', '2026-03-06T14:00:00Z',
      '2026-03-09T13:00:00Z', '2026-03-10T13:00:00Z', '2026-03-11T13:00:00Z', '2026-03-12T13:00:00Z', '2026-03-13T13:00:00Z',
    ]);
  });
});

describe('slot grid in the host zone', () => {
  it('Kathmandu (+05:45), 20-minute step: 09:00, 09:20, 09:40 local, not UTC-aligned', () => {
    const slots = computeFreeSlots(
      input({
        hosts: [host({ timeZone: 'Asia/Kathmandu', weekly: hours([2], '09:00', '10:00') })],
        range: utcDays('2026-03-10'),
        slotStepMinutes: 20,
      }),
    );
    expect(starts(slots)).toEqual(['2026-03-10T03:15:00Z', '2026-03-10T03:35:00Z', '2026-03-10T03:55:00Z']);
  });

  it('Kolkata (+05:30), hours from 09:10: the grid stays on the quarter hours past local midnight', () => {
    const slots = computeFreeSlots(
      input({
        hosts: [host({ timeZone: 'Asia/Kolkata', weekly: hours([2], '09:10', '10:00') })],
        range: utcDays('2026-03-10'),
      }),
    );
    // 09:15, 09:30 local; 09:45 would end at 10:05.
    expect(starts(slots)).toEqual(['2026-03-10T03:45:00Z', '2026-03-10T04:00:00Z']);
  });

  it('Berlin, default 20-minute interviews end inside the hours: 16:40 would end at 17:00 but is off the 15-minute grid', () => {
    const slots = computeFreeSlots(
      input({
        hosts: [host({ timeZone: 'Europe/Berlin', weekly: hours([2], '16:00', '17:00') })],
        range: utcDays('2026-06-09'),
      }),
    );
    expect(slots).toEqual([
      { start: '2026-06-09T14:00:00Z', end: '2026-06-09T14:20:00Z', hostIds: ['host'] },
      { start: '2026-06-09T14:15:00Z', end: '2026-06-09T14:35:00Z', hostIds: ['host'] },
      { start: '2026-06-09T14:30:00Z', end: '2026-06-09T14:50:00Z', hostIds: ['host'] },
    ]);
  });

  it("New York, hours until '24:00' run to local midnight (04:00Z in June)", () => {
    const slots = computeFreeSlots(
      input({
        hosts: [host({ timeZone: 'America/New_York', weekly: hours([2], '23:00', '24:00') })],
        range: utcDays('2026-06-10'),
        durationMinutes: 30,
        slotStepMinutes: 30,
      }),
    );
    expect(starts(slots)).toEqual(['2026-06-10T03:00:00Z', '2026-06-10T03:30:00Z']);
  });

  it('range keeps starts in [from, to): Berlin 2026-06-09', () => {
    const slots = computeFreeSlots(
      input({
        hosts: [host({ timeZone: 'Europe/Berlin', weekly: hours([2], '09:00', '10:00') })],
        range: { from: '2026-06-09T07:15:00Z', to: '2026-06-09T07:30:00Z' },
      }),
    );
    expect(starts(slots)).toEqual(['2026-06-09T07:15:00Z']);
  });
});
