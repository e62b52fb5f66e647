// Signed webhooks (Standard Webhooks): what Beckon sends, and the admin API for endpoints and
// their delivery log. Every payload is `{ type, timestamp, data }`; the body is signed with the
// endpoint's secret (`whsec_…`) in the `webhook-id`, `webhook-timestamp` and `webhook-signature`
// headers, so any Standard Webhooks library verifies it.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../vocabulary.js';
import { BookingStatus } from './bookings.js';
import { Instant, Nullable, PublicUrl, TimeZone, Uuid } from './common.js';
import { IncentiveStatus } from './incentives.js';
import { Incentive } from './studies.js';

export { WEBHOOK_EVENT_TYPES, type WebhookEventType };
export const WebhookEventTypeSchema = Type.Union(WEBHOOK_EVENT_TYPES.map((type) => Type.Literal(type)));

const WebhookParticipant = Type.Object({
  id: Uuid,
  /** The product's user id, when the widget identified them. */
  userId: Nullable(Type.String()),
  email: Nullable(Type.String()),
  name: Nullable(Type.String()),
});

export const WebhookBooking = Type.Object({
  id: Uuid,
  status: BookingStatus,
  start: Instant,
  end: Instant,
  /** The participant's zone. */
  timeZone: TimeZone,
  study: Type.Object({ id: Uuid, name: Type.String() }),
  host: Type.Object({ id: Uuid, name: Type.String(), email: Type.String() }),
  participant: WebhookParticipant,
  /** Where it came from: widget, or the booking link's `ref`. */
  source: Type.String(),
  meetingUrl: Nullable(Type.String()),
});
export type WebhookBooking = Static<typeof WebhookBooking>;

export const WebhookIncentive = Type.Object({
  id: Uuid,
  bookingId: Uuid,
  study: Type.Object({ id: Uuid, name: Type.String() }),
  participant: WebhookParticipant,
  kind: Incentive.properties.kind,
  amountCents: Nullable(Type.Integer()),
  currency: Nullable(Type.String()),
  description: Type.String(),
  status: IncentiveStatus,
  sentAt: Nullable(Instant),
});
export type WebhookIncentive = Static<typeof WebhookIncentive>;

export const WebhookWeekAtRisk = Type.Object({
  /** The study behind the alert, or null for the workspace's own target. */
  studyId: Nullable(Uuid),
  weekStart: Instant,
  target: Type.Integer(),
  booked: Type.Integer(),
  forecast: Type.Number(),
  reason: Type.String(),
  fix: Nullable(Type.String()),
});
export type WebhookWeekAtRisk = Static<typeof WebhookWeekAtRisk>;

/** What `data` holds for each event type. */
export const WEBHOOK_DATA = {
  'booking.created': Type.Object({ booking: WebhookBooking }),
  'booking.rescheduled': Type.Object({ booking: WebhookBooking, previousStart: Instant }),
  'booking.cancelled': Type.Object({ booking: WebhookBooking, cancelledBy: Type.Union([Type.Literal('participant'), Type.Literal('host')]) }),
  'booking.attended': Type.Object({ booking: WebhookBooking }),
  'booking.no_show': Type.Object({ booking: WebhookBooking }),
  'incentive.owed': Type.Object({ incentive: WebhookIncentive }),
  'incentive.sent': Type.Object({ incentive: WebhookIncentive }),
  'participant.opted_out': Type.Object({ participant: Type.Object({ userId: Type.String(), optedOutAt: Instant }) }),
  'week.at_risk': Type.Object({ week: WebhookWeekAtRisk }),
} satisfies Record<WebhookEventType, TSchema>;

export type WebhookData<T extends WebhookEventType> = Static<(typeof WEBHOOK_DATA)[T]>;

/** The body of one webhook of type T. */
export const webhookPayloadSchema = <T extends WebhookEventType>(type: T) =>
  Type.Object({ type: Type.Literal(type), timestamp: Instant, data: WEBHOOK_DATA[type] }, { title: `Webhook ${type}` });

export type WebhookPayload = { [T in WebhookEventType]: { type: T; timestamp: string; data: WebhookData<T> } }[WebhookEventType];

// --- the admin API -----------------------------------------------------------------------------

const EventFilter = Type.Array(WebhookEventTypeSchema, {
  uniqueItems: true,
  maxItems: WEBHOOK_EVENT_TYPES.length,
  description: 'The events this endpoint receives; empty: every event',
});

