// What the state says about this week: the funnel's rates (Beta posteriors), the traffic still to
// come (a learned hour-of-week shape, scaled by how this week is running so far: Gamma–Poisson).
import { priorsOf } from './state.js';
import { SLOTS, hourElapsed, hourIndex, weekFrame, type WeekFrame } from './week.js';
import type { EpochMs, PacingConfig, PacingPriors, PacingState, RatePrior } from './types.js';

/** Pseudo-hours of the weekly level's prior; pseudo-visits of a week's own multiplier. */
const LEVEL_PRIOR_HOURS = 24;
const WEEK_ALPHA = 3;
const NEW_STUDY_WEEK_ALPHA = 0.5;

export interface Rate {
  mean: number;
  /** Squared coefficient of variation of the posterior. */
  cv2: number;
}

function betaRate(successes: number, trials: number, prior: RatePrior): Rate {
  const n = trials + prior.strength;
  const mean = Math.min(1, Math.max(1e-6, (successes + prior.strength * prior.mean) / n));
  return { mean, cv2: (1 - mean) / (mean * (n + 1)) };
}

export interface Rates {
  optIn: Rate;
  screenIn: Rate;
  book: Rate;
  noShow: Rate;
  /** Bookings per intercept shown: optIn × screenIn × book. */
  perShow: Rate;
}

export function ratesOf(state: PacingState, priors: PacingPriors): Rates {
  const past = state.funnel;
  const now = state.week.funnel;
  const sum = (k: keyof typeof past) => past[k] + now[k];
  const optIn = betaRate(sum('optedIn'), sum('shown'), priors.optIn);
  const screenIn = betaRate(sum('screenedIn'), sum('screenedIn') + sum('screenedOut'), priors.screenIn);
  const book = betaRate(Math.min(sum('booked'), sum('screenedIn')), sum('screenedIn'), priors.book);
  const noShow = betaRate(sum('noShow'), sum('noShow') + sum('attended'), priors.noShow);
  const perShow = { mean: optIn.mean * screenIn.mean * book.mean, cv2: optIn.cv2 + screenIn.cv2 + book.cv2 };
  return { optIn, screenIn, book, noShow, perShow };
}

/** Bookings wanted this week: the target, plus the chosen share of the expected no-shows. */
export function weekGoal(state: PacingState, config: PacingConfig): number {
  const margin = config.noShowMargin ?? 0;
  if (margin <= 0 || config.weeklyTarget <= 0) return config.weeklyTarget;
  const q = Math.min(0.9, ratesOf(state, priorsOf(config)).noShow.mean);
  return Math.ceil(config.weeklyTarget * (1 + (margin * q) / (1 - q)) - 1e-9);
}

const priorShapes = new WeakMap<PacingPriors, number[]>();

/** The prior's share of a week's visits in each slot, per real hour (sums to 1 over 168 slots). */
function priorShape(priors: PacingPriors): number[] {
  let shape = priorShapes.get(priors);
  if (!shape) {
    const raw = Array.from({ length: SLOTS }, (_, s) => (priors.weekdayShape[Math.floor(s / 24)] ?? 1) * (priors.hourShape[s % 24] ?? 1));
    const total = raw.reduce((a, b) => a + b, 0);
    shape = raw.map((v) => v / total);
    priorShapes.set(priors, shape);
  }
  return shape;
}

export interface Traffic {
  frame: WeekFrame;
  /** Expected visits in each real hour of the week, before this week's multiplier. */
  base: number[];
  total: number;
  /** Of `total`, the part still to come after `now`. */
  remaining: number;
  /** This week's multiplier (Gamma posterior mean and standard deviation). */
  theta: number;
  thetaSd: number;
}

/** Typical eligible visits per real hour of each slot: the learned level and shape, smoothed. */
function slotRates(state: PacingState, priors: PacingPriors): number[] {
  const { hourly, hours } = state.history;
  let visits = 0;
  let observed = 0;
  for (let s = 0; s < SLOTS; s++) {
    visits += hourly[s]!;
    observed += hours[s]!;
  }
  const weekly = ((visits + (LEVEL_PRIOR_HOURS * priors.weeklyVisits) / SLOTS) / (observed + LEVEL_PRIOR_HOURS)) * SLOTS;
  const shape = priorShape(priors);
  const m = priors.shapeWeeks;
  return shape.map((share, s) => (hourly[s]! + m * weekly * share) / (hours[s]! + m));
}

export function trafficOf(state: PacingState, config: PacingConfig, now: EpochMs): Traffic {
  const priors = priorsOf(config);
  const frame = weekFrame(now, config.timeZone);
  const rates = slotRates(state, priors);
  const base = frame.slots.map((s) => rates[s]!);
  const index = hourIndex(frame, now);
  const elapsed = hourElapsed(frame, index, now);
  let total = 0;
  let remaining = 0;
  let expectedSoFar = 0;
  const from = state.week.from;
  for (let j = 0; j < base.length; j++) {
    const b = base[j]!;
    total += b;
    if (j > index) remaining += b;
    else if (j === index) {
      remaining += b * (1 - elapsed);
      if (frame.hourStarts[j]! >= from) expectedSoFar += b * elapsed;
    } else if (frame.hourStarts[j]! >= from) expectedSoFar += b;
  }
  const seenHours = state.history.hours.reduce((a, b) => a + b, 0);
  const alpha = seenHours >= SLOTS / 2 ? WEEK_ALPHA : NEW_STUDY_WEEK_ALPHA;
  const n = state.week.eligible;
  return {
    frame,
    base,
    total,
    remaining,
    theta: (alpha + n) / (alpha + expectedSoFar),
    thetaSd: Math.sqrt(alpha + n) / (alpha + expectedSoFar),
  };
}
