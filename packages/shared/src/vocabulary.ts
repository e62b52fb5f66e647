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
