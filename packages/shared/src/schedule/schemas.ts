import { Type } from '@sinclair/typebox';
import type { IsoWeekday } from './types.js';

// Shape only; validateAvailabilityRules checks what a JSON schema cannot (real zone, real date,
// end after start).

const CLOCK_START = '^(?:[01][0-9]|2[0-3]):[0-5][0-9]$';
const CLOCK_END = '^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';
const MINUTES_IN_A_WEEK = 7 * 24 * 60;

export const ClockIntervalSchema = Type.Object(
  {
    start: Type.String({ pattern: CLOCK_START, description: "Local time 'HH:MM'" }),
    end: Type.String({ pattern: CLOCK_END, description: "Local time 'HH:MM', or '24:00' for the end of the day" }),
  },
  { additionalProperties: false },
);

export const WeeklyHoursSchema = Type.Object(
  {
    weekday: Type.Unsafe<IsoWeekday>(Type.Integer({ minimum: 1, maximum: 7, description: 'ISO weekday, Monday = 1' })),
    ...ClockIntervalSchema.properties,
  },
  { additionalProperties: false },
);

export const DateOverrideSchema = Type.Object(
  {
    date: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: "Local date 'YYYY-MM-DD'" }),
    intervals: Type.Array(ClockIntervalSchema, { maxItems: 48, description: 'Replaces the weekly hours; empty = day off' }),
  },
  { additionalProperties: false },
);

const minutes = (description: string) =>
  Type.Integer({ minimum: 0, maximum: MINUTES_IN_A_WEEK, description });
const optionalCap = (description: string) =>
  Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 1000 }), Type.Null()], { description }));

/** Body of `PUT /v1/admin/members/{id}/availability`. */
export const AvailabilityRulesSchema = Type.Object(
  {
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' }),
    weekly: Type.Array(WeeklyHoursSchema, { maxItems: 7 * 48 }),
    overrides: Type.Array(DateOverrideSchema, { maxItems: 1000 }),
    bufferBeforeMinutes: minutes('Kept free before each interview'),
    bufferAfterMinutes: minutes('Kept free after each interview'),
    minimumNoticeMinutes: Type.Integer({ minimum: 0, maximum: 60 * 24 * 366, description: 'Slots start no earlier than now + this' }),
    bookingWindowDays: Type.Integer({ minimum: 0, maximum: 366, description: 'Bookable local days, today included' }),
    maxPerDay: optionalCap('Interviews per local day; null = no cap'),
    maxPerWeek: optionalCap('Interviews per ISO week; null = no cap'),
  },
  { additionalProperties: false },
);

export const HostAvailabilitySchema = Type.Object(
  { hostId: Type.String({ minLength: 1 }), ...AvailabilityRulesSchema.properties },
  { additionalProperties: false },
);
