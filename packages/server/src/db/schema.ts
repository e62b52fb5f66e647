// Beckon's data model. Plain drizzle tables; migrations are generated from this file by
// drizzle-kit into ./migrations and committed. The booking exclusion constraint lives in a
// hand-written migration because drizzle-kit cannot express EXCLUDE constraints.
import { sql } from 'drizzle-orm';
import {
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
import { INTERCEPT_EVENT_KINDS } from '@beckon/shared/vocabulary';
import type { BookingCreated, Incentive, InterceptCopy, MeetingLocation, Screener, ScreenerAnswers, Theme, Traits } from '@beckon/shared/api';
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
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

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

export const calendarProviders = ['google', 'caldav', 'builtin'] as const;

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
    name: text('name').notNull(),
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
    screener: jsonb('screener').$type<Screener | null>(),
    assignmentMode: text('assignment_mode', { enum: assignmentModes }).notNull().default('round_robin'),
    bookingWindowDays: integer('booking_window_days').notNull().default(14),
    minimumNoticeMinutes: integer('minimum_notice_minutes').notNull().default(240),
    slotStepMinutes: integer('slot_step_minutes').notNull().default(15),
    meetingLocation: jsonb('meeting_location').$type<MeetingLocation>().notNull(),
    interviewGuide: text('interview_guide').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('studies_workspace_idx').on(t.workspaceId),
    check('studies_sampling_ck', sql`${t.samplingPercent} between 0 and 100`),
    check('studies_duration_ck', sql`${t.durationMinutes} between 5 and 240`),
  ],
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

export const participants = pgTable(
  'participants',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
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
  (t) => [index('intercept_events_study_kind_at_idx').on(t.studyId, t.kind, t.at)],
);

export const bookingStatuses = ['confirmed', 'cancelled', 'completed', 'no_show'] as const;

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
    cancelledAt: instant('cancelled_at'),
    cancelledBy: text('cancelled_by', { enum: ['participant', 'host'] }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('bookings_study_starts_idx').on(t.studyId, t.startsAt),
    index('bookings_host_starts_idx').on(t.hostId, t.startsAt),
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
    createdAt: createdAt(),
  },
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
