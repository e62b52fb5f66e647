// Beckon's data model. Plain drizzle tables; migrations are generated from this file by
// drizzle-kit into ./migrations and committed. The booking exclusion constraint lives in a
// hand-written migration because drizzle-kit cannot express EXCLUDE constraints.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  time,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { INTERCEPT_EVENT_KINDS, WEBHOOK_EVENT_TYPES } from '@beckon/shared/vocabulary';
import type { AuditEntry, BookingCreated, WebhookDeliveryAttempt, ContactRules, Incentive, InterceptCopy, JoinFallback, MeetingLocation, Screener, ScreenerAnswers, StudyCreate, Theme, Traits, WebhookPayload } from '@beckon/shared/api';
import type { Rule, Trigger } from '@beckon/shared/rules';
import type { ClockInterval } from '@beckon/shared/schedule';

const id = () => uuid('id').primaryKey().defaultRandom();
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => instant('created_at').notNull().defaultNow();
const updatedAt = () => instant('updated_at').notNull().defaultNow();

export const workspaces = pgTable('workspaces', {
  id: id(),
  name: text('name').notNull(),
  /** Shown in the script tag; identifies the workspace, grants nothing. */
  publicKey: text('public_key').notNull().unique(),
  allowedOrigins: text('allowed_origins').array().notNull().default(sql`'{}'::text[]`),
  /** HMAC key for identity verification, AES-256-GCM encrypted with the server's key. */
  identitySecretEncrypted: text('identity_secret_encrypted').notNull(),
  requireIdentityVerification: boolean('require_identity_verification').notNull().default(false),
  recontactDays: integer('recontact_days').notNull().default(30),
  privacyUrl: text('privacy_url'),
  locale: text('locale').notNull().default('en'),
  theme: jsonb('theme').$type<Theme>().notNull().default({}),
  /** Branding participants see (hosted and manage pages, emails): the company's name (null: the workspace's name) and an https logo. */
  brandName: text('brand_name'),
  logoUrl: text('logo_url'),
  /** When the widget's config was last asked for from each origin (allowed or not), written at most once a minute per origin. */
  originsSeen: jsonb('origins_seen').$type<Record<string, string>>().notNull().default({}),
  /** IANA zone the workspace's weeks run in (Monday 00:00 to Monday 00:00): weekly targets and the week's health. */
  timeZone: text('time_zone').notNull().default('UTC'),
  /** Interviews booked per week wanted across the workspace. */
  weeklyTarget: integer('weekly_target').notNull().default(1),
  /** How often a person may be asked, across studies and devices; null: the defaults (DEFAULT_CONTACT_RULES). */
  contactRules: jsonb('contact_rules').$type<ContactRules>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [check('workspaces_weekly_target_ck', sql`${t.weeklyTarget} between 1 and 500`)]);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The first characters of the key, so people can tell keys apart; not enough to use it. */
    prefix: text('prefix').notNull(),
    /** SHA-256 of the whole key: keys are 256-bit random, so a fast hash is enough. */
    keyHash: text('key_hash').notNull().unique(),
    /** full: every admin route an admin may use; read: GET only. Keys made before named keys are full. */
    access: text('access', { enum: ['full', 'read'] }).notNull().default('full'),
    createdBy: uuid('created_by'),
    lastUsedAt: instant('last_used_at'),
    revokedAt: instant('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [index('api_keys_workspace_idx').on(t.workspaceId)],
);

export const memberRoles = ['interviewer', 'pm', 'admin'] as const;

export const members = pgTable(
  'members',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: memberRoles }).notNull().default('interviewer'),
    timeZone: text('time_zone').notNull(),
    bufferBeforeMinutes: integer('buffer_before_minutes').notNull().default(0),
    bufferAfterMinutes: integer('buffer_after_minutes').notNull().default(10),
    minimumNoticeMinutes: integer('minimum_notice_minutes').notNull().default(240),
    bookingWindowDays: integer('booking_window_days').notNull().default(21),
    maxPerDay: integer('max_per_day'),
    maxPerWeek: integer('max_per_week'),
    /** How participants join when the study's own way gives none (a Meet or Teams study without the calendar that makes its link). */
    joinFallback: jsonb('join_fallback').$type<JoinFallback | null>(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('members_workspace_email_uq').on(t.workspaceId, t.email)],
);

