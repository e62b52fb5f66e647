import { describe, expect, it } from 'vitest';
import { computeFreeSlots } from '../../src/schedule/index.js';
import type { ExistingBooking, HostAvailability, TimeInterval } from '../../src/schedule/index.js';
import { every, host, hours, input, onlyOn, starts, utcDays, WEEKDAYS } from './fixtures.js';

describe('date overrides (Europe/Berlin, CEST, week of Mon 2026-06-08)', () => {
  const weekdays = { timeZone: 'Europe/Berlin', weekly: hours(WEEKDAYS, '09:00', '17:00') };
  const cases: { name: string; overrides: HostAvailability['overrides']; day: string; expected: string[] }[] = [
    { name: 'no override: Wed 2026-06-10 keeps its weekly 09:00–17:00', overrides: [], day: '2026-06-10', expected: every(15, '2026-06-10T07:00:00Z', '2026-06-10T14:30:00Z') },
    { name: 'day off on Wed 2026-06-10', overrides: [{ date: '2026-06-10', intervals: [] }], day: '2026-06-10', expected: [] },
    { name: 'day off on Wed leaves Thu 2026-06-11 alone', overrides: [{ date: '2026-06-10', intervals: [] }], day: '2026-06-11', expected: every(15, '2026-06-11T07:00:00Z', '2026-06-11T14:30:00Z') },
    { name: 'different hours on Wed 2026-06-10: 13:00–14:00 replaces 09:00–17:00', overrides: [{ date: '2026-06-10', intervals: [{ start: '13:00', end: '14:00' }] }], day: '2026-06-10', expected: ['2026-06-10T11:00:00Z', '2026-06-10T11:15:00Z', '2026-06-10T11:30:00Z'] },
    { name: 'extra hours on Sat 2026-06-13, which has no weekly hours', overrides: [{ date: '2026-06-13', intervals: [{ start: '10:00', end: '11:00' }] }], day: '2026-06-13', expected: ['2026-06-13T08:00:00Z', '2026-06-13T08:15:00Z', '2026-06-13T08:30:00Z'] },
    {
      name: 'two touching intervals 09:00–10:00 and 10:00–11:00 on Wed 2026-06-10 act as one (09:45 spans them)',
      overrides: [{ date: '2026-06-10', intervals: [{ start: '10:00', end: '11:00' }, { start: '09:00', end: '10:00' }] }],
      day: '2026-06-10',
      expected: every(15, '2026-06-10T07:00:00Z', '2026-06-10T08:30:00Z'),
    },
    {
      name: 'two separate intervals 09:00–09:30 and 10:00–10:30 on Wed 2026-06-10',
      overrides: [{ date: '2026-06-10', intervals: [{ start: '09:00', end: '09:30' }, { start: '10:00', end: '10:30' }] }],
      day: '2026-06-10',
      expected: ['2026-06-10T07:00:00Z', '2026-06-10T08:00:00Z'],
    },
  ];

  it.each(cases)('$name', ({ overrides, day, expected }) => {
    const slots = computeFreeSlots(input({ hosts: [host({ ...weekdays, overrides })], range: utcDays(day) }));
    expect(starts(slots)).toEqual(expected);
  });
});

