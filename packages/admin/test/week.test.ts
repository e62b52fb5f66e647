import { describe, expect, it } from 'vitest';
import type { WeekCounts, WeekOutlook } from '@beckon/shared/api';
import { bookedLine, forecastLine, weekChart, weekLabel } from '../src/lib/week.js';

const outlook: WeekOutlook = { goal: 3, expected: 2.4, low: 1, high: 4, chance: 0.634, status: 'at_risk', reason: 'low_opt_in', fix: 'raise the incentive', freeSlots: 9 };
const week = (weekKey: string, booked: number): WeekCounts => ({ weekKey, start: `${weekKey}T00:00:00Z`, end: `${weekKey}T00:00:00Z`, target: 3, booked, attended: booked, noShows: 0 });

describe("the week's health in words and as a chart", () => {
  it('says where the week stands and what to expect', () => {
    expect(bookedLine(week('2026-11-30', 1))).toBe('1 of 3 booked this week');
    expect(forecastLine(outlook, 1)).toBe("Expected 2.4 by the week's end (likely 1–4): a 63 % chance of 3 interviews.");
    expect(forecastLine({ ...outlook, low: 2, high: 2 }, 1)).toContain('(likely 2)');
    expect(forecastLine(outlook, 3)).toBe('Target met: 3 interviews booked. Nobody else is asked this week.');
    expect(weekLabel('2026-03-02', 'en-GB')).toBe('2 Mar');
  });

  it('draws met weeks, short weeks and this week, the target line above the short ones, and the likely range', () => {
    const weeks = [week('2026-11-16', 3), week('2026-11-23', 1), week('2026-11-30', 1)];
    const chart = weekChart(weeks, outlook);
    expect(chart.bars.map((b) => [b.met, b.current])).toEqual([[true, false], [false, false], [false, true]]);
    expect(chart.bars[0]!.y).toBeCloseTo(chart.targetY);
    expect(chart.bars[1]!.y).toBeGreaterThan(chart.targetY);
    expect(chart.bars.every((b) => b.x >= chart.left && b.x + b.width <= chart.width)).toBe(true);
    expect(chart.forecast).toMatchObject({ expectedY: chart.yOf(2.4), lowY: chart.yOf(1), highY: chart.yOf(4) });
    expect(weekChart(weeks, { ...outlook, expected: 1 }).forecast).toBeNull();
  });
});
