// Every kind of background job and the payload it carries: one map, so `enqueue` and the
// handlers agree by type, and a new kind is declared here before anything can enqueue it.
import type { WebhookWeekAtRisk } from '@beckon/shared/api';
import type { MailKind } from '../mail/types.js';

/** What Slack is told about (integrations/slack.ts builds the message when it is sent). */
export type SlackEvent = { type: 'booking.created' | 'booking.cancelled'; bookingId: string } | { type: 'week.at_risk'; week: WebhookWeekAtRisk };

/** A mail about one booking; the handler re-reads the booking and decides whether it still makes sense. */
export interface BookingMailPayload {
  bookingId: string;
  /** The iCalendar sequence the booking had when the job was made. */
  sequence?: number;
  /** For timed mails: the start they were scheduled for; a moved booking makes them moot. */
  startsAt?: string;
  before?: '24h' | '1h';
  /** previous_host: the interviewer a move took the interview from. */
  audience?: 'participant' | 'host' | 'previous_host';
  /** For a reschedule notice: the time it moved from. */
  previousStartsAt?: string;
  /** For a move to another interviewer: who led it before. */
  previousHostId?: string;
  /** For a mail to one interviewer: it is moot once another leads the interview. */
  hostId?: string;
  /** For the attendance prompt: the first ask, the ask again, or the escalation to the workspace's admins. */
  stage?: 'first' | 'again' | 'escalate';
}

/** A connection's calendar that interviews are written to. */
export interface WriteCalendar {
  connectionId: string;
  calendarId: string;
}

export interface CalendarWritePayload {
  bookingId: string;
  sequence?: number;
  /** On a reschedule that changed the host: the host whose calendar holds the old event. */
  previousHostId?: string;
  /** After the host chose another calendar for interviews: where the event was written before. */
  previousCalendar?: WriteCalendar;
  /** Jobs to enqueue once the event is written, e.g. a confirmation that should carry the Meet link. */
  followUps?: NewJob[];
  /** After this many failed attempts the follow-ups go out anyway (without a Meet link); 3 by default (about 4 minutes of backoff). */
  releaseFollowUpsAfter?: number;
}

/** Makes, moves or deletes a booking's Zoom meeting so it matches the booking as it is now (calendars/zoom-meetings.ts). */
export interface ZoomSyncPayload {
  bookingId: string;
  /** Jobs that wait for the meeting's join link: the calendar event and the first mails. */
  followUps?: NewJob[];
  /** After this many failed attempts the follow-ups go out anyway (with the host's fallback, or "link to follow"); 3 by default. */
  releaseFollowUpsAfter?: number;
}

/** A sign-in link or an invitation: the link is a bearer credential, so it travels sealed. */
export type AccountMailPayload =
  | { kind: 'sign_in'; userId: string; sealedUrl: string; minutes: number }
  | { kind: 'invitation'; invitationId: string; sealedUrl: string; inviter: string | null };

/**
 * The autopilot's hourly check: every workspace's week, an alert for each study at risk, the
 * Monday digest; then the next check. `at` is the hour it is for (the check's clock).
 */
export interface AutopilotTickPayload {
  at: string;
}

/** A study's week turned at risk: the forecast that said so, as of `at`. */
export interface AutopilotAlertPayload {
  workspaceId: string;
  studyId: string;
  at: string;
  forecast: { goal: number; booked: number; expected: number; low: number; high: number; chance: number; status: 'at_risk' | 'will_miss'; reason: 'no_capacity' | 'low_traffic' | 'low_opt_in' | 'high_screen_out' };
}

/** The Monday digest of one workspace, as of `at`. */
export interface AutopilotDigestPayload {
  workspaceId: string;
  at: string;
}

/** Job kind → payload, for every kind the app runs. */
interface AppJobPayloads extends Record<`mail.${MailKind}`, BookingMailPayload> {
  'mail.calendar_reconnect': { connectionId: string };
  'mail.account': AccountMailPayload;
  'calendar.upsert': CalendarWritePayload;
  'calendar.delete': CalendarWritePayload;
  'zoom.sync': ZoomSyncPayload;
  /** Ask a member to connect Zoom again after its access was revoked. */
  'mail.zoom_reconnect': { connectionId: string };
  'autopilot.tick': AutopilotTickPayload;
  'mail.autopilot_alert': AutopilotAlertPayload;
  'mail.autopilot_digest': AutopilotDigestPayload;
  /** Send an endpoint's waiting webhook deliveries, oldest first (integrations/webhooks.ts). */
  'webhook.deliver': { endpointId: string };
  /** Tell the workspace's owners that an endpoint was disabled after a day of failures. */
  'mail.webhook_disabled': { endpointId: string };
  /** Order a due incentive from the payout provider, idempotently (integrations/payouts.ts). */
  'payout.order': { incentiveId: string };
  /** Follow an order the provider has not settled yet. */
  'payout.status': { incentiveId: string };
  /** Post one event to one Slack incoming webhook (integrations/slack.ts). */
  'slack.post': { slackWebhookId: string; event: SlackEvent };
}

/**
 * Every kind that can be enqueued: the app's, and any a test declares for itself
 * (`declare module '…/jobs/kinds.js' { interface JobPayloads { … } }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- open for declaration merging
export interface JobPayloads extends AppJobPayloads {}

export type JobKind = keyof JobPayloads;

interface JobOf<K extends JobKind> {
  kind: K;
  payload: JobPayloads[K];
}

/** A job to add: a kind with its own payload (a union over kinds, so the pair always matches). */
export type NewJob<K extends JobKind = JobKind> = {
  [P in K]: JobOf<P> & { runAt?: Date; dedupeKey?: string; maxAttempts?: number };
}[K];

/** A job taken by a worker. */
export type ClaimedJob<K extends JobKind = JobKind> = {
  [P in K]: JobOf<P> & { id: number; attempts: number; maxAttempts: number; /** The worker's clock when it claimed the job. */ now?: Date };
}[K];

export type JobHandler<K extends JobKind> = (job: ClaimedJob<K>) => Promise<void>;
/** A handler for each of the app's kinds; kinds a test declares bring their own. */
export type JobHandlers = { [K in keyof AppJobPayloads]: JobHandler<K> } & { [K in Exclude<JobKind, keyof AppJobPayloads>]?: JobHandler<K> };
