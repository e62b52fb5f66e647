import { describe, expect, it } from 'vitest';
import { chooseHost, computeFreeSlots, hostsFreeAt, isSlotFree } from '../../src/schedule/index.js';
import type { ExistingBooking, FreeSlotsInput, HostBookingStats } from '../../src/schedule/index.js';
import { every, host, input, onlyOn, starts, utcDays } from './fixtures.js';

// Wed 2026-06-10: New York 09:00–17:00 EDT = 13:00Z–21:00Z; Berlin 09:00–17:00 CEST = 07:00Z–15:00Z.
const newYork = host({ hostId: 'ny', timeZone: 'America/New_York', ...onlyOn('2026-06-10', '09:00', '17:00') });
const berlin = host({ hostId: 'berlin', timeZone: 'Europe/Berlin', ...onlyOn('2026-06-10', '09:00', '17:00') });
const berlinBusy = { berlin: [{ start: '2026-06-10T13:30:00Z', end: '2026-06-10T14:00:00Z' }] };

describe('all_hosts: every host free (America/New_York + Europe/Berlin, Wed 2026-06-10)', () => {
  it('offers only the shared hours 13:00Z–15:00Z, with both hosts', () => {
    const slots = computeFreeSlots(input({ hosts: [newYork, berlin], range: utcDays('2026-06-10'), assignment: 'all_hosts' }));
    expect(starts(slots)).toEqual(every(15, '2026-06-10T13:00:00Z', '2026-06-10T14:30:00Z'));
    for (const slot of slots) expect(slot.hostIds).toEqual(['ny', 'berlin']);
  });

  it('drops the slots where one host is busy (Berlin 13:30Z–14:00Z)', () => {
    const slots = computeFreeSlots(
      input({ hosts: [newYork, berlin], busy: berlinBusy, range: utcDays('2026-06-10'), assignment: 'all_hosts' }),
    );
    expect(starts(slots)).toEqual(['2026-06-10T13:00:00Z', '2026-06-10T14:00:00Z', '2026-06-10T14:15:00Z', '2026-06-10T14:30:00Z']);
  });

  it('offers nothing when one host is at their daily cap', () => {
    const capped = { ...berlin, maxPerDay: 1 };
    const bookings: ExistingBooking[] = [
      { hostId: 'berlin', start: '2026-06-10T07:00:00Z', end: '2026-06-10T07:20:00Z', bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
    ];
    const slots = computeFreeSlots(
      input({ hosts: [newYork, capped], bookings, range: utcDays('2026-06-10'), assignment: 'all_hosts' }),
    );
    expect(slots).toEqual([]);
  });

  it('respects each host’s own notice: Berlin needs 2 h from now 12:00Z, New York none', () => {
    const slots = computeFreeSlots(
      input({
        hosts: [newYork, { ...berlin, minimumNoticeMinutes: 120 }],
        range: utcDays('2026-06-10'),
        now: '2026-06-10T12:00:00Z',
        assignment: 'all_hosts',
      }),
    );
    expect(starts(slots)).toEqual(every(15, '2026-06-10T14:00:00Z', '2026-06-10T14:30:00Z'));
  });

  it('uses the first host’s grid: Asia/Kathmandu (+05:45) 18:00–23:00 with New York, 30-minute step', () => {
    const kathmandu = host({ hostId: 'ktm', timeZone: 'Asia/Kathmandu', ...onlyOn('2026-06-10', '18:00', '23:00') });
    const shared = (hosts: FreeSlotsInput['hosts']) =>
      starts(computeFreeSlots(input({ hosts, range: utcDays('2026-06-10'), assignment: 'all_hosts', slotStepMinutes: 30 })));
    // Shared time 13:00Z–17:15Z. Kathmandu's :00/:30 are :15/:45 in UTC.
    expect(shared([kathmandu, newYork])).toEqual(every(30, '2026-06-10T13:15:00Z', '2026-06-10T16:45:00Z'));
    expect(shared([newYork, kathmandu])).toEqual(every(30, '2026-06-10T13:00:00Z', '2026-06-10T16:30:00Z'));
  });

  it('offers nothing without hosts', () => {
    expect(computeFreeSlots(input({ hosts: [], range: utcDays('2026-06-10'), assignment: 'all_hosts' }))).toEqual([]);
  });
});

describe('round_robin: any free host (America/New_York + Europe/Berlin, Wed 2026-06-10)', () => {
  const slots = computeFreeSlots(input({ hosts: [newYork, berlin], busy: berlinBusy, range: utcDays('2026-06-10') }));
  const hostsAt = (start: string) => slots.find((slot) => slot.start === start)?.hostIds;

  it('offers the union of both hosts’ hours, sorted', () => {
    expect(starts(slots)).toEqual(every(15, '2026-06-10T07:00:00Z', '2026-06-10T20:30:00Z'));
  });

  it.each([
    { start: '2026-06-10T07:00:00Z', hostIds: ['berlin'], why: 'only Berlin works at 09:00 CEST' },
    { start: '2026-06-10T13:00:00Z', hostIds: ['ny', 'berlin'], why: 'both work and are free' },
    { start: '2026-06-10T13:30:00Z', hostIds: ['ny'], why: 'Berlin is busy' },
    { start: '2026-06-10T14:30:00Z', hostIds: ['ny', 'berlin'], why: 'Berlin’s last slot (16:30 CEST)' },
    { start: '2026-06-10T14:45:00Z', hostIds: ['ny'], why: 'Berlin’s slot would end after 17:00 CEST' },
  ])('$start → $hostIds ($why)', ({ start, hostIds }) => {
    expect(hostsAt(start)).toEqual(hostIds);
  });

  it('with grids that differ (Asia/Kathmandu and New York, 30-minute step) each host keeps its own grid', () => {
    const kathmandu = host({ hostId: 'ktm', timeZone: 'Asia/Kathmandu', ...onlyOn('2026-06-10', '18:00', '23:00') });
    const both = computeFreeSlots(input({ hosts: [kathmandu, newYork], range: utcDays('2026-06-10'), slotStepMinutes: 30 }));
    expect(both.find((slot) => slot.start === '2026-06-10T13:15:00Z')?.hostIds).toEqual(['ktm']);
    expect(both.find((slot) => slot.start === '2026-06-10T13:30:00Z')?.hostIds).toEqual(['ny']);
  });
});

describe('hostsFreeAt: the booking transaction re-checks one start with fresh data', () => {
  const rules: Omit<FreeSlotsInput, 'range'> = {
    hosts: [newYork, berlin],
    busy: berlinBusy,
    now: '2026-06-01T00:00:00Z',
    assignment: 'round_robin',
  };

  it('agrees with computeFreeSlots on every offered slot (America/New_York + Europe/Berlin, 2026-06-10)', () => {
    const slots = computeFreeSlots({ ...rules, range: utcDays('2026-06-10') });
    expect(slots.length).toBe(55);
    for (const slot of slots) expect(hostsFreeAt(rules, slot.start)).toEqual(slot.hostIds);
  });

  it.each([
    { name: 'a free start', start: '2026-06-10T13:00:00Z', fields: {}, free: ['ny', 'berlin'] },
    { name: 'a start given as a Date', start: new Date('2026-06-10T13:00:00Z'), fields: {}, free: ['ny', 'berlin'] },
    { name: 'a start given with an offset (15:00+02:00)', start: '2026-06-10T15:00:00+02:00', fields: {}, free: ['ny', 'berlin'] },
    { name: 'off the grid (13:05Z)', start: '2026-06-10T13:05:00Z', fields: {}, free: [] },
    { name: 'outside everyone’s hours (21:00Z)', start: '2026-06-10T21:00:00Z', fields: {}, free: [] },
    {
      name: 'a booking made meanwhile takes New York',
      start: '2026-06-10T13:00:00Z',
      fields: { bookings: [{ hostId: 'ny', start: '2026-06-10T13:10:00Z', end: '2026-06-10T13:30:00Z', bufferBeforeMinutes: 0, bufferAfterMinutes: 0 }] },
      free: ['berlin'],
    },
    { name: 'all_hosts: Berlin busy at 13:30Z, so nobody', start: '2026-06-10T13:30:00Z', fields: { assignment: 'all_hosts' as const }, free: [] },
    { name: 'all_hosts: both free at 13:00Z', start: '2026-06-10T13:00:00Z', fields: { assignment: 'all_hosts' as const }, free: ['ny', 'berlin'] },
    { name: 'the start has passed the minimum notice since it was offered', start: '2026-06-10T13:00:00Z', fields: { now: '2026-06-10T13:00:00.001Z' }, free: [] },
  ])('$name', ({ start, fields, free }) => {
    expect(hostsFreeAt({ ...rules, ...fields }, start)).toEqual(free);
    expect(isSlotFree({ ...rules, ...fields }, start)).toBe(free.length > 0);
  });
});

describe('chooseHost: fewest bookings this week, then least recently booked, then hostId', () => {
  const stats = (hostId: string, bookingsThisWeekForStudy: number, lastBookedAt: string | null): HostBookingStats => ({
    hostId, bookingsThisWeekForStudy, lastBookedAt,
  });

  it.each([
    { name: 'fewest bookings this week wins', free: ['a', 'b'], stats: [stats('a', 2, null), stats('b', 1, '2026-06-09T10:00:00Z')], chosen: 'b' },
    { name: 'equal counts: least recently booked', free: ['a', 'b'], stats: [stats('a', 1, '2026-06-03T10:00:00Z'), stats('b', 1, '2026-06-01T10:00:00Z')], chosen: 'b' },
    { name: 'equal counts: never booked before anyone booked', free: ['a', 'b'], stats: [stats('a', 0, '2026-01-01T00:00:00Z'), stats('b', 0, null)], chosen: 'b' },
    { name: 'complete tie: smallest hostId', free: ['host-b', 'host-a'], stats: [stats('host-b', 0, null), stats('host-a', 0, null)], chosen: 'host-a' },
    { name: 'complete tie with the same last booking: smallest hostId', free: ['b', 'a'], stats: [stats('b', 1, '2026-06-01T10:00:00Z'), stats('a', 1, '2026-06-01T12:00:00+02:00')], chosen: 'a' },
    { name: 'instants compare as instants: 10:00+02:00 (08:00Z) is before 09:00Z', free: ['a', 'b'], stats: [stats('a', 1, '2026-06-01T09:00:00Z'), stats('b', 1, '2026-06-01T10:00:00+02:00')], chosen: 'b' },
    { name: 'only free hosts are considered', free: ['a', 'b'], stats: [stats('a', 3, null), stats('b', 2, null), stats('c', 0, null)], chosen: 'b' },
    { name: 'a free host without stats counts as never booked', free: ['a', 'z'], stats: [stats('a', 0, '2026-06-01T10:00:00Z')], chosen: 'z' },
    { name: 'no free host', free: [], stats: [stats('a', 0, null)], chosen: null },
  ])('$name', ({ free, stats: table, chosen }) => {
    expect(chooseHost(free, table)).toBe(chosen);
  });

  it('fed by hostsFreeAt: Berlin busy at 13:30Z leaves New York although it has more bookings', () => {
    const free = hostsFreeAt({ hosts: [newYork, berlin], busy: berlinBusy, now: '2026-06-01T00:00:00Z', assignment: 'round_robin' }, '2026-06-10T13:30:00Z');
    expect(chooseHost(free, [stats('ny', 5, '2026-06-09T10:00:00Z'), stats('berlin', 0, null)])).toBe('ny');
  });
});
