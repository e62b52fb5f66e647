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
