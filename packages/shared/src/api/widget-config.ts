import { Type, type Static } from '@sinclair/typebox';
import { RuleRef, TriggersSchema } from '../rules/schemas.js';
import { Nullable, Uuid } from './common.js';
import { CONTACT_RULE_NAMES } from '../vocabulary.js';
import { Incentive, InterceptCopy, Screener } from './studies.js';

/** An identified visitor, so the contact rules apply: what identify() was given, signed when the workspace verifies identity. */
export const WidgetConfigQuery = Type.Object(
  {
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    anonymousId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    signature: Type.Optional(Type.String({ maxLength: 256 })),
    traits: Type.Optional(Type.String({ maxLength: 8000, description: "identify()'s traits as JSON (what the signature covers)" })),
  },
  { additionalProperties: false },
);
export type WidgetConfigQuery = Static<typeof WidgetConfigQuery>;

export const PublicKeyParams = Type.Object({ publicKey: Type.String({ pattern: '^pk_[A-Za-z0-9_-]{8,64}$' }) });

/** What the loader needs to decide, on the page, whether to show a study. */
export const WidgetStudy = Type.Object({
  id: Uuid,
  /** The participant-facing title (never the team's internal name), e.g. for the participant's calendar entry. */
  name: Type.String(),
  slug: Type.String(),
  priority: Type.Integer(),
  intercept: InterceptCopy,
  incentive: Nullable(Incentive),
  durationMinutes: Type.Integer(),
  targeting: Nullable(RuleRef),
  triggers: TriggersSchema,
  samplingPercent: Type.Integer(),
  recontactDays: Nullable(Type.Integer()),
  screener: Nullable(Screener),
  /** Whether a slot can be booked right now; a study without capacity is never shown. */
  bookable: Type.Boolean(),
  /** A text to accept before booking (sent back as the booking's acceptedConsent); absent: none. */
  consent: Type.Optional(Type.Object({ id: Uuid, version: Type.Integer(), kind: Type.Union([Type.Literal('consent'), Type.Literal('nda')]), title: Type.String(), body: Type.String() })),
});

export const WidgetConfig = Type.Object({
  workspace: Type.Object({
    recontactDays: Type.Integer(),
    identityVerificationRequired: Type.Boolean(),
    privacyUrl: Nullable(Type.String()),
    locale: Type.String(),
    theme: Type.Record(Type.String(), Type.String()),
  }),
  studies: Type.Array(WidgetStudy),
  /** For an identified visitor (`?userId=`): the studies the contact rules hold back, left out of `studies`. */
  visitor: Type.Optional(
    Type.Object({
      personId: Uuid,
      blocked: Type.Array(Type.Object({ studyId: Uuid, rule: Type.Union(CONTACT_RULE_NAMES.map((name) => Type.Literal(name))) })),
    }),
  ),
});
export type WidgetConfig = Static<typeof WidgetConfig>;
