// The week's health as a research lead reads it: the status in words, the forecast in one
// sentence, and the chart's geometry (nine weeks of bookings against the target). Pure, so the
// words and the drawing are tested without a browser.
import type { WeekCounts, WeekOutlook } from '@beckon/shared/api';

export const STATUS_WORDS: Record<WeekOutlook['status'], string> = { on_track: 'On track', at_risk: 'At risk', will_miss: 'Will miss' };

const interviews = (n: number) => (n === 1 ? '1 interview' : `${n} interviews`);
const percent = (chance: number) => `${Math.round(chance * 100)} %`;

/** "2 of 3 booked this week." */
export function bookedLine(week: WeekCounts): string {
  return `${week.booked} of ${week.target} booked this week`;
}

/**
 * The forecast in one sentence: done, or what to expect by Sunday with its range and chance.
 * "Expected 2.4 by the week's end (likely 1–4): a 63 % chance of 3 interviews."
 */
export function forecastLine(forecast: WeekOutlook, booked: number): string {
  if (booked >= forecast.goal) return `Target met: ${interviews(booked)} booked. Nobody else is asked this week.`;
  const range = forecast.low === forecast.high ? `${forecast.low}` : `${forecast.low}–${forecast.high}`;
  return `Expected ${forecast.expected} by the week's end (likely ${range}): a ${percent(forecast.chance)} chance of ${interviews(forecast.goal)}.`;
}

export interface ChartBar {
  weekKey: string;
  /** Left edge and width, and the bar's top (y) and height, in the chart's units. */
  x: number;
  width: number;
  y: number;
  height: number;
  booked: number;
  met: boolean;
  current: boolean;
}

export interface Chart {
  width: number;
  /** Where the plot starts: the target's label sits left of it. */
  left: number;
  height: number;
  bars: ChartBar[];
  /** The target line's height (y), and the scale's top value. */
  targetY: number;
  max: number;
  /** This week's forecast: the expected value and the likely range, as y positions at the last bar. */
  forecast: { x: number; expectedY: number; lowY: number; highY: number } | null;
  /** Where a count sits (y) on the scale. */
  yOf: (value: number) => number;
}

/** Nine weeks as bars (this week last), the target as a line, this week's forecast as a range. */
export function weekChart(weeks: readonly WeekCounts[], forecast: WeekOutlook, size = { width: 340, height: 120, top: 10, bottom: 18, left: 40 }): Chart {
  const last = weeks.length - 1;
  const target = weeks[last]?.target ?? forecast.goal;
  const max = Math.max(1, target, forecast.high, ...weeks.map((w) => w.booked)) * 1.15;
  const plot = size.height - size.top - size.bottom;
  const yOf = (value: number) => size.top + plot - (Math.min(value, max) / max) * plot;
  const slot = (size.width - size.left) / Math.max(1, weeks.length);
  const width = slot * 0.62;
  const bars = weeks.map((w, i) => {
    const y = yOf(w.booked);
    return { weekKey: w.weekKey, x: size.left + i * slot + (slot - width) / 2, width, y, height: size.top + plot - y, booked: w.booked, met: w.booked >= w.target, current: i === last };
  });
  const current = bars[last];
  const showForecast = current && forecast.expected > (weeks[last]?.booked ?? 0);
  return {
    width: size.width,
    left: size.left,
    height: size.height,
    bars,
    targetY: yOf(target),
    max,
    forecast: showForecast ? { x: current.x + current.width / 2, expectedY: yOf(forecast.expected), lowY: yOf(forecast.low), highY: yOf(forecast.high) } : null,
    yOf,
  };
}

/** "Mar 2": a week's Monday, short. */
export function weekLabel(weekKey: string, locale?: string): string {
  const [y, m, d] = weekKey.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}