/** Recurring working hours in the member's own zone; ISO weekday 1 = Monday. */
export const weeklyHours = pgTable(
  'weekly_hours',
  {
    id: id(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    weekday: smallint('weekday').notNull(),
    startTime: time('start_time').notNull(),
    endTime: time('end_time').notNull(),
  },
  (t) => [
    index('weekly_hours_member_idx').on(t.memberId),
    check('weekly_hours_weekday_ck', sql`${t.weekday} between 1 and 7`),
    check('weekly_hours_order_ck', sql`${t.startTime} < ${t.endTime}`),
  ],
);

/** One local date whose hours replace the weekly ones; no intervals means a day off. */
export const availabilityOverrides = pgTable(
  'availability_overrides',
  {
    id: id(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    date: date('date', { mode: 'string' }).notNull(),
    intervals: jsonb('intervals').$type<ClockInterval[]>().notNull().default([]),
  },
  (t) => [uniqueIndex('availability_overrides_member_date_uq').on(t.memberId, t.date)],
);

export const calendarProviders = ['google', 'microsoft', 'caldav', 'builtin'] as const;

export const calendarConnections = pgTable(
  'calendar_connections',
  {
    id: id(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: calendarProviders }).notNull(),
    label: text('label').notNull(),
    /** Tokens or passwords, AES-256-GCM encrypted with the server's key; null for builtin. */
    credentialsEncrypted: text('credentials_encrypted'),
    /** Calendars read for busy time. */
    busyCalendarIds: jsonb('busy_calendar_ids').$type<string[]>().notNull().default([]),
    /** The calendar interviews are written to, at most one per member. */
    writeCalendarId: text('write_calendar_id'),
    status: text('status', { enum: ['active', 'broken'] }).notNull().default('active'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('calendar_connections_member_idx').on(t.memberId),
    // At most one calendar per member takes the interviews.
    uniqueIndex('calendar_connections_one_write_calendar_uq').on(t.memberId).where(sql`${t.writeCalendarId} is not null`),
  ],
);

/**
 * A member's Zoom account, connected through Zoom's OAuth (a user-level app): Beckon makes a
 * meeting there for each interview of a study whose location is Zoom. One per member.
 */
export const zoomConnections = pgTable('zoom_connections', {
  id: id(),
  memberId: uuid('member_id')
    .notNull()
    .unique()
    .references(() => members.id, { onDelete: 'cascade' }),
  /** The Zoom account's email. */
  label: text('label').notNull(),
  /** Access and refresh tokens (Zoom rotates the refresh token on every use), AES-256-GCM encrypted with the server's key. */
  credentialsEncrypted: text('credentials_encrypted').notNull(),
  status: text('status', { enum: ['active', 'broken'] }).notNull().default('active'),
  lastError: text('last_error'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const studyStatuses = ['draft', 'live', 'paused', 'ended'] as const;
export const assignmentModes = ['round_robin', 'all_hosts'] as const;

export const studies = pgTable(
  'studies',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** Globally unique: the hosted booking page is /b/{slug}. */
    slug: text('slug').notNull().unique(),
    /** The team's own name for the study; never shown to a participant. */
    name: text('name').notNull(),
    /** What participants read as the study's title and description (pages, emails, invites); null: a neutral default. */
    publicTitle: text('public_title'),
    publicDescription: text('public_description'),
    status: text('status', { enum: studyStatuses }).notNull().default('draft'),
    priority: integer('priority').notNull().default(0),
    intercept: jsonb('intercept').$type<InterceptCopy>().notNull(),
    incentive: jsonb('incentive').$type<Incentive | null>(),
    durationMinutes: integer('duration_minutes').notNull().default(20),
    targeting: jsonb('targeting').$type<Rule | null>(),
    triggers: jsonb('triggers').$type<Trigger[]>().notNull().default([]),
    samplingPercent: integer('sampling_percent').notNull().default(100),
    /** Overrides the workspace's recontact window for this study when set. */
    recontactDays: integer('recontact_days'),
    totalQuota: integer('total_quota'),
    weeklyQuota: integer('weekly_quota'),
    /** Interviews booked per week wanted (the autopilot paces to it); null: no target. */
    weeklyTarget: integer('weekly_target'),
    screener: jsonb('screener').$type<Screener | null>(),
    assignmentMode: text('assignment_mode', { enum: assignmentModes }).notNull().default('round_robin'),
    bookingWindowDays: integer('booking_window_days').notNull().default(14),
    minimumNoticeMinutes: integer('minimum_notice_minutes').notNull().default(240),
    slotStepMinutes: integer('slot_step_minutes').notNull().default(15),
    meetingLocation: jsonb('meeting_location').$type<MeetingLocation>().notNull(),
    interviewGuide: text('interview_guide').notNull().default(''),
    /** A consent or NDA text the participant must accept before booking; null: none asked. */
    consentTextId: uuid('consent_text_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('studies_workspace_idx').on(t.workspaceId),
    check('studies_sampling_ck', sql`${t.samplingPercent} between 0 and 100`),
    check('studies_duration_ck', sql`${t.durationMinutes} between 5 and 240`),
    check('studies_weekly_target_ck', sql`${t.weeklyTarget} between 1 and 50`),
  ],
);

/**
 * The study editor's copy (saved or not) previewed in the real widget: the admin app frames
 * /preview/{token}, whose routes serve this copy to the widget and record, count and book nothing.
 * Kept for half an hour; expired ones are removed when the next preview is made.
 */
export const studyPreviews = pgTable(
  'study_previews',
  {
    /** The study's id in the preview when it is not saved yet. */
    id: id(),
    /** SHA-256 of the token in the frame's path; the token itself is never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** The saved study the copy edits; null for one not created yet. */
    studyId: uuid('study_id').references(() => studies.id, { onDelete: 'cascade' }),
    study: jsonb('study').$type<StudyCreate>().notNull(),
    expiresAt: instant('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('study_previews_expires_idx').on(t.expiresAt)],
);

/** Who runs a study's interviews: hosts lead (one per booking), observers are invited. */
export const studyMembers = pgTable(
  'study_members',
  {
    studyId: uuid('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['host', 'observer'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.studyId, t.memberId] }), index('study_members_member_idx').on(t.memberId)],
);

/**
 * One record per person per workspace: the panel. A person gathers the participant records that
 * name them (one per user id, or per email for those who booked without one); they are joined by
 * the product's user id and by email, and merged when a booking brings the two together.
 */
export const people = pgTable(
  'people',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: text('user_id'),
    /** Lowercased. */
    email: text('email'),
    name: text('name'),
    /** The last traits their product sent (signed, when the workspace verifies identity). */
    traits: jsonb('traits').$type<Traits>().notNull().default({}),
    doNotContactAt: instant('do_not_contact_at'),
    doNotContactBy: text('do_not_contact_by', { enum: ['team', 'participant'] }),
    erasedAt: instant('erased_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('people_workspace_user_uq').on(t.workspaceId, t.userId).where(sql`${t.userId} is not null`),
    index('people_workspace_email_idx').on(t.workspaceId, t.email),
  ],
);

export const participants = pgTable(
  'participants',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** The person this record is part of (see people). */
    personId: uuid('person_id').references(() => people.id, { onDelete: 'set null' }),
    /** The product's own user id, from identify(). */
    userId: text('user_id'),
    anonymousId: text('anonymous_id'),
    email: text('email'),
    name: text('name'),
    timeZone: text('time_zone'),
    traits: jsonb('traits').$type<Traits>().notNull().default({}),
    lastShownAt: instant('last_shown_at'),
    optedOutAt: instant('opted_out_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('participants_workspace_user_uq').on(t.workspaceId, t.userId).where(sql`${t.userId} is not null`),
    index('participants_workspace_email_idx').on(t.workspaceId, t.email),
    index('participants_person_idx').on(t.personId),
  ],
);

export const interceptEvents = pgTable(
  'intercept_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    studyId: uuid('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    participantId: uuid('participant_id').references(() => participants.id, { onDelete: 'set null' }),
    kind: text('kind', { enum: INTERCEPT_EVENT_KINDS }).notNull(),
    at: instant('at').notNull(),
    anonymousId: text('anonymous_id').notNull(),
    userId: text('user_id'),
    url: text('url'),
    receivedAt: instant('received_at').notNull().defaultNow(),
  },
  (t) => [index('intercept_events_study_kind_at_idx').on(t.studyId, t.kind, t.at), index('intercept_events_participant_idx').on(t.participantId, t.at)],
);

export const bookingStatuses = ['confirmed', 'cancelled', 'completed', 'no_show'] as const;

/**
 * What the mails about a booking have told each person (services/notifications.ts), so that the
 * mails of changes that came quickly one after another tell each person the net change from what
 * they last heard: nobody hears "no longer yours" about an interview they were never told of.
 */
export interface MailsTold {
  /** The interviewer and start the participant was last told of; null until their confirmation went out. */
  participant: { hostId: string; startsAt: string } | null;
  /** The interviewers told they lead it (and not since told it is gone), with the start each was told. */
  hosts: Record<string, string>;
}

export const bookings = pgTable(
  'bookings',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    studyId: uuid('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'restrict' }),
    hostId: uuid('host_id')
      .notNull()
      .references(() => members.id, { onDelete: 'restrict' }),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'restrict' }),
    /**
     * In all-hosts studies, the other hosts who attend. The exclusion constraint guards the lead
     * host; co-hosts are guarded by the booking transaction, which locks every host's row.
     */
    coHostIds: uuid('co_host_ids').array().notNull().default(sql`'{}'::uuid[]`),
    status: text('status', { enum: bookingStatuses }).notNull().default('confirmed'),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    /** The host's time this booking takes, buffers included; the exclusion constraint guards it. */
    blockedFrom: instant('blocked_from').notNull(),
    blockedUntil: instant('blocked_until').notNull(),
    participantTimeZone: text('participant_time_zone').notNull(),
    /** SHA-256 of the participant's manage-link token; the token itself is never stored. */
    manageTokenHash: text('manage_token_hash').notNull().unique(),
    manageTokenExpiresAt: instant('manage_token_expires_at').notNull(),
    /** iCalendar identity: the UID stays across reschedules, SEQUENCE grows on every change. */
    icalUid: text('ical_uid').notNull().unique(),
    icalSequence: integer('ical_sequence').notNull().default(0),
    answers: jsonb('answers').$type<ScreenerAnswers>().notNull().default({}),
    /** Where the booking came from: widget, or the `ref` of a hosted booking link. */
    source: text('source').notNull().default('widget'),
    meetingUrl: text('meeting_url'),
    /** The Zoom meeting made for this interview (calendars/zoom-meetings.ts), once Zoom has answered. */
    zoomMeetingId: text('zoom_meeting_id'),
    /**
     * Whose Zoom account holds the meeting, or was asked to make it: set before the request, so a
     * meeting made by a request whose answer was lost is looked for there, not made twice.
     */
    zoomHostId: uuid('zoom_host_id').references(() => members.id, { onDelete: 'set null' }),
    /** While a request to make the meeting is under way: no second one starts before this. */
    zoomCreatingUntil: instant('zoom_creating_until'),
    cancelledAt: instant('cancelled_at'),
    cancelledBy: text('cancelled_by', { enum: ['participant', 'host'] }),
    /** What the participant wrote when cancelling, if anything; told to the team. */
    cancelReason: text('cancel_reason'),
    /** What the mails that went out told the participant and the interviewers; null for bookings made before it was kept. */
    told: jsonb('told').$type<MailsTold>(),
    /** The thank-you job that thanks the participant: only it (and its retries) may, so done, no-show, done thanks once. */
    thankedByJob: bigint('thanked_by_job', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('bookings_study_starts_idx').on(t.studyId, t.startsAt),
    index('bookings_host_starts_idx').on(t.hostId, t.startsAt),
    // A host's time is also taken by the interviews they co-host: found by this, not by reading every booking.
    index('bookings_co_hosts_idx').using('gin', t.coHostIds).where(sql`${t.status} = 'confirmed'`),
    index('bookings_participant_idx').on(t.participantId),
    check('bookings_interval_ck', sql`${t.blockedFrom} <= ${t.startsAt} and ${t.startsAt} < ${t.endsAt} and ${t.endsAt} <= ${t.blockedUntil}`),
  ],
);

/** A retried booking request with the same key gets the first response back. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** SHA-256 of the request, so a key reused for a different request is refused. */
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status').notNull(),
    /** The booking's answer (only successes are kept), so a retry gets the same one; without its manage link, which is derived again. */
    responseBody: jsonb('response_body').$type<{ booking: Omit<BookingCreated['booking'], 'manageUrl'> }>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.key] })],
);

/** Consent and NDA texts, versioned: a new version is a new row, so what someone accepted stays readable. */
export const consentTexts = pgTable(
  'consent_texts',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** Null: the workspace's own text. */
    studyId: uuid('study_id').references(() => studies.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['consent', 'nda'] }).notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    version: integer('version').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('consent_texts_workspace_idx').on(t.workspaceId)],
);

