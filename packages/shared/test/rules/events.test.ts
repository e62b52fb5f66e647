import { describe, expect, it } from 'vitest';
import { EVENT_NAME_CAP, EVENT_TIMESTAMP_CAP, evaluate, recordEvent, type EventHistory } from '../../src/rules/index.js';
import { DAY, NOW } from './fixtures.js';

describe('recordEvent', () => {
  it('starts a history and counts', () => {
    let h = recordEvent(undefined, 'export', NOW - 2 * DAY);
    h = recordEvent(h, 'export', NOW - DAY);
    expect(h).toEqual([{ name: 'export', count: 2, lastAt: NOW - DAY, timestamps: [NOW - 2 * DAY, NOW - DAY] }]);
  });

  it('keeps the most recently done event first and leaves the input untouched', () => {
    const a = recordEvent([], 'a', NOW - 3000);
    const ab = recordEvent(a, 'b', NOW - 2000);
    const aba = recordEvent(ab, 'a', new Date(NOW - 1000));
    expect(aba.map((e) => [e.name, e.count])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(ab.map((e) => [e.name, e.count])).toEqual([
      ['b', 1],
      ['a', 1],
    ]);
    expect(a).toEqual([{ name: 'a', count: 1, lastAt: NOW - 3000, timestamps: [NOW - 3000] }]);
  });

  it(`keeps the newest ${EVENT_TIMESTAMP_CAP} timestamps and the lifetime count`, () => {
    let h: EventHistory[] = [];
    for (let i = 0; i < 120; i++) h = recordEvent(h, 'click', NOW - (120 - i) * 60_000);
    const e = h[0]!;
    expect(e.count).toBe(120);
    expect(e.timestamps).toHaveLength(EVENT_TIMESTAMP_CAP);
    expect(e.timestamps![EVENT_TIMESTAMP_CAP - 1]).toBe(NOW - 60_000);
    expect(e.timestamps![0]).toBe(NOW - EVENT_TIMESTAMP_CAP * 60_000);
    // Exact up to the cap within a window, lifetime beyond it.
    expect(evaluate({ event: 'click', atLeast: EVENT_TIMESTAMP_CAP, withinDays: 1 }, { traits: {}, events: h }, NOW)).toBe(true);
    expect(evaluate({ event: 'click', atLeast: 120 }, { traits: {}, events: h }, NOW)).toBe(true);
  });

  it(`keeps at most ${EVENT_NAME_CAP} event names, dropping the least recently done`, () => {
    let h: EventHistory[] = [];
    for (let i = 0; i < EVENT_NAME_CAP + 5; i++) h = recordEvent(h, `e${i}`, NOW + i);
    expect(h).toHaveLength(EVENT_NAME_CAP);
    expect(h.some((e) => e.name === 'e0')).toBe(false);
    expect(h.some((e) => e.name === 'e4')).toBe(false);
    expect(h[0]!.name).toBe(`e${EVENT_NAME_CAP + 4}`);
  });

  it('survives a JSON round trip (localStorage) with the same meaning', () => {
    let h: EventHistory[] = [];
    for (const d of [40, 20, 5, 1]) h = recordEvent(h, 'export', NOW - d * DAY);
    const back = JSON.parse(JSON.stringify(h)) as EventHistory[];
    const rule = { event: 'export', atLeast: 3, withinDays: 30 };
    expect(evaluate(rule, { traits: {}, events: back }, NOW)).toBe(true);
    expect(evaluate({ ...rule, atLeast: 4 }, { traits: {}, events: back }, NOW)).toBe(false);
  });
});