describe('buffers: blocked [start − before, end + after), half-open (Europe/Berlin, Wed 2026-06-10, 09:00–12:00 CEST = 07:00Z–10:00Z)', () => {
  const booking = (start: string, end: string, before = 0, after = 0, hostId = 'host'): ExistingBooking => ({
    hostId, start, end, bufferBeforeMinutes: before, bufferAfterMinutes: after,
  });
  const cases: {
    name: string;
    before?: number;
    after?: number;
    duration?: number;
    step?: number;
    bookings?: ExistingBooking[];
    busy?: TimeInterval[];
    free: string[];
    taken: string[];
  }[] = [
    {
      name: 'no buffers: a 15-minute slot exactly touching a booking on either side is allowed',
      duration: 15, bookings: [booking('2026-06-10T08:00:00Z', '2026-06-10T08:15:00Z')],
      free: ['2026-06-10T07:45:00Z', '2026-06-10T08:15:00Z'], taken: ['2026-06-10T08:00:00Z'],
    },
    {
      name: 'host and booking buffers 10/10: the slot needs its own buffers clear of the booking’s',
      before: 10, after: 10, bookings: [booking('2026-06-10T08:00:00Z', '2026-06-10T08:20:00Z', 10, 10)],
      // Booking blocks [07:50, 08:30); a slot at s blocks [s − 10, s + 30).
      free: ['2026-06-10T07:00:00Z', '2026-06-10T07:15:00Z', '2026-06-10T08:45:00Z', '2026-06-10T09:00:00Z'],
      taken: ['2026-06-10T07:30:00Z', '2026-06-10T07:45:00Z', '2026-06-10T08:00:00Z', '2026-06-10T08:15:00Z', '2026-06-10T08:30:00Z'],
    },
    {
      name: 'buffers 10/10 on both, 5-minute step: blocked intervals that exactly touch are allowed',
      before: 10, after: 10, step: 5, bookings: [booking('2026-06-10T08:00:00Z', '2026-06-10T08:20:00Z', 10, 10)],
      // 07:20 blocks [07:10, 07:50); 08:40 blocks [08:30, 09:10).
      free: ['2026-06-10T07:20:00Z', '2026-06-10T08:40:00Z'], taken: ['2026-06-10T07:25:00Z', '2026-06-10T08:35:00Z'],
    },
    {
      name: 'the booking’s own buffers count, even when the host has none (30 after)',
      step: 5, bookings: [booking('2026-06-10T08:00:00Z', '2026-06-10T08:20:00Z', 0, 30)],
      free: ['2026-06-10T07:40:00Z', '2026-06-10T08:50:00Z'], taken: ['2026-06-10T07:45:00Z', '2026-06-10T08:45:00Z'],
    },
    {
      name: 'adjacent bookings 08:00–08:20 and 08:20–08:40 leave no gap between them',
      step: 5,
      bookings: [booking('2026-06-10T08:00:00Z', '2026-06-10T08:20:00Z'), booking('2026-06-10T08:20:00Z', '2026-06-10T08:40:00Z')],
      free: ['2026-06-10T07:40:00Z', '2026-06-10T08:40:00Z'],
      taken: ['2026-06-10T07:45:00Z', '2026-06-10T08:05:00Z', '2026-06-10T08:20:00Z', '2026-06-10T08:35:00Z'],
    },
    {
      name: 'calendar busy 08:00–09:00 with the host’s 10-minute after-buffer: the buffer must clear the event',
      after: 10, step: 5, busy: [{ start: '2026-06-10T08:00:00Z', end: '2026-06-10T09:00:00Z' }],
      free: ['2026-06-10T07:30:00Z', '2026-06-10T09:00:00Z'], taken: ['2026-06-10T07:35:00Z', '2026-06-10T08:55:00Z'],
    },
    {
      name: 'calendar busy given as Date objects',
      busy: [{ start: new Date('2026-06-10T08:00:00Z'), end: new Date('2026-06-10T09:00:00Z') }],
      free: ['2026-06-10T07:30:00Z', '2026-06-10T09:00:00Z'], taken: ['2026-06-10T07:45:00Z', '2026-06-10T08:45:00Z'],
    },
    {
      name: 'another host’s booking does not block this host',
      bookings: [booking('2026-06-10T08:00:00Z', '2026-06-10T08:20:00Z', 10, 10, 'someone-else')],
      free: ['2026-06-10T08:00:00Z'], taken: [],
    },
    {
      name: 'buffers may fall outside working hours: 09:00 local (07:00Z) with a 30-minute before-buffer',
      before: 30, after: 30, free: ['2026-06-10T07:00:00Z', '2026-06-10T09:30:00Z'], taken: [],
    },
  ];

  it.each(cases)('$name', ({ before = 0, after = 0, duration, step, bookings = [], busy = [], free, taken }) => {
    const slots = computeFreeSlots(
      input({
        hosts: [host({ timeZone: 'Europe/Berlin', ...onlyOn('2026-06-10', '09:00', '12:00'), bufferBeforeMinutes: before, bufferAfterMinutes: after })],
        busy: { host: busy },
        bookings,
        range: utcDays('2026-06-10'),
        ...(duration === undefined ? {} : { durationMinutes: duration }),
        ...(step === undefined ? {} : { slotStepMinutes: step }),
      }),
    );
    const offered = starts(slots);
    for (const start of free) expect(offered, `${start} should be free`).toContain(start);
    for (const start of taken) expect(offered, `${start} should be taken`).not.toContain(start);
  });
});

