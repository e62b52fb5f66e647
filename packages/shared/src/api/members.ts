import { Type, type Static } from '@sinclair/typebox';
import { AvailabilityRulesSchema } from '../schedule/schemas.js';
import { Email, Instant, TimeZone, Uuid } from './common.js';

export const MemberRole = Type.Union([Type.Literal('interviewer'), Type.Literal('pm'), Type.Literal('admin')]);

const memberFields = {
  email: Email,
  name: Type.String({ minLength: 1, maxLength: 120 }),
  role: MemberRole,
  timeZone: TimeZone,
  active: Type.Boolean(),
};

export const MemberCreate = Type.Object(
  { ...memberFields, role: Type.Optional(MemberRole), active: Type.Optional(Type.Boolean()) },
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
