// The learned state: creating it, applying events to it, and the priors a new study starts from.
import { SLOTS, hourIndex, weekFrame } from './week.js';
import type { EpochMs, FunnelCounts, PacingConfig, PacingEvent, PacingPriors, PacingState } from './types.js';

/** Weekly decay of past traffic (memory of about four weeks) and of past funnel counts (ten). */
const TRAFFIC_DECAY = 0.75;
const FUNNEL_DECAY = 0.9;

export const DEFAULT_PRIORS: PacingPriors = {
  weeklyVisits: 1000,
  weekdayShape: [1, 1, 1, 1, 0.9, 0.45, 0.4],
  // Quiet at night, rising from 07:00, a working-day plateau, tailing off in the evening.
  hourShape: [0.15, 0.1, 0.08, 0.08, 0.1, 0.15, 0.3, 0.55, 0.85, 1, 1, 1, 0.95, 1, 1, 0.95, 0.9, 0.8, 0.65, 0.55, 0.5, 0.45, 0.35, 0.25],
  shapeWeeks: 2,
  optIn: { mean: 0.05, strength: 20 },
  screenIn: { mean: 0.7, strength: 4 },
  book: { mean: 0.8, strength: 4 },
  noShow: { mean: 0.2, strength: 10 },
};

export function priorsOf(config: PacingConfig): PacingPriors {
  return config.priors ? { ...DEFAULT_PRIORS, ...config.priors } : DEFAULT_PRIORS;
}

const emptyFunnel = (): FunnelCounts => ({ shown: 0, optedIn: 0, screenedIn: 0, screenedOut: 0, booked: 0, attended: 0, noShow: 0 });

/** A study's state before any observation; `now` starts its first (possibly partial) week. */
export function newPacingState(config: PacingConfig, now: EpochMs): PacingState {
  const frame = weekFrame(now, config.timeZone);
  return {
    version: 1,
    history: { hourly: new Array<number>(SLOTS).fill(0), hours: new Array<number>(SLOTS).fill(0) },
    funnel: emptyFunnel(),
    week: { key: frame.key, from: now, hourly: new Array<number>(SLOTS).fill(0), eligible: 0, funnel: emptyFunnel() },
  };
}

/** Folds the current week into the history and opens the week holding `at`. */
function rollOver(state: PacingState, config: PacingConfig, at: EpochMs): void {
  const old = weekFrame(state.week.from, config.timeZone);
  const week = state.week;
  // A new object, never an edit in place: estimates cache what follows from a history by identity.
  const history = {
    hourly: state.history.hourly.map((v, s) => v * TRAFFIC_DECAY + week.hourly[s]!),
    hours: state.history.hours.map((v) => v * TRAFFIC_DECAY),
  };
  state.history = history;
  // Hours observed: those after `from` (a study created mid-week saw only part of it).
  old.hourStarts.forEach((start, i) => {
    const end = old.hourStarts[i + 1] ?? old.end;
    const seen = Math.min(1, Math.max(0, (end - Math.max(start, week.from)) / (end - start)));
    history.hours[old.slots[i]!]! += seen;
  });
  for (const key of Object.keys(state.funnel) as (keyof FunnelCounts)[]) {
    state.funnel[key] = state.funnel[key] * FUNNEL_DECAY + week.funnel[key];
  }
  const frame = weekFrame(at, config.timeZone);
  state.week = { key: frame.key, from: frame.start, hourly: new Array<number>(SLOTS).fill(0), eligible: 0, funnel: emptyFunnel() };
}

/**
 * Applies one event to the state, in place (the server loads the JSON, applies, saves). An event
 * of a later week first closes the current one; a late funnel event of a past week (an attendance
 * marked the week after) counts in the history.
 */
export function observe(state: PacingState, config: PacingConfig, event: PacingEvent): void {
  const frame = weekFrame(event.at, config.timeZone);
  const count = event.count ?? 1;
  if (frame.key !== state.week.key) {
    if (frame.start < state.week.from) {
      if (event.kind !== 'eligible' && event.kind !== 'cancelled') state.funnel[event.kind] += count;
      return;
    }
    rollOver(state, config, event.at);
  }
  const week = state.week;
  if (event.kind === 'eligible') {
    week.eligible += count;
    week.hourly[frame.slots[hourIndex(frame, event.at)]!]! += count;
  } else if (event.kind === 'cancelled') {
    week.funnel.booked = Math.max(0, week.funnel.booked - count);
  } else {
    week.funnel[event.kind] += count;
  }
}

/** The state as it will be once `now`'s week has begun: itself, or a rolled-over copy. */
export function currentState(state: PacingState, config: PacingConfig, now: EpochMs): PacingState {
  const frame = weekFrame(now, config.timeZone);
  if (frame.key === state.week.key || frame.start < state.week.from) return state;
  const copy = JSON.parse(JSON.stringify(state)) as PacingState;
  rollOver(copy, config, now);
  return copy;
}
