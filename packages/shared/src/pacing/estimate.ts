// What the state says about this week: the funnel's rates (Beta posteriors), the traffic still to
// come (a learned hour-of-week shape, scaled by how this week is running so far: Gamma–Poisson).
import { currentState, priorsOf } from './state.js';
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
  const screenedIn = past.screenedIn + now.screenedIn;
  const optIn = betaRate(past.optedIn + now.optedIn, past.shown + now.shown, priors.optIn);
  const screenIn = betaRate(screenedIn, screenedIn + past.screenedOut + now.screenedOut, priors.screenIn);
  const book = betaRate(Math.min(past.booked + now.booked, screenedIn), screenedIn, priors.book);
  const noShow = betaRate(past.noShow + now.noShow, past.noShow + now.noShow + past.attended + now.attended, priors.noShow);
  const perShow = { mean: optIn.mean * screenIn.mean * book.mean, cv2: optIn.cv2 + screenIn.cv2 + book.cv2 };
  return { optIn, screenIn, book, noShow, perShow };
}

/**
 * Bookings wanted this week: the target, plus the chosen share of the expected no-shows. The
 * no-show rate is the one learned before the week of `now` began, so the goal holds all week.
 */
export function weekGoal(state: PacingState, config: PacingConfig, now: EpochMs): number {
  const margin = config.noShowMargin ?? 0;
  if (margin <= 0 || config.weeklyTarget <= 0) return config.weeklyTarget;
  const past = currentState(state, config, now).funnel;
  const q = Math.min(0.9, betaRate(past.noShow, past.noShow + past.attended, priorsOf(config).noShow).mean);
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
  /** Expected visits in the week, before this week's multiplier. */
  total: number;
  /** Of `total`, the part still to come after `now`. */
  remaining: number;
  /** This week's multiplier (Gamma posterior mean and standard deviation). */
  theta: number;
  thetaSd: number;
}

/** Typical eligible visits per real hour of each slot: the learned level and shape, smoothed. */
function slotRates(history: PacingState['history'], priors: PacingPriors): number[] {
  const { hourly, hours } = history;
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

interface WeekBase {
  history: PacingState['history'];
  priors: PacingPriors;
  frame: WeekFrame;
  /** Expected visits in each real hour of the frame, and their running sums (prefix[j] = Σ before j). */
  base: number[];
  prefix: number[];
  observedHours: number;
}

// The history changes only when a week rolls over (which replaces the object), so what follows
// from it is computed once per history, priors and week, not at every visit.
const bases = new WeakMap<PacingState['history'], WeekBase>();
let last: WeekBase | undefined;

function weekBase(history: PacingState['history'], priors: PacingPriors, frame: WeekFrame): WeekBase {
  const cached = last?.history === history ? last : bases.get(history);
  if (cached && cached.priors === priors && cached.frame === frame) return (last = cached);
  const rates = slotRates(history, priors);
  const base = frame.slots.map((s) => rates[s]!);
  const prefix = [0];
  for (const b of base) prefix.push(prefix[prefix.length - 1]! + b);
  const entry = { history, priors, frame, base, prefix, observedHours: history.hours.reduce((a, b) => a + b, 0) };
  bases.set(history, entry);
  return (last = entry);
}

export function trafficOf(state: PacingState, config: PacingConfig, now: EpochMs): Traffic {
  const frame = weekFrame(now, config.timeZone);
  const { base, prefix, observedHours } = weekBase(state.history, priorsOf(config), frame);
  const index = hourIndex(frame, now);
  const elapsed = hourElapsed(frame, index, now);
  const total = prefix[base.length]!;
  const here = base[index]!;
  const remaining = total - prefix[index + 1]! + here * (1 - elapsed);
  // Expected so far counts only the hours observed this week (a study may start mid-week).
  const from = state.week.from <= frame.start ? 0 : hourIndex(frame, state.week.from) + 1;
  const expectedSoFar = from > index ? 0 : prefix[index]! - prefix[from]! + here * elapsed;
  const alpha = observedHours >= SLOTS / 2 ? WEEK_ALPHA : NEW_STUDY_WEEK_ALPHA;
  const n = state.week.eligible;
  return {
    frame,
    total,
    remaining,
    theta: (alpha + n) / (alpha + expectedSoFar),
    thetaSd: Math.sqrt(alpha + n) / (alpha + expectedSoFar),
  };
}