/** Who accepted which version of which text, and when. */
export const consents = pgTable(
  'consents',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    consentTextId: uuid('consent_text_id')
      .notNull()
      .references(() => consentTexts.id, { onDelete: 'restrict' }),
    version: integer('version').notNull(),
    bookingId: uuid('booking_id').references(() => bookings.id, { onDelete: 'set null' }),
    acceptedAt: instant('accepted_at').notNull(),
  },
  (t) => [index('consents_person_idx').on(t.personId), index('consents_text_idx').on(t.consentTextId)],
);

export const incentiveStatuses = ['pending', 'sent', 'void'] as const;
export const incentiveDeliveryMethods = ['email', 'elsewhere'] as const;

export const incentives = pgTable(
  'incentives',
  {
    id: id(),
    bookingId: uuid('booking_id')
      .notNull()
      .unique()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    amountCents: integer('amount_cents'),
    currency: text('currency'),
    description: text('description').notNull(),
    status: text('status', { enum: incentiveStatuses }).notNull().default('pending'),
    sentAt: instant('sent_at'),
    sentBy: text('sent_by', { enum: incentiveDeliveryMethods }),
    /** What the participant is emailed (code, link, message), sealed: a gift card code is money. */
    deliverySealed: text('delivery_sealed'),
    /** Set when a payout provider orders it (integrations/payouts.ts); the order's idempotency key is derived from the id. */
    payoutProvider: text('payout_provider', { enum: ['tremendous'] }),
    payoutOrderId: text('payout_order_id'),
    /** The provider's own word for where the order is (EXECUTED, PENDING APPROVAL, FAILED…). */
    payoutStatus: text('payout_status'),
    /** Why the last order attempt failed, shown in Incentives; null once it went through. */
    payoutError: text('payout_error'),
    createdAt: createdAt(),
  },
);

