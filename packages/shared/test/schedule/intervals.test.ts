import { describe, expect, it } from 'vitest';
import { subtractInterval, type TimeInterval } from '../../src/schedule/index.js';

const at = (hhmm: string) => `2026-06-10T${hhmm}:00Z`;
const span = (from: string, to: string): TimeInterval => ({ start: at(from), end: at(to) });
const cut = span('10:00', '11:00');

describe('subtractInterval', () => {
  it.each([
    ['before, touching', [span('09:00', '10:00')], [span('09:00', '10:00')]],
    ['after, touching', [span('11:00', '12:00')], [span('11:00', '12:00')]],
    ['exactly the cut', [span('10:00', '11:00')], []],
    ['inside the cut', [span('10:15', '10:45')], []],
    ['overlapping its start', [span('09:30', '10:30')], [span('09:30', '10:00')]],
    ['overlapping its end', [span('10:30', '11:30')], [span('11:00', '11:30')]],
    ['covering it (a merged busy block): both sides stay', [span('09:00', '12:00')], [span('09:00', '10:00'), span('11:00', '12:00')]],
    ['several, unsorted', [span('13:00', '14:00'), span('10:30', '10:45'), span('08:00', '10:10')], [span('13:00', '14:00'), span('08:00', '10:00')]],
  ])('%s', (_name, intervals, expected) => {
    expect(subtractInterval(intervals, cut)).toEqual(expected);
  });

  it('reads Dates and offsets as instants', () => {
    const busy = [{ start: new Date(at('09:00')), end: '2026-06-10T14:00:00+02:00' }];
    expect(subtractInterval(busy, { start: '2026-06-10T11:00:00+02:00', end: new Date(at('12:00')) })).toEqual([]);
    expect(subtractInterval(busy, span('09:30', '10:00'))).toEqual([{ start: busy[0]!.start, end: at('09:30') }, { start: at('10:00'), end: busy[0]!.end }]);
  });
});
