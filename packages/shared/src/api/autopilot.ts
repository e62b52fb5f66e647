import { Type, type Static } from '@sinclair/typebox';
import { RISK_FIXES } from '../vocabulary.js';
import { Instant, Nullable, TimeZone, Uuid } from './common.js';

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