describe('minimum notice: start ≥ now + notice (Europe/Berlin, Wed 2026-06-10, 09:00–12:00 CEST)', () => {
  it.each([
    { name: 'now 05:00Z, notice 150 min: first start exactly at 07:30Z', now: '2026-06-10T05:00:00Z', notice: 150, first: '2026-06-10T07:30:00Z' },
    { name: 'now 07:10Z, no notice: the next grid start 07:15Z', now: '2026-06-10T07:10:00Z', notice: 0, first: '2026-06-10T07:15:00Z' },
    { name: 'now 07:15Z, no notice: a slot starting right now is still offered', now: '2026-06-10T07:15:00Z', notice: 0, first: '2026-06-10T07:15:00Z' },
    { name: 'now Tue 2026-06-09 12:00Z, notice 24 h: Wednesday from 12:00Z is too late, so none', now: '2026-06-09T12:00:00Z', notice: 24 * 60, first: undefined },
    { name: 'now Tue 2026-06-09 12:00Z, notice 20 h: Wednesday from 08:00Z', now: '2026-06-09T12:00:00Z', notice: 20 * 60, first: '2026-06-10T08:00:00Z' },
  ])('$name', ({ now, notice, first }) => {
    const slots = computeFreeSlots(
      input({
        hosts: [host({ timeZone: 'Europe/Berlin', ...onlyOn('2026-06-10', '09:00', '12:00'), minimumNoticeMinutes: notice })],
        range: utcDays('2026-06-09', 2),
        now,
      }),
    );
    expect(slots[0]?.start).toBe(first);
  });
});

describe('booking window: N whole local days in the host zone, today included', () => {
  // America/New_York, weekdays 09:00–17:00 EDT. now = Wed 2026-06-10 21:00 EDT, already Thu 01:00 in UTC.
  const now = '2026-06-11T01:00:00Z';
  it.each([
    { name: 'New York, N = 2: today (Wed, hours over) and Thu 2026-06-11; not Fri', days: 2, first: '2026-06-11T13:00:00Z', last: '2026-06-11T20:30:00Z' },
    { name: 'New York, N = 3: through Fri 2026-06-12', days: 3, first: '2026-06-11T13:00:00Z', last: '2026-06-12T20:30:00Z' },
    { name: 'New York, N = 1: only the local today, whose hours are over', days: 1, first: undefined, last: undefined },
    { name: 'New York, N = 0: nothing bookable', days: 0, first: undefined, last: undefined },
  ])('$name', ({ days, first, last }) => {
    const slots = computeFreeSlots(
      input({
        hosts: [host({ timeZone: 'America/New_York', bookingWindowDays: days })],
        range: utcDays('2026-06-10', 7),
        now,
      }),
    );
    expect(slots[0]?.start).toBe(first);
    expect(slots.at(-1)?.start).toBe(last);
  });

  it('Europe/Berlin, N = 1 on the spring-forward day 2026-03-29 (23 hours long) ends at local midnight, 22:00Z, not 24 h on', () => {
    const lateSundayEarlyMonday = [
      { weekday: 7 as const, start: '22:00', end: '24:00' },
      { weekday: 1 as const, start: '00:00', end: '01:00' },
    ];
    const slots = computeFreeSlots(
      input({
        hosts: [host({ timeZone: 'Europe/Berlin', weekly: lateSundayEarlyMonday, bookingWindowDays: 1 })],
        range: utcDays('2026-03-29', 3),
        now: '2026-03-28T23:30:00Z', // 00:30 CET on Sunday
        durationMinutes: 30,
        slotStepMinutes: 30,
      }),
    );
    // Monday 00:00 and 00:30 CEST (22:00Z, 22:30Z) fall before now + 24 h but on the next local day.
    expect(starts(slots)).toEqual(['2026-03-29T20:00:00Z', '2026-03-29T20:30:00Z', '2026-03-29T21:00:00Z', '2026-03-29T21:30:00Z']);
  });
});

