import { Type, type Static } from '@sinclair/typebox';
import { RuleRef, TriggersSchema } from '../rules/schemas.js';
import { SLOT_STEP_CHOICES } from '../schedule/free-slots.js';
import { Instant, Nullable, Uuid } from './common.js';

export const StudyStatus = Type.Union([Type.Literal('draft'), Type.Literal('live'), Type.Literal('paused'), Type.Literal('ended')]);
export const AssignmentMode = Type.Union([Type.Literal('round_robin'), Type.Literal('all_hosts')], {
  description: 'round_robin: one host per interview, rotated; all_hosts: every host attends (their shared free time)',
});

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });

export const InterceptCopy = Type.Object(
  {
    title: Text(120),
    body: Text(600),
    acceptLabel: Type.Optional(Text(40)),
    declineLabel: Type.Optional(Text(40)),
  },
  { additionalProperties: false },
);
export type InterceptCopy = Static<typeof InterceptCopy>;

export const Incentive = Type.Object(
  {
    kind: Type.Union([Type.Literal('gift_card'), Type.Literal('account_credit'), Type.Literal('early_access'), Type.Literal('donation'), Type.Literal('other')]),
    amountCents: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_00 })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    description: Text(200),
    /** manual: the team hands it over (a code, a link, or another way); tremendous: Beckon orders it when the interview is marked done. */
    payout: Type.Optional(Type.Union([Type.Literal('manual'), Type.Literal('tremendous')])),
    /** The most this study may owe in incentives, in all (cents of `currency`); a booking that would owe more is refused. */
    budgetCents: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100_000_000_00 }))),
    /** The same per week (the workspace's weeks, by interview start). */
    weeklyBudgetCents: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100_000_000_00 }))),
  },
  { additionalProperties: false },
);
export type Incentive = Static<typeof Incentive>;

export const ScreenerOption = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    label: Text(200),
    /** qualify: choosing it is required to pass (any one such option); disqualify: choosing it screens out. */
    effect: Type.Optional(Type.Union([Type.Literal('qualify'), Type.Literal('disqualify'), Type.Literal('neutral')])),
  },
  { additionalProperties: false },
);

