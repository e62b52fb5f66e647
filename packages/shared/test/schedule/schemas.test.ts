import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  AvailabilityRulesSchema,
  computeFreeSlots,
  HostAvailabilitySchema,
  isValidTimeZone,
  validateAvailabilityRules,
} from '../../src/schedule/index.js';
import type { AvailabilityRules, HostAvailability } from '../../src/schedule/index.js';
import { host, input, onlyOn, utcDays } from './fixtures.js';

const valid: AvailabilityRules = {
  timeZone: 'Europe/Berlin',
  weekly: [
    { weekday: 1, start: '09:00', end: '12:00' },
    { weekday: 5, start: '20:00', end: '24:00' },
  ],
  overrides: [
    { date: '2026-03-29', intervals: [] },
    { date: '2026-10-25', intervals: [{ start: '01:00', end: '04:00' }] },
  ],
  bufferBeforeMinutes: 5,
  bufferAfterMinutes: 10,
  minimumNoticeMinutes: 240,
  bookingWindowDays: 30,
  maxPerDay: 3,
  maxPerWeek: null,
};

describe('AvailabilityRulesSchema (body of PUT /v1/admin/members/{id}/availability)', () => {
  it('types derived with Static are the module’s types', () => {
    expectTypeOf<Static<typeof AvailabilityRulesSchema>>().toEqualTypeOf<AvailabilityRules>();
    expectTypeOf<Static<typeof HostAvailabilitySchema>>().toEqualTypeOf<HostAvailability>();
  });

  it('accepts valid rules, with or without caps', () => {
    expect(Value.Check(AvailabilityRulesSchema, valid)).toBe(true);
    const { maxPerDay: _day, maxPerWeek: _week, ...uncapped } = valid;
    expect(Value.Check(AvailabilityRulesSchema, uncapped)).toBe(true);
    expect(Value.Check(HostAvailabilitySchema, { ...valid, hostId: 'member-1' })).toBe(true);
  });

  it.each([
    { name: 'weekday 0', change: { weekly: [{ weekday: 0, start: '09:00', end: '12:00' }] } },
    { name: 'weekday 8', change: { weekly: [{ weekday: 8, start: '09:00', end: '12:00' }] } },
    { name: "start '24:00'", change: { weekly: [{ weekday: 1, start: '24:00', end: '24:00' }] } },
    { name: "end '24:01'", change: { weekly: [{ weekday: 1, start: '09:00', end: '24:01' }] } },
    { name: "end '9:00' (one digit)", change: { weekly: [{ weekday: 1, start: '08:00', end: '9:00' }] } },
    { name: "start '09:60'", change: { weekly: [{ weekday: 1, start: '09:60', end: '12:00' }] } },
    { name: "date '2026-6-1'", change: { overrides: [{ date: '2026-6-1', intervals: [] }] } },
    { name: 'negative buffer', change: { bufferBeforeMinutes: -5 } },
    { name: 'fractional notice', change: { minimumNoticeMinutes: 1.5 } },
    { name: 'booking window over a year', change: { bookingWindowDays: 367 } },
    { name: 'negative daily cap', change: { maxPerDay: -1 } },
    { name: 'unknown field', change: { slotsPerHour: 2 } },
    { name: 'missing time zone', change: { timeZone: undefined } },
  ])('rejects $name', ({ change }) => {
    expect(Value.Check(AvailabilityRulesSchema, { ...valid, ...change })).toBe(false);
  });
});

