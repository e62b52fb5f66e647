import { Type, type Static } from '@sinclair/typebox';
import { Instant, Nullable, TimeZone, Uuid } from './common.js';

/** The likeliest cause when a week is not on track, and what to do about it. */
export const RISK_FIXES = {
  no_capacity: 'add hours',
  low_traffic: 'widen the segment',
  low_opt_in: 'raise the incentive',
  high_screen_out: 'shorten the screener',
} as const;
type RiskReason = keyof typeof RISK_FIXES;

/** The reason in words, for a research lead who does not read funnels (the home page and the alert mail). */
export const RISK_WORDS: Record<RiskReason, string> = {
  no_capacity: "The hosts' free hours this week cannot hold the interviews still needed.",
  low_traffic: 'Too few people in the segment visit to fill the week at the usual rates.',
  low_opt_in: 'Few of the people asked say yes.',
  high_screen_out: 'The screener turns most volunteers away.',
};

/**
 * Where the fix is done, as a path in the admin app (below /admin): the study editor's section
 * (hosts, segment, incentive, screener), or for the workspace as a whole the members' hours and
 * the studies.
 */
export function riskFixPath(reason: RiskReason, studyId: string | null): string {
  if (studyId === null) return reason === 'no_capacity' ? '/members' : '/studies';
  const section = { no_capacity: 'f-hostIds', low_traffic: 's-who', low_opt_in: 'f-incentive', high_screen_out: 'f-screener' }[reason];
  return `/studies/${studyId}#${section}`;
}

const RiskReason = Type.Union(Object.keys(RISK_FIXES).map((reason) => Type.Literal(reason as keyof typeof RISK_FIXES)));
const RiskFix = Type.Union(Object.values(RISK_FIXES).map((fix) => Type.Literal(fix)));

/** One week (Monday 00:00 to Monday 00:00 in the workspace's zone) and what it brought. */
export const WeekCounts = Type.Object({
  /** Monday's local date. */
  weekKey: Type.String({ format: 'date', examples: ['2026-11-30'] }),
  start: Instant,
  end: Instant,
  /** The target as set now (targets are not kept per week). */
  target: Type.Integer(),
  /** Bookings made in the week (by when they were booked), cancelled ones left out. */
  booked: Type.Integer(),
  /** Interviews held in the week (by their start) marked completed, and marked no-show. */
  attended: Type.Integer(),
  noShows: Type.Integer(),
});
export type WeekCounts = Static<typeof WeekCounts>;

/** The pacing controller's outlook for this week. */
export const WeekOutlook = Type.Object({
  /** Bookings wanted this week (the target). */
  goal: Type.Integer(),
  /** Expected bookings by the week's end, and an 80 % interval. */
  expected: Type.Number(),
  low: Type.Integer(),
  high: Type.Integer(),
  /** Probability (0–1) of reaching the goal. */
  chance: Type.Number({ minimum: 0, maximum: 1 }),
  status: Type.Union([Type.Literal('on_track'), Type.Literal('at_risk'), Type.Literal('will_miss')], { description: 'on_track: chance ≥ 80 %; at_risk: ≥ 25 %; will_miss: less' }),
  /** Null when on track. */
  reason: Nullable(RiskReason),
  /** What to do about the reason; null when on track. */
  fix: Nullable(RiskFix),
  /** Interviews that could still be booked now: the free host time in the study's booking window (for the workspace, the studies' sum). */
  freeSlots: Type.Integer(),
});
export type WeekOutlook = Static<typeof WeekOutlook>;

export const WeekHealth = Type.Object({
  target: Type.Integer(),
  /** The last 8 weeks and this one, oldest first: this week is the last. */
  weeks: Type.Array(WeekCounts),
  forecast: WeekOutlook,
});
export type WeekHealth = Static<typeof WeekHealth>;

export const AutopilotWeek = Type.Object({
  timeZone: TimeZone,
  /** This week's Monday. */
  weekKey: Type.String({ format: 'date' }),
  at: Instant,
  /** The workspace as a whole: every study's bookings against the workspace's target. */
  workspace: WeekHealth,
  /** Each live study with a weekly target. */
  studies: Type.Array(Type.Object({ studyId: Uuid, name: Type.String(), ...WeekHealth.properties })),
});
export type AutopilotWeek = Static<typeof AutopilotWeek>;
