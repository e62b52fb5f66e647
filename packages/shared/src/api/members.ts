import { Type, type Static } from '@sinclair/typebox';
import { Email, Instant, Nullable, TimeZone, Uuid } from './common.js';

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

const LocalTime = Type.String({ pattern: '^(?:[01]\\d|2[0-3]):[0-5]\\d$|^24:00$', description: 'HH:MM in the member\'s zone' });
export const LocalInterval = Type.Object({ start: LocalTime, end: LocalTime }, { additionalProperties: false });

/** A member's bookable time: weekly hours and date overrides in their own zone, plus limits. */
export const Availability = Type.Object(
  {
    timeZone: TimeZone,
    weekly: Type.Array(
      Type.Object(
        { weekday: Type.Integer({ minimum: 1, maximum: 7, description: 'ISO weekday, 1 = Monday' }), start: LocalTime, end: LocalTime },
        { additionalProperties: false },
      ),
      { maxItems: 70 },
    ),
    overrides: Type.Array(
      Type.Object(
        {
          date: Type.String({ format: 'date', description: 'Local date YYYY-MM-DD' }),
          intervals: Type.Array(LocalInterval, { maxItems: 10, description: 'Empty: a day off' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 366 },
    ),
    bufferBeforeMinutes: Type.Integer({ minimum: 0, maximum: 240 }),
    bufferAfterMinutes: Type.Integer({ minimum: 0, maximum: 240 }),
    minimumNoticeMinutes: Type.Integer({ minimum: 0, maximum: 60 * 24 * 30 }),
    bookingWindowDays: Type.Integer({ minimum: 1, maximum: 365 }),
    maxPerDay: Nullable(Type.Integer({ minimum: 1, maximum: 50 })),
    maxPerWeek: Nullable(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type Availability = Static<typeof Availability>;