describe('validateAvailabilityRules: what the schema cannot see', () => {
  it('finds nothing wrong with valid rules', () => {
    expect(validateAvailabilityRules(valid)).toEqual([]);
  });

  it.each([
    { name: 'unknown zone', change: { timeZone: 'Mars/Olympus_Mons' }, path: '/timeZone' },
    { name: 'fixed offset instead of a zone', change: { timeZone: '+02:00' }, path: '/timeZone' },
    { name: 'end before start', change: { weekly: [{ weekday: 1 as const, start: '12:00', end: '09:00' }] }, path: '/weekly/0/end' },
    { name: 'end equal to start', change: { weekly: [{ weekday: 1 as const, start: '09:00', end: '09:00' }] }, path: '/weekly/0/end' },
    { name: 'no such date', change: { overrides: [{ date: '2026-02-30', intervals: [] }] }, path: '/overrides/0/date' },
    { name: 'two overrides for one date', change: { overrides: [{ date: '2026-06-10', intervals: [] }, { date: '2026-06-10', intervals: [] }] }, path: '/overrides/1/date' },
    { name: 'override interval ending before it starts', change: { overrides: [{ date: '2026-06-10', intervals: [{ start: '14:00', end: '13:00' }] }] }, path: '/overrides/0/intervals/0/end' },
  ])('reports $name at $path', ({ change, path }) => {
    expect(validateAvailabilityRules({ ...valid, ...change }).map((problem) => problem.path)).toEqual([path]);
  });

  it.each([
    ['Europe/Berlin', true],
    ['America/New_York', true],
    ['Asia/Kathmandu', true],
    ['UTC', true],
    ['Europe/Atlantis', false],
    ['-05:00', false],
    ['', false],
  ])('isValidTimeZone(%j) is %s', (zone, expected) => {
    expect(isValidTimeZone(zone)).toBe(expected);
  });
});

describe('computeFreeSlots refuses bad input loudly (Europe/Berlin)', () => {
  const berlin = { hosts: [host({ timeZone: 'Europe/Berlin' })], range: utcDays('2026-06-10') };
  it.each([
    { name: 'a step that does not divide a day (7)', fields: { slotStepMinutes: 7 } },
    { name: 'a zero step', fields: { slotStepMinutes: 0 } },
    { name: 'a zero duration', fields: { durationMinutes: 0 } },
    { name: 'a fractional duration', fields: { durationMinutes: 20.5 } },
    { name: 'a local time without offset as now', fields: { now: '2026-06-10T09:00:00' } },
    { name: 'an invalid Date as now', fields: { now: new Date('nonsense') } },
  ])('throws on $name', ({ fields }) => {
    expect(() => computeFreeSlots(input({ ...berlin, ...fields }))).toThrow(RangeError);
  });

  it('throws on an unknown zone', () => {
    expect(() => computeFreeSlots(input({ hosts: [host({ timeZone: 'Mars/Olympus_Mons' })], range: utcDays('2026-06-10') }))).toThrow(RangeError);
  });
});

describe('instants are parsed strictly (Europe/Berlin)', () => {
  const berlin = { hosts: [host({ timeZone: 'Europe/Berlin', ...onlyOn('2026-06-10', '09:00', '10:00') })] };
  it.each([
    { name: 'canonical UTC', from: '2026-06-10T07:00:00Z', first: '2026-06-10T07:00:00Z' },
    { name: 'with milliseconds', from: '2026-06-10T07:00:00.001Z', first: '2026-06-10T07:15:00Z' },
    { name: 'with an offset', from: '2026-06-10T09:15:00+02:00', first: '2026-06-10T07:15:00Z' },
    { name: 'with microseconds (kept to the millisecond)', from: '2026-06-10T07:14:59.999999Z', first: '2026-06-10T07:15:00Z' },
  ])('range.from $name', ({ from, first }) => {
    const slots = computeFreeSlots(input({ ...berlin, range: { from, to: '2026-06-11T00:00:00Z' } }));
    expect(slots[0]?.start).toBe(first);
  });

  it.each(['2026-02-30T00:00:00Z', '2026-06-10T24:00:00Z', '2026-06-10 07:00', 'yesterday'])('refuses %j', (now) => {
    expect(() => computeFreeSlots(input({ ...berlin, range: utcDays('2026-06-10'), now }))).toThrow(RangeError);
  });

  it("a hostId like 'constructor' has no busy time from Object.prototype", () => {
    const slots = computeFreeSlots(
      input({ hosts: [{ ...berlin.hosts[0]!, hostId: 'constructor' }], busy: {}, range: utcDays('2026-06-10') }),
    );
    expect(slots.length).toBe(3);
  });
});
