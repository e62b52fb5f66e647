// Word lists that the server, the widget and the admin app all speak, each declared once.
// Plain constants with no dependencies, so a browser bundle that needs one pays a few bytes,
// not the schema library; the API schemas (src/api) build their unions from these.

/**
 * What is recorded about an intercept. `eligible`: an identified user whose signed traits match
 * the study's targeting was served the configuration (the server records it, once a day per
 * person and study, shown or not); the rest are what the visitor saw and did, sent by the widget.
 */
export const INTERCEPT_EVENT_KINDS = ['eligible', 'shown', 'dismissed', 'snoozed', 'opted_out', 'opted_in', 'screened_out', 'screened_in'] as const;
export type InterceptEventKind = (typeof INTERCEPT_EVENT_KINDS)[number];
/** What the widget's UI records (every kind but `eligible`, which the server records). */
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

/**
 * The contact rules a person can be held by, in the order they are checked (the first that holds
 * is the one named): the team's or the person's do-not-contact, too many no-shows, an interview
 * still to come, the interview limit, the intercept limit, then the cooldowns.
 */
export const CONTACT_RULE_NAMES = [
  'do_not_contact',
  'no_show_limit',
  'upcoming_interview',
  'interview_limit',
  'intercept_limit',
  'opt_out_cooldown',
  'dismiss_cooldown',
] as const;
export type ContactRuleName = (typeof CONTACT_RULE_NAMES)[number];

/** What a person's history lists. */
export const HISTORY_KINDS = [...INTERCEPT_EVENT_KINDS, 'booked', 'cancelled', 'attended', 'no_show', 'incentive', 'email', 'consent', 'do_not_contact'] as const;

/**
 * The people funnel's columns: unique people at each step, then the ways out as their own
 * columns (a cancelled booking is not "booked", a no-show is not "attended").
 */
export const PEOPLE_FUNNEL_COLUMNS = ['eligible', 'shown', 'opted_in', 'screened_in', 'booked', 'attended', 'screened_out', 'cancelled', 'no_show'] as const;
export type PeopleFunnelColumn = (typeof PEOPLE_FUNNEL_COLUMNS)[number];