export const WebhookEndpoint = Type.Object({
  id: Uuid,
  url: Type.String(),
  description: Type.String(),
  events: EventFilter,
  enabled: Type.Boolean(),
  /** Why it was turned off: by a person, or by Beckon after a day of failed deliveries. */
  disabledReason: Nullable(Type.String()),
  createdAt: Instant,
});
export type WebhookEndpoint = Static<typeof WebhookEndpoint>;

export const WebhookEndpointCreate = Type.Object(
  {
    url: PublicUrl,
    description: Type.Optional(Type.String({ maxLength: 200 })),
    events: Type.Optional(EventFilter),
  },
  { additionalProperties: false },
);
export type WebhookEndpointCreate = Static<typeof WebhookEndpointCreate>;

export const WebhookEndpointUpdate = Type.Object(
  {
    url: Type.Optional(PublicUrl),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    events: Type.Optional(EventFilter),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type WebhookEndpointUpdate = Static<typeof WebhookEndpointUpdate>;

/** Answered once, when the endpoint is created: the signing secret is never shown again. */
export const WebhookEndpointCreated = Type.Composite([WebhookEndpoint, Type.Object({ secret: Type.String({ description: 'whsec_…: verify signatures with it' }) })]);
export type WebhookEndpointCreated = Static<typeof WebhookEndpointCreated>;

export const WebhookEndpointList = Type.Object({ endpoints: Type.Array(WebhookEndpoint) });
export const WebhookEndpointParams = Type.Object({ id: Uuid });
export const WebhookDeliveryParams = Type.Object({ id: Uuid, deliveryId: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) });

export const WebhookDeliveryStatus = Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')], {
  description: 'pending: waiting or retrying; delivered: answered 2xx; failed: given up (the endpoint was disabled)',
});

/** How many attempts a delivery's log keeps; older ones are dropped (`attempts` still counts them all). */
export const WEBHOOK_ATTEMPTS_KEPT = 20;

/** One try at delivering: when, what came back (a status code, or why there was no answer), how long it took, and when the next try is due. */
export const WebhookDeliveryAttempt = Type.Object({
  at: Instant,
  /** The receiver's HTTP status; null when it did not answer. */
  responseStatus: Nullable(Type.Integer()),
  /** Why it counts as failed ("answered 503", "could not connect"…); null when delivered. */
  error: Nullable(Type.String()),
  latencyMs: Type.Integer(),
  /** When the delivery is tried again after this failure; null when delivered or given up. */
  nextRetryAt: Nullable(Instant),
});
export type WebhookDeliveryAttempt = Static<typeof WebhookDeliveryAttempt>;

export const WebhookDelivery = Type.Object({
  id: Type.Integer(),
  /** The `webhook-id`: the same for every attempt and replay of one event. */
  messageId: Type.String(),
  type: WebhookEventTypeSchema,
  status: WebhookDeliveryStatus,
  attempts: Type.Integer(),
  /** The last attempt's HTTP status, null when none answered. */
  responseStatus: Nullable(Type.Integer()),
  latencyMs: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  createdAt: Instant,
  lastAttemptAt: Nullable(Instant),
  deliveredAt: Nullable(Instant),
  /** Every attempt, oldest first (the last WEBHOOK_ATTEMPTS_KEPT). */
  attemptLog: Type.Array(WebhookDeliveryAttempt, { maxItems: WEBHOOK_ATTEMPTS_KEPT }),
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const WebhookDeliveryList = Type.Object({ deliveries: Type.Array(WebhookDelivery) });
export const WebhookDeliveriesQuery = Type.Object({
  status: Type.Optional(WebhookDeliveryStatus),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

// --- Slack -------------------------------------------------------------------------------------

/** A Slack incoming webhook: the workspace's (studyId null) or one study's. Its URL is a credential, so only its end is shown. */
export const SlackWebhook = Type.Object({
  id: Uuid,
  studyId: Nullable(Uuid),
  label: Type.String(),
  /** The URL's last characters, to tell two apart. */
  urlEnd: Type.String(),
  createdAt: Instant,
});
export type SlackWebhook = Static<typeof SlackWebhook>;

export const SlackWebhookCreate = Type.Object(
  {
    url: PublicUrl,
    /** Only this study's bookings; omitted: every study's, and the workspace's at-risk weeks. */
    studyId: Type.Optional(Uuid),
    label: Type.Optional(Type.String({ maxLength: 80, description: 'e.g. the channel it posts to' })),
  },
  { additionalProperties: false },
);
export type SlackWebhookCreate = Static<typeof SlackWebhookCreate>;
export const SlackWebhookList = Type.Object({ slackWebhooks: Type.Array(SlackWebhook) });
