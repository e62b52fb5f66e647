// The scenario format (documented in README.md beside this file) and its checks.
import { readFileSync } from 'node:fs';

export interface Scenario {
  name: string;
  /** Weeks simulated (default 52), from `start`, a Monday (default '2026-01-05'). */
  weeks?: number;
  start?: string;
  /** The workspace's IANA zone (default 'America/New_York'). */
  timeZone?: string;
  /** Bookings wanted per week. */
  target: number;
  /** Share of expected no-shows booked on top of the target (PacingConfig.noShowMargin). */
  noShowMargin?: number;
  traffic: {
    /** Eligible visits in a typical week at the start. */
    weeklyVisits: number;
    /** Relative traffic Monday … Sunday, and by local hour 0–23 (defaults: a B2B working week). */
    weekdayShape?: number[];
    hourShape?: number[];
    /** Standard deviation of a week's lognormal volume factor (default 0.1). */
    weekNoise?: number;
    /** Week indices (0-based) at `holidayFactor` (default 0.5) of the traffic. */
    holidayWeeks?: number[];
    holidayFactor?: number;
    /** Launches: `factor` × traffic for `days` days (default 7) from Monday of `week`. */
    spikes?: { week: number; factor: number; days?: number }[];
    /** Multiplicative change per week: -0.04 is a segment shrinking 4 % a week. */
    trendPerWeek?: number;
  };
  rates: {
    optIn: number;
    /** Share of opted-in visitors the screener lets through (1 − screen-out). */
    screenIn: number;
    /** Share of screened-in visitors who go on to book when a slot is free (default 0.85). */
    book?: number;
    noShow: number;
  };
  capacity: {
    /** Interview slots bookable during a week. */
    slotsPerWeek: number;
    /** Week indices with no slots at all (the team is away). */
    closedWeeks?: number[];
  };
  /** Minutes from opting in to the booking attempt, uniform in [min, max] (default [2, 30]). */
  delayMinutes?: [number, number];
}

function check(condition: boolean, where: string, what: string): void {
  if (!condition) throw new Error(`scenario ${where}: ${what}`);
}

const isRate = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;
const isCount = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export function validateScenarios(data: unknown): Scenario[] {
  const list = Array.isArray(data) ? data : (data as { scenarios?: unknown } | null)?.scenarios;
  check(Array.isArray(list) && list.length > 0, '', 'expected a non-empty array (or { "scenarios": [...] })');
  return (list as Scenario[]).map((s, i) => {
    const where = `#${i} ${s?.name ?? ''}`;
    check(typeof s?.name === 'string', where, 'name must be a string');
    check(isCount(s.target) && s.target >= 1, where, 'target must be a number ≥ 1');
    check(isCount(s.traffic?.weeklyVisits), where, 'traffic.weeklyVisits must be a number ≥ 0');
    check(s.traffic.weekdayShape === undefined || s.traffic.weekdayShape.length === 7, where, 'traffic.weekdayShape needs 7 numbers');
    check(s.traffic.hourShape === undefined || s.traffic.hourShape.length === 24, where, 'traffic.hourShape needs 24 numbers');
    check(isRate(s.rates?.optIn) && isRate(s.rates.screenIn) && isRate(s.rates.noShow) && (s.rates.book === undefined || isRate(s.rates.book)), where, 'rates.optIn, screenIn, noShow (and book) must be in [0, 1]');
    check(isCount(s.capacity?.slotsPerWeek), where, 'capacity.slotsPerWeek must be a number ≥ 0');
    check(s.weeks === undefined || (Number.isInteger(s.weeks) && s.weeks > 0), where, 'weeks must be a positive integer');
    return s;
  });
}

export const loadScenarios = (file: string | URL): Scenario[] => validateScenarios(JSON.parse(readFileSync(file, 'utf8')));
