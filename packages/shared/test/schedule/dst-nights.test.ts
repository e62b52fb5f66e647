import { describe, expect, it } from 'vitest';
import { computeFreeSlots, hostsFreeAt } from '../../src/schedule/index.js';
import { every, host, input, onlyOn, starts, utcDays } from './fixtures.js';

// Host hours on the night the clock jumps, as one override on that local date. 20-minute slots.
const nights: { name: string; zone: string; date: string; hours: [string, string]; step: number; expected: string[] }[] = [
  {
    name: 'Europe/Berlin spring forward 2026-03-29 (02:00→03:00), hours 01:00–04:00 = two real hours',
    zone: 'Europe/Berlin', date: '2026-03-29', hours: ['01:00', '04:00'], step: 15,
    // 01:00–01:45 CET, then 03:00–03:30 CEST; 02:00–02:45 do not exist.
    expected: every(15, '2026-03-29T00:00:00Z', '2026-03-29T01:30:00Z'),
  },
  {
    name: 'Europe/Berlin fall back 2026-10-25 (03:00→02:00), hours 01:00–04:00 = four real hours',
    zone: 'Europe/Berlin', date: '2026-10-25', hours: ['01:00', '04:00'], step: 15,
    // 01:00 CEST (23:00Z) to 04:00 CET (03:00Z); both 02:xx hours are real and each appears once.
    expected: every(15, '2026-10-24T23:00:00Z', '2026-10-25T02:30:00Z'),
  },
  {
    name: 'America/New_York spring forward 2026-03-08 (02:00→03:00), hours 01:00–04:00',
    zone: 'America/New_York', date: '2026-03-08', hours: ['01:00', '04:00'], step: 15,
    expected: every(15, '2026-03-08T06:00:00Z', '2026-03-08T07:30:00Z'),
  },
  {
    name: 'America/New_York fall back 2026-11-01 (02:00→01:00), hours 01:00–04:00',
    zone: 'America/New_York', date: '2026-11-01', hours: ['01:00', '04:00'], step: 15,
    expected: every(15, '2026-11-01T05:00:00Z', '2026-11-01T08:30:00Z'),
  },
  {
    name: 'Europe/Berlin spring forward 2026-03-29, 45-minute step: 02:15 does not exist and is not offered',
    zone: 'Europe/Berlin', date: '2026-03-29', hours: ['01:00', '04:00'], step: 45,
    // 01:30 CET, 03:00 CEST; 03:45 CEST would end after 04:00.
    expected: ['2026-03-29T00:30:00Z', '2026-03-29T01:00:00Z'],
  },
  {
    name: 'Europe/Berlin fall back 2026-10-25, 45-minute step: repeated 02:15 is offered at both real instants',
    zone: 'Europe/Berlin', date: '2026-10-25', hours: ['01:00', '04:00'], step: 45,
    // 01:30 CEST, 02:15 CEST, 02:15 CET, 03:00 CET.
    expected: ['2026-10-24T23:30:00Z', '2026-10-25T00:15:00Z', '2026-10-25T01:15:00Z', '2026-10-25T02:00:00Z'],
  },
  {
    name: 'Australia/Lord_Howe 30-minute spring forward 2026-10-04 (02:00→02:30), 20-minute step',
    zone: 'Australia/Lord_Howe', date: '2026-10-04', hours: ['01:00', '04:00'], step: 20,
    // 01:00, 01:20, 01:40 (+10:30); 02:00 and 02:20 do not exist; 02:40 … 03:40 (+11:00).
    expected: ['2026-10-03T14:30:00Z', '2026-10-03T14:50:00Z', '2026-10-03T15:10:00Z', '2026-10-03T15:40:00Z', '2026-10-03T16:00:00Z', '2026-10-03T16:20:00Z', '2026-10-03T16:40:00Z'],
  },
  {
    name: 'Europe/Berlin 2026-03-29, hours from 02:30 (skipped) start when the clock jumps to 03:00',
    zone: 'Europe/Berlin', date: '2026-03-29', hours: ['02:30', '04:00'], step: 15,
    expected: ['2026-03-29T01:00:00Z', '2026-03-29T01:15:00Z', '2026-03-29T01:30:00Z'],
  },
  {
    name: 'Europe/Berlin 2026-03-29, hours 02:00–03:00 lie wholly in the skipped hour: no slots',
    zone: 'Europe/Berlin', date: '2026-03-29', hours: ['02:00', '03:00'], step: 15,
    expected: [],
  },
  {
    name: 'Europe/Berlin 2026-10-25, hours until 02:30 (repeated) end at its first occurrence (00:30Z)',
    zone: 'Europe/Berlin', date: '2026-10-25', hours: ['00:00', '02:30'], step: 15,
    expected: every(15, '2026-10-24T22:00:00Z', '2026-10-25T00:00:00Z'),
  },
];

describe('working hours on DST nights give real instants only, once each', () => {
  it.each(nights)('$name', ({ zone, date, hours, step, expected }) => {
    const slots = computeFreeSlots(
      input({
        hosts: [host({ timeZone: zone, ...onlyOn(date, hours[0], hours[1]) })],
        range: utcDays('2026-01-01', 365),
        slotStepMinutes: step,
      }),
    );
    expect(starts(slots)).toEqual(expected);
  });
});

describe('re-checking a start on a DST night', () => {
  const berlinSpringNight = {
    hosts: [host({ timeZone: 'Europe/Berlin', ...onlyOn('2026-03-29', '01:00', '04:00') })],
    now: '2026-03-01T00:00:00Z',
    assignment: 'round_robin' as const,
    slotStepMinutes: 45,
  };

  it.each([
    { name: 'Europe/Berlin 01:30 CET (00:30Z) exists and is free', start: '2026-03-29T00:30:00Z', free: ['host'] },
    { name: 'Europe/Berlin 03:00 CEST (01:00Z) exists and is free', start: '2026-03-29T01:00:00Z', free: ['host'] },
    { name: "Europe/Berlin 01:15Z is 03:15 CEST, where a naive 'compatible' 02:15 lands: refused", start: '2026-03-29T01:15:00Z', free: [] },
    { name: "Europe/Berlin 00:15Z is 01:15 CET, where a naive 'earlier' 02:15 lands: refused", start: '2026-03-29T00:15:00Z', free: [] },
  ])('$name', ({ start, free }) => {
    expect(hostsFreeAt(berlinSpringNight, start)).toEqual(free);
  });

  it('every slot of the Berlin fall-back night (2026-10-25) re-checks as free, and each is a distinct instant', () => {
    const rules = {
      hosts: [host({ timeZone: 'Europe/Berlin', ...onlyOn('2026-10-25', '01:00', '04:00') })],
      now: '2026-10-01T00:00:00Z',
      assignment: 'round_robin' as const,
    };
    const slots = computeFreeSlots({ ...rules, range: utcDays('2026-10-24', 2) });
    expect(new Set(starts(slots)).size).toBe(15);
    for (const slot of slots) expect(hostsFreeAt(rules, slot.start)).toEqual(['host']);
  });
});
