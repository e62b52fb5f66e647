// The per-visit decision: show the intercept or not, paced so the week's bookings reach the goal
// by a "finish line" placed at `finishBy` of the week's expected traffic.
import { hash32 } from '../rules/sample.js';
import { ratesOf, trafficOf, weekGoal } from './estimate.js';
import { currentState, priorsOf } from './state.js';
import { countPmf } from './stats.js';
import type { Decision, DecideInput, PacingConfig, PacingState } from './types.js';

/** Standard deviations of pessimism on this week's traffic and on the rates when planning. */
const PLAN_Z = 0.5;
/** Below this chance of making it even when showing everyone from now on, show everyone. */
const TIGHT = 0.99;
const DEFAULT_FINISH_BY = 0.85;

/**
 * Whether this eligible visit gets the intercept. Pure: the same state, config and input give the
 * same answer. Call `observe(state, config, { kind: 'eligible', at: now })` first, so the visit
 * counts towards the week's traffic.
 *
 * - Target met (bookings, plus invitations in flight expected to book, reach the goal): no.
 * - Capacity: no when free slots − invitations in flight < 1, whatever else holds.
 * - Otherwise the show probability is what the bookings still needed ask of the traffic left
 *   before the finish line (`finishBy` of the week's expected traffic, default 0.85), planned with
 *   traffic and rates half a standard deviation below their estimates; past the finish line it is
 *   1, and so it is whenever showing everyone for the rest of the week would meet the goal with
 *   less than 99 % probability (a thin week is not paced). Re-planned at every visit, so a
 *   deficit late in the week raises it and a lucky run lowers it. With the bookings still needed
 *   spread over the traffic left, the chance of finishing rises towards 1 as the line nears.
 * - Sticky: the visitor's uniform draw is a hash of seed, study, visitor and the time bucket
 *   (`stickyMinutes`), compared with that probability.
 */
export function decide(state: PacingState, config: PacingConfig, input: DecideInput): Decision {
  const now = input.now;
  const current = currentState(state, config, now);
  const rates = ratesOf(current, priorsOf(config));
  const goal = weekGoal(current, config, now);
  const booked = current.week.funnel.booked;
  const { freeSlots, pending } = input.capacity;
  const needed = goal - booked - pending * rates.screenIn.mean * rates.book.mean;
  if (goal - booked <= 0 || needed <= 0) return { show: false, probability: 0, reason: 'target_met', urgency: 0 };
  const traffic = trafficOf(current, config, now);
  const y = rates.perShow.mean;
  const urgency = Math.min(10, needed / Math.max(1e-9, y * traffic.theta * traffic.remaining));
  if (freeSlots - pending < 1) return { show: false, probability: 0, reason: 'no_capacity', urgency };

  const finishBy = config.finishBy ?? DEFAULT_FINISH_BY;
  const thetaLow = Math.max(traffic.theta * 0.25, traffic.theta - PLAN_Z * traffic.thetaSd);
  const yLow = y * Math.max(0.25, 1 - PLAN_Z * Math.sqrt(rates.perShow.cv2));
  const beforeLine = thetaLow * Math.max(0, traffic.remaining - (1 - finishBy) * traffic.total);
  // When even showing everyone from now on would only just make it, there is nothing to pace.
  const tight = atLeast(yLow * thetaLow * traffic.remaining, Math.ceil(needed - 1e-9)) < TIGHT;
  const probability = beforeLine > 0 && !tight ? Math.min(1, needed / (yLow * beforeLine)) : 1;
  return { show: stickyDraw(config, input.visitorId, now) < probability, probability, reason: 'paced', urgency };
}

/** P(X ≥ k) for X Poisson with this mean. */
function atLeast(mean: number, k: number): number {
  const pmf = countPmf(mean, 0, k);
  let below = 0;
  for (let x = 0; x < k; x++) below += pmf[x]!;
  return 1 - below;
}

/** The visitor's draw in [0, 1) for this study and time bucket. */
export function stickyDraw(config: PacingConfig, visitorId: string, now: number): number {
  const bucket = Math.floor(now / ((config.stickyMinutes ?? 60) * 60_000));
  return hash32(`${config.seed ?? 0}:${config.studyId}:${visitorId}:${bucket}`) / 4294967296;
}
