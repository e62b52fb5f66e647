import { Type, type Static } from '@sinclair/typebox';
import { AvailabilityRulesSchema } from '../schedule/schemas.js';
import { Email, Instant, Nullable, TimeZone, Uuid } from './common.js';

export const MemberRole = Type.Union([Type.Literal('interviewer'), Type.Literal('pm'), Type.Literal('admin')]);

/**
 * How participants join this host's interviews when the study's own way gives none (a Google
 * Meet or Teams study and no Google or Microsoft calendar connected): a personal meeting link
 * (https), a phone number or an address.
 */
export const JoinFallback = Type.Object(
  {
    kind: Type.Union([Type.Literal('video_url'), Type.Literal('phone'), Type.Literal('in_person')]),
    details: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type JoinFallback = Static<typeof JoinFallback>;

const memberFields = {
  email: Email,
  name: Type.String({ minLength: 1, maxLength: 120 }),
  role: MemberRole,
  timeZone: TimeZone,
  active: Type.Boolean(),
  joinFallback: Nullable(JoinFallback),
};

export const MemberCreate = Type.Object(
  { ...memberFields, role: Type.Optional(MemberRole), active: Type.Optional(Type.Boolean()), joinFallback: Type.Optional(memberFields.joinFallback) },
  { additionalProperties: false },
);
export type MemberCreate = Static<typeof MemberCreate>;

export const MemberUpdate = Type.Partial(Type.Object(memberFields), { additionalProperties: false, minProperties: 1 });
export type MemberUpdate = Static<typeof MemberUpdate>;

export const Member = Type.Object({ id: Uuid, ...memberFields, createdAt: Instant });
export type Member = Static<typeof Member>;
export const MemberList = Type.Object({ members: Type.Array(Member) });
export const MemberParams = Type.Object({ id: Uuid });

/**
 * A member's bookable time (weekly hours and date overrides in their own zone, buffers, notice,
 * window, caps): the schedule module's rules, with the zone checked as an IANA name.
 */
export const Availability = Type.Object(
  { ...AvailabilityRulesSchema.properties, timeZone: TimeZone },
  { additionalProperties: false, description: AvailabilityRulesSchema.description },
);
export type Availability = Static<typeof Availability>;
