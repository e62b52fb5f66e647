import { Type, type Static } from '@sinclair/typebox';
import { Instant, Uuid } from './common.js';

/** `eligible`: the user matched the study's rules on a page view (sent once per session), shown or not. */
export const InterceptEventKind = Type.Union([
  Type.Literal('eligible'),
  Type.Literal('shown'),
  Type.Literal('dismissed'),
  Type.Literal('snoozed'),
  Type.Literal('opted_out'),
  Type.Literal('opted_in'),
  Type.Literal('screened_out'),
]);
export type InterceptEventKind = Static<typeof InterceptEventKind>;

const Id = Type.String({ minLength: 1, maxLength: 128 });

export const InterceptEvent = Type.Object(
  {
    studyId: Uuid,
    kind: InterceptEventKind,
    at: Instant,
    anonymousId: Id,
    userId: Type.Optional(Id),
    url: Type.Optional(Type.String({ maxLength: 2048 })),
    /** HMAC of userId (and traits) by the product's backend; required when the workspace verifies identity. */
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

export const EventBatchAccepted = Type.Object({ accepted: Type.Integer() });
