import { Type, type Static } from '@sinclair/typebox';
import { Email, Instant, Nullable, TimeZone, Uuid } from './common.js';
import { FUNNEL_STEPS } from '../vocabulary.js';

export const StudyPathParams = Type.Object({
  publicKey: Type.String({ pattern: '^pk_[A-Za-z0-9_-]{8,64}$' }),
  studyId: Uuid,
});

export const SlotsQuery = Type.Object({
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
  tz: TimeZone,
});
export type SlotsQuery = Static<typeof SlotsQuery>;

export const Slot = Type.Object({ start: Instant, end: Instant });
export type Slot = Static<typeof Slot>;

export const UnavailableReason = Type.Union(
  [
    Type.Literal('study_not_live'),
    Type.Literal('total_quota_reached'),
    Type.Literal('weekly_quota_reached'),
    Type.Literal('no_hosts'),
    Type.Literal('no_free_time'),
    Type.Literal('calendars_unavailable'),
    Type.Literal('study_misconfigured'),
  ],
  { description: 'Why no slot is offered' },
);
export type UnavailableReason = Static<typeof UnavailableReason>;

export const SlotsResponse = Type.Object({
  slots: Type.Array(Slot),
  timeZone: TimeZone,
  /** The same slots grouped by local date in `timeZone`, for pickers. */
  days: Type.Array(Type.Object({ date: Type.String({ format: 'date' }), slots: Type.Array(Slot) })),
  unavailableReason: Type.Optional(UnavailableReason),
  /** Hosts not offered because their calendar could not be read (fail closed), and why. */
  hostsLeftOut: Type.Optional(Type.Array(Type.Object({ hostId: Uuid, reason: Type.String() }))),
});
export type SlotsResponse = Static<typeof SlotsResponse>;

const AnswerValue = Type.Union([Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 })]);
/** Screener answers by question id: an option id, option ids, or text. */
export const ScreenerAnswers = Type.Record(Type.String({ maxLength: 64 }), AnswerValue, { maxProperties: 20 });
export type ScreenerAnswers = Static<typeof ScreenerAnswers>;
/** What the product says about a user (identify's traits). */
export const Traits = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 50 });
export type Traits = Static<typeof Traits>;

/** Where a booking came from: "widget", or the `ref` of a hosted booking link (`/b/{slug}?ref=sales`). */
export const SourceRef = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Where the booking came from: "widget", or the `ref` of a hosted booking link' });

export const BookingRequest = Type.Object(
  {
    start: Instant,
    participant: Type.Object(
      {
        email: Email,
        name: Type.String({ minLength: 1, maxLength: 120 }),
        timeZone: TimeZone,
        userId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
        traits: Type.Optional(Traits),
        /** HMAC-SHA256 of userId with the workspace's identity secret, hex; required when the workspace verifies identity. */
        signature: Type.Optional(Type.String({ maxLength: 128 })),
      },
      { additionalProperties: false },
    ),
    consent: Type.Literal(true, { description: 'The participant agreed to be contacted about this interview' }),
    /** Screener answers by question id: an option id, option ids, or text. */
    answers: Type.Optional(ScreenerAnswers),
    source: Type.Optional(SourceRef),
    /** When the study asks for a consent or NDA text: the text and version the participant accepted. */
    acceptedConsent: Type.Optional(Type.Object({ consentTextId: Uuid, version: Type.Integer({ minimum: 1, maximum: 100_000 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type BookingRequest = Static<typeof BookingRequest>;

export const BookingStatus = Type.Union([Type.Literal('confirmed'), Type.Literal('cancelled'), Type.Literal('completed'), Type.Literal('no_show')]);

export const BookingCreated = Type.Object({
  booking: Type.Object({
    id: Uuid,
    start: Instant,
    end: Instant,
    status: BookingStatus,
    manageUrl: Type.String(),
    meetingUrl: Type.Optional(Type.String()),
    /** The UID of the emailed invite, so a calendar file made in the browser updates the same event. */
    icalUid: Type.String(),
  }),
});
export type BookingCreated = Static<typeof BookingCreated>;

export const SlotTakenBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }),
  alternatives: Type.Array(Slot),
});

export const ManageParams = Type.Object({ manageToken: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }) });

/** What the participant sees through their manage link. */
export const ParticipantBooking = Type.Object({
  booking: Type.Object({
    id: Uuid,
    start: Instant,
    end: Instant,
    status: BookingStatus,
    timeZone: TimeZone,
    study: Type.Object({ name: Type.String({ description: 'The participant-facing title, never the internal name' }), durationMinutes: Type.Integer(), slug: Type.String() }),
    hostName: Type.String(),
    meetingUrl: Nullable(Type.String()),
    manageUrl: Type.String(),
    canChange: Type.Boolean({ description: 'Whether the booking can still be rescheduled or cancelled' }),
  }),
});
export type ParticipantBooking = Static<typeof ParticipantBooking>;

export const RescheduleRequest = Type.Object({ start: Instant }, { additionalProperties: false });

export const AdminBooking = Type.Object({
  id: Uuid,
  studyId: Uuid,
  hostId: Uuid,
  coHostIds: Type.Array(Uuid),
  start: Instant,
  end: Instant,
  status: BookingStatus,
  participant: Type.Object({ name: Nullable(Type.String()), email: Nullable(Type.String()), timeZone: TimeZone }),
  source: Type.String(),
  answers: ScreenerAnswers,
  createdAt: Instant,
});
export type AdminBooking = Static<typeof AdminBooking>;

/** The team moves a booking to another interviewer (a host of its study), another time, or both. */
export const AdminBookingMove = Type.Object(
  {
    hostId: Type.Optional(Uuid),
    start: Type.Optional(Instant),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type AdminBookingMove = Static<typeof AdminBookingMove>;

export const AdminBookingsQuery = Type.Object({ studyId: Type.Optional(Uuid), from: Type.Optional(Instant), to: Type.Optional(Instant) });
export const AdminBookingList = Type.Object({ bookings: Type.Array(AdminBooking) });
export const AdminBookingParams = Type.Object({ id: Uuid });

export type { FunnelStepName } from '../vocabulary.js';
export const FunnelStep = Type.Union(FUNNEL_STEPS.map((step) => Type.Literal(step)));
export const FunnelQuery = Type.Object({ from: Type.Optional(Instant), to: Type.Optional(Instant) });
export const Funnel = Type.Object({
  studyId: Uuid,
  from: Nullable(Instant),
  to: Nullable(Instant),
  steps: Type.Array(Type.Object({ step: FunnelStep, count: Type.Integer() })),
  /** Bookings by source: "widget" or a hosted link's ref. */
  sources: Type.Array(Type.Object({ source: Type.String(), count: Type.Integer() })),
});
export type Funnel = Static<typeof Funnel>;
