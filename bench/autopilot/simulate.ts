// A seeded traffic simulator: eligible visits hour by hour in the workspace's zone, each visitor's
// funnel outcome drawn in advance (common random numbers: every policy meets the same visitors,
// who would answer each the same way), run through the real controller and the two baselines.
import { decide, forecastWeek, newPacingState, observe, weekFrame, weekGoal, type PacingConfig, type PacingEventKind, type PacingState, type WeekForecast } from '../../packages/shared/src/pacing/index.js';
import type { Scenario } from './scenario.js';

const HOUR = 3_600_000;
const B2B_WEEKDAYS = [1, 1.05, 1.05, 1, 0.85, 0.3, 0.25];
const B2B_HOURS = [0.1, 0.06, 0.05, 0.05, 0.07, 0.12, 0.25, 0.5, 0.85, 1, 1, 0.95, 0.85, 0.95, 1, 0.95, 0.85, 0.7, 0.5, 0.4, 0.35, 0.3, 0.22, 0.15];
const DEFAULT_BOOK = 0.85;

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(mean: number, random: () => number): number {
  if (mean > 40) {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

/** P(Poisson(mean) ≥ k). */
export function poissonAtLeast(mean: number, k: number): number {
  let term = Math.exp(-mean);
  let below = 0;
  for (let x = 0; x < k; x++) {
    below += term;
    term = (term * mean) / (x + 1);
  }
  return Math.max(0, 1 - below);
}

interface Visit {
  at: number;
  id: string;
  show: number; // the fixed-percentage baseline's draw
  optIn: number;
  screen: number;
  book: number;
  noShow: number;
  delay: number;
}

interface Week {
  index: number;
  start: number;
  end: number;
  visits: Visit[];
  capacity: number;
}

export const perShow = (s: Scenario) => s.rates.optIn * s.rates.screenIn * (s.rates.book ?? DEFAULT_BOOK);

/** The week's traffic factor before noise: trend and holidays (spikes are per day, below). */
const trafficFactor = (s: Scenario, week: number) =>
  (1 + (s.traffic.trendPerWeek ?? 0)) ** week * (s.traffic.holidayWeeks?.includes(week) ? (s.traffic.holidayFactor ?? 0.5) : 1);

function makeWeek(s: Scenario, index: number, seed: number): Week {
  const random = rng(seed);
  const zone = s.timeZone ?? 'America/New_York';
  const first = Date.parse(`${s.start ?? '2026-01-05'}T12:00:00Z`);
  const frame = weekFrame(weekFrame(first, zone).start + index * 7 * 24 * HOUR + 36 * HOUR, zone);
  const weekday = s.traffic.weekdayShape ?? B2B_WEEKDAYS;
  const hour = s.traffic.hourShape ?? B2B_HOURS;
  const shape = frame.slots.map((slot) => weekday[Math.floor(slot / 24)]! * hour[slot % 24]!);
  const total = shape.reduce((a, b) => a + b, 0);
  const noise = Math.exp((s.traffic.weekNoise ?? 0.1) * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
  const volume = s.traffic.weeklyVisits * trafficFactor(s, index) * noise;
  const visits: Visit[] = [];
  frame.hourStarts.forEach((hourStart, j) => {
    const day = Math.floor(frame.slots[j]! / 24);
    const spike = (s.traffic.spikes ?? []).reduce((f, sp) => (sp.week === index && day < (sp.days ?? 7) ? f * sp.factor : f), 1);
    const length = (frame.hourStarts[j + 1] ?? frame.end) - hourStart;
    const count = poisson((volume * spike * shape[j]!) / total, random);
    const times = Array.from({ length: count }, () => hourStart + Math.floor(random() * length)).sort((a, b) => a - b);
    for (const at of times) {
      const [min, max] = s.delayMinutes ?? [2, 30];
      visits.push({ at, id: `w${index}v${visits.length}`, show: random(), optIn: random(), screen: random(), book: random(), noShow: random(), delay: (min + random() * (max - min)) * 60_000 });
    }
  });
  const capacity = s.capacity.closedWeeks?.includes(index) ? 0 : s.capacity.slotsPerWeek;
  return { index, start: frame.start, end: frame.end, visits, capacity };
}

export interface WeekResult {
  goal: number;
  feasible: boolean;
  shows: number;
  booked: number;
  stranded: number;
  /** Share of the week's visits that had arrived when the goal was reached (null if never). */
  doneAt: number | null;
  /** The autopilot's forecast at Wednesday noon (its first visit after). */
  forecast?: Pick<WeekForecast, 'status' | 'reason'>;
}

interface Situation {
  free: number;
  pending: number;
  booked: number;
  goal: number;
}

interface Policy {
  name: string;
  show(visit: Visit, now: Situation): boolean;
  /** Whether a booking is accepted (capacity is checked by the simulator). */
  accepts(now: Situation): boolean;
  event?(kind: PacingEventKind, at: number): void;
}

export interface PolicyRun {
  name: string;
  weeks: WeekResult[];
}

function runWeek(s: Scenario, week: Week, goal: number, policy: Policy): Omit<WeekResult, 'feasible' | 'goal'> {
  const optIn = s.rates.optIn;
  const { screenIn, noShow } = s.rates;
  const book = s.rates.book ?? DEFAULT_BOOK;
  const pending: { at: number; visit: Visit }[] = [];
  let shows = 0;
  let booked = 0;
  let stranded = 0;
  let doneAtTime: number | null = null;
  const event = (kind: PacingEventKind, at: number) => policy.event?.(kind, Math.min(at, week.end - 1));
  const situation = (): Situation => ({ free: week.capacity - booked, pending: pending.length, booked, goal });
  const resolve = (until: number) => {
    while (pending.length > 0 && pending[0]!.at <= until) {
      const { at, visit } = pending.shift()!;
      if (visit.screen >= screenIn) {
        event('screenedOut', at);
        continue;
      }
      event('screenedIn', at);
      if (visit.book >= book) continue; // left without booking
      if (booked < week.capacity && policy.accepts(situation())) {
        booked++;
        event('booked', at);
        event(visit.noShow < noShow ? 'noShow' : 'attended', at);
        if (booked === goal) doneAtTime = at;
      } else stranded++;
    }
  };
  for (const visit of week.visits) {
    resolve(visit.at);
    event('eligible', visit.at);
    if (!policy.show(visit, situation())) continue;
    shows++;
    event('shown', visit.at);
    if (visit.optIn < optIn) {
      event('optedIn', visit.at);
      const at = visit.at + visit.delay;
      let i = pending.length;
      while (i > 0 && pending[i - 1]!.at > at) i--;
      pending.splice(i, 0, { at, visit });
    }
  }
  resolve(Infinity);
  let doneAt: number | null = null;
  if (doneAtTime !== null) {
    const t = doneAtTime;
    doneAt = week.visits.length === 0 ? 1 : week.visits.filter((v) => v.at <= t).length / week.visits.length;
  }
  return { shows, booked, stranded, doneAt };
}

/** Runs the autopilot and both baselines over the scenario's weeks. */
export function simulate(s: Scenario, seed: number, scenarioIndex: number): PolicyRun[] {
  const zone = s.timeZone ?? 'America/New_York';
  const weeks = s.weeks ?? 52;
  const y = perShow(s);
  const config: PacingConfig = { studyId: `bench-${scenarioIndex}`, timeZone: zone, weeklyTarget: s.target, noShowMargin: s.noShowMargin ?? 0, seed };
  const firstWeek = makeWeek(s, 0, 0);
  const state: PacingState = newPacingState(config, firstWeek.start);

  // A PM's hand-set percentage, sized with hindsight: the year's average week would bring 1.5 ×
  // the goal.
  const meanVisits = Array.from({ length: weeks }, (_, w) => s.traffic.weeklyVisits * trafficFactor(s, w)).reduce((a, b) => a + b, 0) / weeks;
  const q = s.rates.noShow;
  const nominalGoal = Math.ceil(s.target * (1 + ((s.noShowMargin ?? 0) * q) / (1 - q)) - 1e-9);
  const fixedPercent = Math.min(1, (1.5 * nominalGoal) / Math.max(1e-9, y * meanVisits));

  let midweek = Infinity;
  let forecast: WeekResult['forecast'];
  const autopilot: Policy = {
    name: 'autopilot',
    show: (visit, now) => {
      if (visit.at >= midweek) {
        const { status, reason } = forecastWeek(state, config, visit.at, { freeSlots: now.free, pending: now.pending });
        forecast = { status, reason };
        midweek = Infinity;
      }
      return decide(state, config, { visitorId: visit.id, now: visit.at, capacity: { freeSlots: now.free, pending: now.pending } }).show;
    },
    accepts: () => true,
    event: (kind, at) => observe(state, config, { kind, at }),
  };
  const fixed: Policy = { name: `fixed ${(fixedPercent * 100).toFixed(fixedPercent < 0.1 ? 1 : 0)}%`, show: (visit, now) => now.free > 0 && visit.show < fixedPercent, accepts: () => true };
  const quota: Policy = { name: 'until quota', show: (_, now) => now.free > 0 && now.booked < now.goal, accepts: (now) => now.booked < now.goal };
  const runs: PolicyRun[] = [autopilot, fixed, quota].map((p) => ({ name: p.name, weeks: [] }));

  for (let w = 0; w < weeks; w++) {
    const week = makeWeek(s, w, (seed * 1_000_003 + scenarioIndex * 7919 + w * 104_729) >>> 0);
    const goal = weekGoal(state, config, week.start);
    const feasible = week.capacity >= goal && poissonAtLeast(week.visits.length * y, goal) >= 0.99;
    midweek = week.start + 60 * HOUR;
    forecast = undefined;
    [autopilot, fixed, quota].forEach((policy, i) => runs[i]!.weeks.push({ goal, feasible, ...runWeek(s, week, goal, policy), ...(i === 0 && forecast ? { forecast } : {}) }));
  }
  return runs;
}
