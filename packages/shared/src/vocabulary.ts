// Word lists that the server, the widget and the admin app all speak, each declared once.
// Plain constants with no dependencies, so a browser bundle that needs one pays a few bytes,
// not the schema library; the API schemas (src/api) build their unions from these.

/**
 * What the widget records about an intercept. `eligible`: the user matched the study's rules on
 * a page view (sent once per session), shown or not; the rest are what the visitor saw and did.
 */
export const INTERCEPT_EVENT_KINDS = ['eligible', 'shown', 'dismissed', 'snoozed', 'opted_out', 'opted_in', 'screened_out'] as const;
export type InterceptEventKind = (typeof INTERCEPT_EVENT_KINDS)[number];
/** What the widget's UI records (every kind but `eligible`, which the loader sends). */
export type UIEventKind = Exclude<InterceptEventKind, 'eligible'>;

/** The funnel's steps, in order: each counts at most as many as the one before it. */
export const FUNNEL_STEPS = ['eligible', 'shown', 'opted_in', 'qualified', 'booked', 'attended'] as const;
export type FunnelStepName = (typeof FUNNEL_STEPS)[number];

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
  no_capacity: "The hosts' free hours cannot hold the interviews still needed.",
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
/**
 * Events Beckon sends to webhook endpoints (Standard Webhooks `type`). `week.at_risk` is sent
 * when the autopilot raises its alert for a week that will miss its target.
 */
export const WEBHOOK_EVENT_TYPES = [
  'booking.created',
  'booking.rescheduled',
  'booking.cancelled',
  'booking.attended',
  'booking.no_show',
  'incentive.owed',
  'incentive.sent',
  'participant.opted_out',
  'week.at_risk',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