/**
 * A workspace's own Tremendous account, which pays its studies' rewards (integrations/payouts.ts);
 * a workspace without one falls back to the server's key, if any.
 */
export const tremendousAccounts = pgTable('tremendous_accounts', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  environment: text('environment', { enum: ['sandbox', 'production'] }).notNull(),
  /** The API key, AES-256-GCM encrypted with the server's key; never answered. */
  apiKeySealed: text('api_key_sealed').notNull(),
  /** Its last 4 characters, to tell which key is set. */
  apiKeyEnd: text('api_key_end').notNull(),
  fundingSourceId: text('funding_source_id').notNull().default('balance'),
  campaignId: text('campaign_id'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Where a workspace's signed webhooks go (Standard Webhooks); see integrations/webhooks.ts. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    /** The events it receives; empty: every event. */
    events: text('events', { enum: WEBHOOK_EVENT_TYPES }).array().notNull().default(sql`'{}'::text[]`),
    /** The signing secret (`whsec_…`), AES-256-GCM encrypted with the server's key. */
    secretSealed: text('secret_sealed').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('webhook_endpoints_workspace_idx').on(t.workspaceId)],
);

/** Slack incoming webhooks: the workspace's (no study) or one study's; new bookings, cancellations and at-risk weeks are posted (integrations/slack.ts). */
export const slackWebhooks = pgTable(
  'slack_webhooks',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    studyId: uuid('study_id').references(() => studies.id, { onDelete: 'cascade' }),
    label: text('label').notNull().default(''),
    /** The incoming-webhook URL is itself the credential: AES-256-GCM encrypted with the server's key. */
    urlSealed: text('url_sealed').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('slack_webhooks_workspace_idx').on(t.workspaceId)],
);

