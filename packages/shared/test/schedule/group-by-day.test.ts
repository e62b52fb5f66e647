import { describe, expect, it } from 'vitest';
import { computeFreeSlots, groupSlotsByDay } from '../../src/schedule/index.js';
import { every, host, input, onlyOn, starts, utcDays } from './fixtures.js';

// A New York interviewer's evening, Tue 2026-03-10 17:00–20:00 EDT = 21:00Z–00:00Z: the US has
// switched to summer time, Europe not yet.
const evening = computeFreeSlots(
  input({
    hosts: [host({ timeZone: 'America/New_York', ...onlyOn('2026-03-10', '17:00', '20:00') })],
    range: utcDays('2026-03-10', 2),
  }),
);

describe('groupSlotsByDay in the participant zone', () => {
  it('the New York evening slots run 21:00Z … 23:30Z', () => {
    expect(starts(evening)).toEqual(every(15, '2026-03-10T21:00:00Z', '2026-03-10T23:30:00Z'));
  });

  it.each([
    {
      name: 'Europe/Berlin (CET, +01:00): local midnight at 23:00Z splits the evening',
      zone: 'Europe/Berlin',
      days: [
        { date: '2026-03-10', starts: every(15, '2026-03-10T21:00:00Z', '2026-03-10T22:45:00Z') },
        { date: '2026-03-11', starts: every(15, '2026-03-10T23:00:00Z', '2026-03-10T23:30:00Z') },
      ],
    },
    {
      name: 'Europe/Helsinki (EET, +02:00): local midnight at 22:00Z',
      zone: 'Europe/Helsinki',
      days: [
        { date: '2026-03-10', starts: every(15, '2026-03-10T21:00:00Z', '2026-03-10T21:45:00Z') },
        { date: '2026-03-11', starts: every(15, '2026-03-10T22:00:00Z', '2026-03-10T23:30:00Z') },
      ],
    },
    {
      name: 'America/New_York (EDT): all on the host’s own day',
      zone: 'America/New_York',
      days: [{ date: '2026-03-10', starts: every(15, '2026-03-10T21:00:00Z', '2026-03-10T23:30:00Z') }],
    },
    {
      name: 'Asia/Tokyo (+09:00): all on the next morning',
      zone: 'Asia/Tokyo',
      days: [{ date: '2026-03-11', starts: every(15, '2026-03-10T21:00:00Z', '2026-03-10T23:30:00Z') }],
    },
    {
      name: 'Asia/Kathmandu (+05:45): local midnight at 18:15Z, so all on 03-11',
      zone: 'Asia/Kathmandu',
      days: [{ date: '2026-03-11', starts: every(15, '2026-03-10T21:00:00Z', '2026-03-10T23:30:00Z') }],
    },
  ])('$name', ({ zone, days }) => {
    const grouped = groupSlotsByDay(evening, zone);
    expect(grouped.map((day) => ({ date: day.date, starts: starts(day.slots) }))).toEqual(days);
  });

  it('Europe/Berlin, spring forward 2026-03-29: a 23-hour day keeps its slots together, the next day starts at 22:00Z', () => {
    const slots = [
      { start: '2026-03-28T23:00:00Z', end: '2026-03-28T23:20:00Z' }, // 00:00 CET on 03-29
      { start: '2026-03-29T21:45:00Z', end: '2026-03-29T22:05:00Z' }, // 23:45 CEST on 03-29
      { start: '2026-03-29T22:00:00Z', end: '2026-03-29T22:20:00Z' }, // 00:00 CEST on 03-30
    ];
    expect(groupSlotsByDay(slots, 'Europe/Berlin').map((day) => [day.date, day.slots.length])).toEqual([
      ['2026-03-29', 2],
      ['2026-03-30', 1],
    ]);
  });

  it('sorts unsorted input by instant and keeps extra fields (Europe/Berlin, 2026-06-10)', () => {
    const slots = [
      { start: '2026-06-10T09:00:00Z', end: '2026-06-10T09:20:00Z', hostIds: ['b'] },
      { start: '2026-06-10T10:00:00+02:00', end: '2026-06-10T10:20:00+02:00', hostIds: ['a'] },
    ];
    expect(groupSlotsByDay(slots, 'Europe/Berlin')).toEqual([{ date: '2026-06-10', slots: [slots[1], slots[0]] }]);
  });

  it('returns no days for no slots', () => {
    expect(groupSlotsByDay([], 'Europe/Berlin')).toEqual([]);
  });
});