describe('caps per local day and ISO week in the host zone, counting existing bookings (America/New_York, EDT)', () => {
  const booking = (start: string, hostId = 'host'): ExistingBooking => ({
    hostId, start, end: new Date(Date.parse(start) + 20 * 60_000).toISOString(), bufferBeforeMinutes: 0, bufferAfterMinutes: 0,
  });
  /** Local weekday dates (New York) that have at least one slot. */
  const daysWithSlots = (fields: Partial<HostAvailability>, bookings: ExistingBooking[], days = 7): string[] => {
    const slots = computeFreeSlots(
      input({ hosts: [host({ timeZone: 'America/New_York', ...fields })], bookings, range: utcDays('2026-06-08', days) }),
    );
    // 09:00–17:00 EDT lies within one UTC date, so the UTC date is the local date here.
    return [...new Set(starts(slots).map((start) => start.slice(0, 10)))];
  };

  it.each([
    { name: 'no caps: every weekday Mon 2026-06-08 … Fri 06-12', fields: {}, bookings: [booking('2026-06-09T14:00:00Z')], days: ['2026-06-08', '2026-06-09', '2026-06-10', '2026-06-11', '2026-06-12'] },
    { name: '1 a day with a booking on Tue 2026-06-09: Tuesday closes', fields: { maxPerDay: 1 }, bookings: [booking('2026-06-09T14:00:00Z')], days: ['2026-06-08', '2026-06-10', '2026-06-11', '2026-06-12'] },
    { name: '1 a day, booking at 2026-06-11T02:00Z = Wed 22:00 EDT: Wednesday closes, not Thursday', fields: { maxPerDay: 1 }, bookings: [booking('2026-06-11T02:00:00Z')], days: ['2026-06-08', '2026-06-09', '2026-06-11', '2026-06-12'] },
    { name: '2 a day with one booking on Tue: Tuesday stays open', fields: { maxPerDay: 2 }, bookings: [booking('2026-06-09T14:00:00Z')], days: ['2026-06-08', '2026-06-09', '2026-06-10', '2026-06-11', '2026-06-12'] },
    { name: '1 a day, another host’s booking on Tue does not count', fields: { maxPerDay: 1 }, bookings: [booking('2026-06-09T14:00:00Z', 'someone-else')], days: ['2026-06-08', '2026-06-09', '2026-06-10', '2026-06-11', '2026-06-12'] },
    { name: '0 a day: nothing', fields: { maxPerDay: 0 }, bookings: [], days: [] },
    { name: '2 a week, booked Mon and Tue: the week closes', fields: { maxPerWeek: 2 }, bookings: [booking('2026-06-08T14:00:00Z'), booking('2026-06-09T14:00:00Z')], days: [] },
    { name: '3 a week, booked Mon and Tue: the week stays open', fields: { maxPerWeek: 3 }, bookings: [booking('2026-06-08T14:00:00Z'), booking('2026-06-09T14:00:00Z')], days: ['2026-06-08', '2026-06-09', '2026-06-10', '2026-06-11', '2026-06-12'] },
    { name: '1 a week, booked Sun 2026-06-07 23:30 EDT (Mon 03:30Z): counts for the previous ISO week', fields: { maxPerWeek: 1 }, bookings: [booking('2026-06-08T03:30:00Z')], days: ['2026-06-08', '2026-06-09', '2026-06-10', '2026-06-11', '2026-06-12'] },
    { name: '1 a week, booked Mon 2026-06-08 00:30 EDT (04:30Z): the week closes', fields: { maxPerWeek: 1 }, bookings: [booking('2026-06-08T04:30:00Z')], days: [] },
  ])('$name', ({ fields, bookings, days }) => {
    expect(daysWithSlots(fields, bookings)).toEqual(days);
  });

  it('2 a week, booked Mon and Tue 2026-06-08/09: the next ISO week (from Mon 06-15) opens again', () => {
    const bookings = [booking('2026-06-08T14:00:00Z'), booking('2026-06-09T14:00:00Z')];
    expect(daysWithSlots({ maxPerWeek: 2 }, bookings, 9)).toEqual(['2026-06-15', '2026-06-16']);
  });
});