export const webhookDeliveryStatuses = ['pending', 'sending', 'delivered', 'failed'] as const;

/**
 * One event for one endpoint, delivered in id order per endpoint; the row is also the delivery
 * log (attempts, the last answer's status and latency).
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The `webhook-id` header: one per event, the same for every attempt and replay. */
    messageId: text('message_id').notNull(),
    type: text('type', { enum: WEBHOOK_EVENT_TYPES }).notNull(),
    payload: jsonb('payload').$type<WebhookPayload>().notNull(),
    status: text('status', { enum: webhookDeliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    responseStatus: integer('response_status'),
    latencyMs: integer('latency_ms'),
    lastError: text('last_error'),
    firstFailedAt: instant('first_failed_at'),
    lastAttemptAt: instant('last_attempt_at'),
    deliveredAt: instant('delivered_at'),
    /**
     * Every attempt, oldest first, bounded to the last WEBHOOK_ATTEMPTS_KEPT: a jsonb array on the
     * row rather than a table, because attempts are only ever read with their delivery and die with
     * it, and the worker that holds the delivery is the only writer.
     */
    attemptLog: jsonb('attempt_log').$type<WebhookDeliveryAttempt[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.status, t.id)],
);

export const jobStatuses = ['pending', 'running', 'done', 'dead'] as const;

