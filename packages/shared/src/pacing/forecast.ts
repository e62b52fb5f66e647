// The week's outlook for the admin home page: expected bookings by the week's end with an 80 %
// interval, whether the goal will be met, and if not, the likeliest reason.
import { ratesOf, trafficOf, weekGoal } from './estimate.js';
import { currentState, priorsOf } from './state.js';
import { cappedPmf, quantile } from './stats.js';
import type { CapacityNow, EpochMs, ForecastStatus, PacingConfig, PacingState, RiskReason, WeekForecast } from './types.js';

const ON_TRACK = 0.8;
const AT_RISK = 0.25;

/**
 * Bookings still to come are modelled as what showing every remaining visitor would bring (the
 * most pacing can do: it shows less only while ahead), negative binomial over the uncertainty of
 * this week's traffic and of the rates, capped by the goal (pacing stops there) and by the free
 * slots (capacity is hard). The chance is that of reaching the goal; 80 % or more is on track,
 * 25 % or more at risk, less will miss.
 *
 * The reason, when not on track: no_capacity when the free slots cannot hold the bookings still
 * needed; otherwise the factor furthest below what a typical study has (the priors' means): the
 * opt-in rate (low_opt_in), the screener's pass rate (high_screen_out), or the traffic left,
 * judged at typical rates against the bookings still needed (low_traffic).
 */
export function forecastWeek(state: PacingState, config: PacingConfig, now: EpochMs, capacity: CapacityNow): WeekForecast {
  const current = currentState(state, config, now);
  const priors = priorsOf(config);
  const rates = ratesOf(current, priors);
  const traffic = trafficOf(current, config, now);
  const goal = weekGoal(current, config, now);
  const booked = current.week.funnel.booked;
  const needed = Math.max(0, goal - booked);
  const visitsLeft = traffic.theta * traffic.remaining;
  const base = {
    weekKey: traffic.frame.key,
    goal,
    booked,
    rates: { optIn: rates.optIn.mean, screenIn: rates.screenIn.mean, book: rates.book.mean, noShow: rates.noShow.mean, visitsLeft },
  };
  if (needed === 0) return { ...base, expected: booked, low: booked, high: booked, chance: 1, status: 'on_track' };

  const fromPending = capacity.pending * rates.screenIn.mean * rates.book.mean;
  const mean = rates.perShow.mean * visitsLeft + fromPending;
  const cv2 = rates.perShow.cv2 + (traffic.thetaSd / traffic.theta) ** 2;
  const cap = Math.max(0, Math.min(needed, Math.floor(capacity.freeSlots)));
  const pmf = cappedPmf(mean, cv2, cap);
  const expected = booked + pmf.reduce((sum, p, x) => sum + p * x, 0);
  const chance = cap < needed ? 0 : pmf[cap]!;
  const status: ForecastStatus = chance >= ON_TRACK ? 'on_track' : chance >= AT_RISK ? 'at_risk' : 'will_miss';
  const forecast: WeekForecast = { ...base, expected, low: booked + quantile(pmf, 0.1), high: booked + quantile(pmf, 0.9), chance, status };
  if (status === 'on_track') return forecast;

  let reason: RiskReason = 'no_capacity';
  if (cap >= needed) {
    const typicalPerShow = priors.optIn.mean * priors.screenIn.mean * priors.book.mean;
    const shortfalls: [RiskReason, number][] = [
      ['low_traffic', Math.log(needed / Math.max(1e-9, typicalPerShow * visitsLeft))],
      ['low_opt_in', Math.log(priors.optIn.mean / rates.optIn.mean)],
      ['high_screen_out', Math.log(priors.screenIn.mean / rates.screenIn.mean)],
    ];
    reason = shortfalls.reduce((worst, next) => (next[1] > worst[1] ? next : worst))[0];
  }
  return { ...forecast, reason };
}
