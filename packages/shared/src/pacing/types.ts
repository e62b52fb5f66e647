/** Epoch milliseconds (a UTC instant). The API takes numbers so the hot path parses nothing. */
export type EpochMs = number;

/** Beta prior on a rate: its mean and its strength in pseudo-observations. */
export interface RatePrior {
  mean: number;
  strength: number;
}

/** What a new study is assumed to look like before its own data outweighs it. */
export interface PacingPriors {
  /** Eligible visits per week (a guess; the week's own traffic replaces it within hours). */
  weeklyVisits: number;
  /** Relative traffic by ISO weekday, Monday first (7 numbers). */
  weekdayShape: number[];
  /** Relative traffic by local hour 0–23 (24 numbers). */
  hourShape: number[];
  /** Strength of the shape prior, in weeks of observations. */
  shapeWeeks: number;
  optIn: RatePrior;
  screenIn: RatePrior;
  /** Of the screened-in, the share who go on to book. */
  book: RatePrior;
  noShow: RatePrior;
}

export interface PacingConfig {
  studyId: string;
  /** The workspace's IANA zone: weeks run Monday 00:00 to Monday 00:00 on its clock. */
  timeZone: string;
  /** Booked interviews wanted per week. */
  weeklyTarget: number;
  /**
   * Share (0–1) of the expected no-shows to book on top of the target: 1 books
   * target / (1 − no-show rate), rounded up; 0 (the default) books the target.
   */
  noShowMargin?: number;
  /** Part of the week's expected traffic by which pacing aims to be done (default 0.85). */
  finishBy?: number;
  /** A visitor keeps the same decision within a bucket of this many minutes (default 60). */
  stickyMinutes?: number;
  /** Mixed into the sticky hash: the same seed and state give the same decisions. */
  seed?: number;
  /** Overrides of the default priors. */
  priors?: Partial<PacingPriors>;
}

/** Funnel counts: shown → opted in → screened in → booked → attended (or no-show). */
export interface FunnelCounts {
  shown: number;
  optedIn: number;
  screenedIn: number;
  screenedOut: number;
  booked: number;
  attended: number;
  noShow: number;
}

/**
 * Everything the controller has learned, as plain JSON: the server stores it per study, applies
 * events with `observe` and hands it to `decide` and `forecastWeek`. Decayed sums, so recent weeks
 * weigh more and a drifting study is followed.
 */
export interface PacingState {
  version: 1;
  /**
   * Past weeks by local hour-of-week slot ((ISO weekday − 1) × 24 + hour): eligible visits, and
   * the real hours observed (so DST weeks and a study started mid-week are weighed right).
   */
  history: { hourly: number[]; hours: number[] };
  /** Past weeks' funnel counts, decayed. */
  funnel: FunnelCounts;
  /** The current week (Monday's local date as key), observed since `from`, and its counts so far. */
  week: { key: string; from: EpochMs; hourly: number[]; eligible: number; funnel: FunnelCounts };
}

export type PacingEventKind = 'eligible' | keyof FunnelCounts | 'cancelled';

/** One thing that happened at `at`; `count` (default 1) lets the server apply aggregates. */
export interface PacingEvent {
  kind: PacingEventKind;
  at: EpochMs;
  count?: number;
}

/** What the caller knows about capacity right now. Capacity is a hard limit. */
export interface CapacityNow {
  /** Slots that could still be booked within the booking window (after existing bookings). */
  freeSlots: number;
  /** Invitations in flight: shown or opted in, not yet booked, declined or expired. */
  pending: number;
}

export interface DecideInput {
  visitorId: string;
  now: EpochMs;
  capacity: CapacityNow;
}

export type DecisionReason = 'paced' | 'target_met' | 'no_capacity';

export interface Decision {
  show: boolean;
  /** The show probability this visit was judged against (0 when target met or no capacity). */
  probability: number;
  reason: DecisionReason;
  /**
   * How far the study is from its target relative to what the rest of the week can bring:
   * bookings still needed / bookings expected if every remaining visitor were shown. Feeds
   * `rankStudies`; above 1 the study cannot make it at its learned rates.
   */
  urgency: number;
}

export type ForecastStatus = 'on_track' | 'at_risk' | 'will_miss';
export type RiskReason = 'no_capacity' | 'low_traffic' | 'low_opt_in' | 'high_screen_out';

export interface WeekForecast {
  weekKey: string;
  /** Bookings wanted this week: the target plus the no-show margin. */
  goal: number;
  booked: number;
  /** Expected bookings by the week's end, and an 80 % interval. */
  expected: number;
  low: number;
  high: number;
  /** Probability of reaching the goal. */
  chance: number;
  status: ForecastStatus;
  /** Present unless on track: the likeliest cause. */
  reason?: RiskReason;
  /** The learned rates behind it, for the home page's explanation. */
  rates: { optIn: number; screenIn: number; book: number; noShow: number; visitsLeft: number };
}