/**
 * Side effects (emails, calendar writes, incentives) are rows written in the same transaction
 * as the change that causes them, so a crash or an outage delays them and never loses them.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    /** Written and read only through jobs/queue.ts, which pairs each kind with its payload type (jobs/kinds.ts). */
    payload: jsonb('payload').$type<object>().notNull(),
    status: text('status', { enum: jobStatuses }).notNull().default('pending'),
    runAt: instant('run_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(8),
    lastError: text('last_error'),
    lockedAt: instant('locked_at'),
    lockedBy: text('locked_by'),
    /** Set for jobs that must exist at most once (e.g. one reminder per booking and time). */
    dedupeKey: text('dedupe_key').unique(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('jobs_due_idx').on(t.status, t.runAt)],
);

/**
 * The development outbox: with no SMTP server configured, every message is kept here and shown
 * at /dev/outbox, so a newcomer sees Beckon's emails without running a mail server.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    messageId: text('message_id').notNull().unique(),
    from: text('from').notNull(),
    to: text('to').array().notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    /** The iCalendar attachment, when the message carries one. */
    ics: text('ics'),
    createdAt: createdAt(),
  },
  (t) => [index('outbox_messages_created_idx').on(t.createdAt)],
);

// ---------------------------------------------------------------------------------------------
// Accounts: people who sign in (users), what they may do in each workspace (memberships), their
// sessions, sign-in links, invitations, single sign-on, and the audit log. The `members` table
// above stays what it was, the interviewer profiles (hours, calendars, bookings); a membership
// may point at the profile that is its person's own (member_id), which is what "own" means for
// an interviewer's permissions.

