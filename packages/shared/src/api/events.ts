import { Type, type Static } from '@sinclair/typebox';
import { Instant, Uuid } from './common.js';
import { Traits } from './bookings.js';
import { CONTACT_RULE_NAMES, INTERCEPT_EVENT_KINDS, type InterceptEventKind as Kind } from '../vocabulary.js';

export type { UIEventKind } from '../vocabulary.js';
export const InterceptEventKind = Type.Union(INTERCEPT_EVENT_KINDS.map((kind) => Type.Literal(kind)));
export type InterceptEventKind = Kind;

const Id = Type.String({ minLength: 1, maxLength: 128 });

export const InterceptEvent = Type.Object(
  {
    studyId: Uuid,
    kind: InterceptEventKind,
    at: Instant,
    anonymousId: Id,
    userId: Type.Optional(Id),
    url: Type.Optional(Type.String({ maxLength: 2048 })),
    /** The traits the signature covers (identify's traits); checked, not stored. */
    traits: Type.Optional(Traits),
    /** HMAC of userId and traits by the product's backend; required with a userId when the workspace verifies identity. */
    signature: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);
export type InterceptEvent = Static<typeof InterceptEvent>;

export const EventBatch = Type.Object(
  { events: Type.Array(InterceptEvent, { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
);
export type EventBatch = Static<typeof EventBatch>;

export const ContactRefusal = Type.Object({
  studyId: Uuid,
  kind: InterceptEventKind,
  rule: Type.Union(CONTACT_RULE_NAMES.map((name) => Type.Literal(name)), { description: 'The contact rule this event went against' }),
});
export type ContactRefusal = Static<typeof ContactRefusal>;

export const EventBatchAccepted = Type.Object({
  accepted: Type.Integer(),
  /** Shown or opted-in events the contact rules forbid (recorded all the same): the widget should not go on. */
  refused: Type.Optional(Type.Array(ContactRefusal)),
});
