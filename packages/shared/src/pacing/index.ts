/**
 * The recruiting autopilot's pacing controller: for each eligible visit, whether to show the
 * intercept so that the week's bookings reach the study's weekly target by the week's end, and
 * the week's forecast. Pure (no I/O, no clock: `now` is passed in), for the server and the bench.
 *
 * - Weeks are the workspace's: Monday 00:00 to Monday 00:00 in its IANA zone, cut into real hours
 *   by Temporal (167 or 169 around DST changes).
 * - State is plain JSON (`PacingState`): decayed counts of eligible visits per hour-of-week slot
 *   and of the funnel (shown → opted in → screened in → booked → attended / no-show), and this
 *   week's. `observe` applies events to it in place; `decide` and `forecastWeek` only read it.
 * - Learning: Beta priors on each rate, a prior traffic shape (weekday × hour) and level, replaced
 *   by the study's own counts as they come; this week's traffic scales the expectation through a
 *   Gamma–Poisson multiplier, so a holiday or a launch spike is noticed within hours.
 */
export type {
  CapacityNow,
  Decision,
  DecisionReason,
  DecideInput,
  EpochMs,
  ForecastStatus,
  FunnelCounts,
  PacingConfig,
  PacingEvent,
  PacingEventKind,
  PacingPriors,
  PacingState,
  RatePrior,
  RiskReason,
  WeekForecast,
} from './types.js';
export type { RankCandidate } from './rank.js';
export { DEFAULT_PRIORS, newPacingState, observe } from './state.js';
export { ratesOf, weekGoal } from './estimate.js';
export { decide, stickyDraw } from './decide.js';
export { forecastWeek } from './forecast.js';
export { rankStudies } from './rank.js';
export { weekFrame } from './week.js';