export const accountRoles = ['owner', 'admin', 'researcher', 'interviewer', 'viewer'] as const;

export const users = pgTable('users', {
  id: id(),
  /** Lowercased; one account per address across all workspaces. */
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  /** `scrypt$N$r$p$salt$hash`; null until the person sets one (links and single sign-on need none). */
  passwordHash: text('password_hash'),
  /** Consecutive failed password sign-ins; reset on success. */
  failedSignIns: integer('failed_sign_ins').notNull().default(0),
  lockedUntil: instant('locked_until'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const memberships = pgTable(
  'memberships',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    role: text('role', { enum: accountRoles }).notNull(),
    /** This person's interviewer profile in the workspace, if they interview. */
    memberId: uuid('member_id').references(() => members.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('memberships_user_workspace_uq').on(t.userId, t.workspaceId), index('memberships_workspace_idx').on(t.workspaceId)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    /** SHA-256 of the cookie's 256-bit token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The workspace the admin API acts on for this session; switched by the person. */
    workspaceId: uuid('workspace_id').references(() => workspaces.id, { onDelete: 'set null' }),
    /** How the session began: password, link, sso, invitation. */
    method: text('method').notNull(),
    expiresAt: instant('expires_at').notNull(),
    lastSeenAt: instant('last_seen_at').notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Single-use sign-in links (emailed, or printed by the CLI); only the token's SHA-256 is kept. */
export const signInTokens = pgTable(
  'sign_in_tokens',
  {
    id: id(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The workspace to open after signing in, when known. */
    workspaceId: uuid('workspace_id').references(() => workspaces.id, { onDelete: 'cascade' }),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('sign_in_tokens_user_created_idx').on(t.userId, t.createdAt)],
);

export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: accountRoles }).notNull(),
    memberId: uuid('member_id').references(() => members.id, { onDelete: 'set null' }),
    tokenHash: text('token_hash').notNull().unique(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: instant('expires_at').notNull(),
    acceptedAt: instant('accepted_at'),
    revokedAt: instant('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [index('invitations_workspace_idx').on(t.workspaceId)],
);

/** One OpenID Connect provider per workspace; the client secret is sealed with the server's key. */
export const ssoConnections = pgTable('sso_connections', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  issuerUrl: text('issuer_url').notNull(),
  clientId: text('client_id').notNull(),
  clientSecretSealed: text('client_secret_sealed').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  /** Verified email domains whose people join on first sign-in, when the owner allows it. */
  autoJoinDomains: text('auto_join_domains').array().notNull().default(sql`'{}'::text[]`),
  autoJoinRole: text('auto_join_role', { enum: accountRoles }).notNull().default('viewer'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Who changed what, when and from where. Rows are only ever inserted. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    at: instant('at').notNull().defaultNow(),
    actorType: text('actor_type', { enum: ['user', 'api_key', 'system'] }).notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    actorApiKeyId: uuid('actor_api_key_id').references(() => apiKeys.id, { onDelete: 'set null' }),
    ip: text('ip'),
    /** e.g. study.update, membership.remove, api_key.create. */
    action: text('action').notNull(),
    /** The route that did it, e.g. PATCH /v1/admin/studies/:id. */
    route: text('route'),
    targetId: text('target_id'),
    /** Field-level { field: { before, after } }; secrets and participants' contact details are never written. */
    changes: jsonb('changes').$type<AuditEntry['changes']>().notNull().default({}),
  },
  (t) => [index('audit_log_workspace_at_idx').on(t.workspaceId, t.at)],
);

/** What the demo workspace's people sign in with, sealed, so the start banner can show it again for this database. */
export const demoCredentials = pgTable('demo_credentials', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  sealed: text('sealed').notNull(),
  createdAt: createdAt(),
});

/**
 * Public routes' request counts per client, shared by every server process on this database.
 * Unlogged (see its migration): a crash may lose counts, which only reopens a window early.
 */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  resetsAt: instant('resets_at').notNull(),
});