export const ScreenerQuestion = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    kind: Type.Union([Type.Literal('single'), Type.Literal('multiple'), Type.Literal('text')]),
    prompt: Text(300),
    required: Type.Optional(Type.Boolean()),
    options: Type.Optional(Type.Array(ScreenerOption, { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const Screener = Type.Object({ questions: Type.Array(ScreenerQuestion, { maxItems: 10 }) }, { additionalProperties: false });
export type Screener = Static<typeof Screener>;

export const MeetingLocation = Type.Object(
  {
    kind: Type.Union([Type.Literal('google_meet'), Type.Literal('microsoft_teams'), Type.Literal('zoom'), Type.Literal('video_url'), Type.Literal('phone'), Type.Literal('in_person')]),
    /** The video link (https: see isPublicUrl), phone instructions or address, when the kind needs one. */
    details: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type MeetingLocation = Static<typeof MeetingLocation>;

const Minutes = (minimum: number, maximum: number) => Type.Integer({ minimum, maximum });
const Quota = Nullable(Type.Integer({ minimum: 1, maximum: 10_000 }));

/** Fields a PM sets; every one optional on PATCH. */
const studyFields = {
  name: Type.String({ minLength: 1, maxLength: 120, description: "The team's own name; never shown to participants" }),
  slug: Type.String({ pattern: '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$', description: 'Public booking link: /b/{slug}' }),
  publicTitle: Nullable(Type.String({ minLength: 1, maxLength: 120, description: 'The title participants read on pages, emails and invites; null: "A 20-minute conversation with {company}"' })),
  publicDescription: Nullable(Type.String({ minLength: 1, maxLength: 600, description: 'What participants read the conversation is about; null: the intercept\'s body' })),
  status: StudyStatus,
  priority: Type.Integer({ minimum: -1000, maximum: 1000, description: 'Higher wins when several studies match one page view' }),
  intercept: InterceptCopy,
  incentive: Nullable(Incentive),
  durationMinutes: Minutes(5, 240),
  targeting: Nullable(RuleRef),
  triggers: TriggersSchema,
  samplingPercent: Type.Integer({ minimum: 0, maximum: 100 }),
  recontactDays: Nullable(Type.Integer({ minimum: 0, maximum: 3650 })),
  totalQuota: Quota,
  weeklyQuota: Quota,
  weeklyTarget: Nullable(Type.Integer({ minimum: 1, maximum: 50, description: 'Interviews booked per week wanted, in the workspace\'s weeks; null: no target' })),
  screener: Nullable(Screener),
  hostIds: Type.Array(Uuid, { minItems: 1, maxItems: 50, uniqueItems: true }),
  observerIds: Type.Array(Uuid, { maxItems: 50, uniqueItems: true }),
  assignmentMode: AssignmentMode,
  bookingWindowDays: Type.Integer({ minimum: 1, maximum: 365 }),
  minimumNoticeMinutes: Minutes(0, 60 * 24 * 30),
  slotStepMinutes: Type.Unsafe<number>({ type: 'integer', enum: [...SLOT_STEP_CHOICES], description: 'Minutes between slot starts; divides a day, so every local day has the same grid' }),
  meetingLocation: MeetingLocation,
  interviewGuide: Type.String({ maxLength: 20_000 }),
  consentTextId: Nullable(Type.String({ format: 'uuid', description: 'A consent or NDA text (see /v1/admin/consent-texts) the participant must accept before booking; null: none' })),
};

export const StudyCreate = Type.Object(
  {
    ...studyFields,
    slug: Type.Optional(studyFields.slug),
    publicTitle: Type.Optional(studyFields.publicTitle),
    publicDescription: Type.Optional(studyFields.publicDescription),
    status: Type.Optional(studyFields.status),
    priority: Type.Optional(studyFields.priority),
    incentive: Type.Optional(studyFields.incentive),
    durationMinutes: Type.Optional(studyFields.durationMinutes),
    targeting: Type.Optional(studyFields.targeting),
    triggers: Type.Optional(studyFields.triggers),
    samplingPercent: Type.Optional(studyFields.samplingPercent),
    recontactDays: Type.Optional(studyFields.recontactDays),
    totalQuota: Type.Optional(studyFields.totalQuota),
    weeklyQuota: Type.Optional(studyFields.weeklyQuota),
    weeklyTarget: Type.Optional(studyFields.weeklyTarget),
    screener: Type.Optional(studyFields.screener),
    observerIds: Type.Optional(studyFields.observerIds),
    assignmentMode: Type.Optional(studyFields.assignmentMode),
    bookingWindowDays: Type.Optional(studyFields.bookingWindowDays),
    minimumNoticeMinutes: Type.Optional(studyFields.minimumNoticeMinutes),
    slotStepMinutes: Type.Optional(studyFields.slotStepMinutes),
    meetingLocation: Type.Optional(studyFields.meetingLocation),
    interviewGuide: Type.Optional(studyFields.interviewGuide),
    consentTextId: Type.Optional(studyFields.consentTextId),
  },
  { additionalProperties: false },
);
export type StudyCreate = Static<typeof StudyCreate>;

export const StudyUpdate = Type.Partial(Type.Object(studyFields), { additionalProperties: false, minProperties: 1 });
export type StudyUpdate = Static<typeof StudyUpdate>;

export const Study = Type.Object(
  {
    id: Uuid,
    ...studyFields,
    // Always sent; optional in the type only until the admin app's fixtures carry it.
    consentTextId: Type.Optional(studyFields.consentTextId),
    bookingUrl: Type.String(),
    /** Why this study cannot offer slots as saved (it is left out of the widget and its link until fixed); null when it can. */
    problem: Nullable(Type.String()),
    /** What saving it should warn about without refusing it, e.g. a host whose participants would get no way to join. */
    warnings: Type.Optional(Type.Array(Type.Object({ code: Type.String(), message: Type.String(), hostId: Type.Optional(Uuid) }))),
    createdAt: Instant,
    updatedAt: Instant,
  },
  {},
);
export type Study = Static<typeof Study>;

export const StudyParams = Type.Object({ id: Uuid });
export const StudyList = Type.Object({ studies: Type.Array(Study) });

/** The study editor's copy (saved or not), to preview its invitation in the real widget before participants see it. */
export const StudyPreviewRequest = Type.Object(
  {
    /** The saved study this copy edits (its quotas and bookings count towards the free times shown); absent for a study not created yet. */
    studyId: Type.Optional(Uuid),
    study: StudyCreate,
  },
  { additionalProperties: false },
);
export type StudyPreviewRequest = Static<typeof StudyPreviewRequest>;

export const StudyPreview = Type.Object({
  /** A page of this server that runs the widget with the copy, for a sandboxed frame; it records, counts and books nothing. Its path is the credential. */
  frameUrl: Type.String(),
  /** The id the widget knows the study by in the preview (the saved study's, or one for this preview). */
  studyId: Uuid,
  expiresAt: Instant,
});
export type StudyPreview = Static<typeof StudyPreview>;
