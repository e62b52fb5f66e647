import { describe, expect, it } from 'vitest';
import { toTime } from '../../src/rules/index.js';

describe('toTime', () => {
  it.each([
    ['2026-03-29T12:00:00Z', Date.UTC(2026, 2, 29, 12)],
    ['2026-03-29T12:00:00z', Date.UTC(2026, 2, 29, 12)],
    ['2026-03-29T12:00Z', Date.UTC(2026, 2, 29, 12)],
    ['2026-03-29T12:00:00.5Z', Date.UTC(2026, 2, 29, 12, 0, 0, 500)],
    ['2026-03-29T12:00:00.123456Z', Date.UTC(2026, 2, 29, 12, 0, 0, 123)],
    ['2026-03-29T14:00:00+02:00', Date.UTC(2026, 2, 29, 12)],
    ['2026-03-29T14:00:00+0200', Date.UTC(2026, 2, 29, 12)],
    ['2026-03-29T08:30:00-03:30', Date.UTC(2026, 2, 29, 12)],
    ['2026-03-29 12:00:00+00', Date.UTC(2026, 2, 29, 12)],
    ['2026-03-29T12:00:00', Date.UTC(2026, 2, 29, 12)],
    ['2026-03-29', Date.UTC(2026, 2, 29)],
    [' 2026-03-29 ', Date.UTC(2026, 2, 29)],
  ])('reads %s', (s, want) => {
    expect(toTime(s)).toBe(want);
  });

  it('agrees with Date.parse on the standard forms', () => {
    for (const s of ['2026-10-25T01:30:00+01:00', '1999-12-31T23:59:59.999Z', '2026-03-29T02:30:00-07:00'])
      expect(toTime(s)).toBe(Date.parse(s));
  });

  it('reads numbers as epoch ms, or epoch seconds below 1e11', () => {
    expect(toTime(1774785600000)).toBe(1774785600000);
    expect(toTime(1774785600)).toBe(1774785600000);
    expect(toTime(0)).toBe(0);
    expect(toTime(new Date(1774785600000))).toBe(1774785600000);
  });

  it('is NaN for anything else', () => {
    for (const v of ['', 'yesterday', '5', '2026', '2026-3-29', '29/03/2026', 'March 29, 2026', '2026-03-29T12', '2026-03-29T12:00:00+2', NaN, Infinity, null, undefined, true, {}, [], new Date('x')])
      expect(toTime(v), String(v)).toBeNaN();
  });
});
