// A member's calendar connections (admin API): what is shown (never credentials) and what connects one.
import { Type, type Static } from '@sinclair/typebox';
import { HttpUrl, Nullable, Uuid } from './common.js';

export const CalendarConnection = Type.Object({
  id: Uuid,
  provider: Type.Union([Type.Literal('google'), Type.Literal('microsoft'), Type.Literal('caldav'), Type.Literal('builtin')]),
  label: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('broken')], { description: 'broken: access was revoked or the password changed; reconnect' }),
  lastError: Nullable(Type.String()),
  busyCalendarIds: Type.Array(Type.String(), { description: 'Calendars checked for busy time' }),
  writeCalendarId: Type.Union([Type.String(), Type.Null()], { description: 'The calendar interviews are written to' }),
  createdAt: Type.String({ format: 'date-time' }),
});

export const DiscoveredCalendar = Type.Object({
  url: Type.String({ description: "CalDAV: the calendar's URL; Microsoft: its Graph calendar id" }),
  displayName: Type.String(),
  events: Type.Boolean(),
});

export const CalendarConnect = Type.Union([
  Type.Object(
    {
      provider: Type.Literal('caldav'),
      serverUrl: HttpUrl,
      username: Type.String({ minLength: 1, maxLength: 320 }),
      password: Type.String({ minLength: 1, maxLength: 1024, description: 'For iCloud and Fastmail: an app-specific password' }),
      label: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
      busyCalendarUrls: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), { maxItems: 20 })),
      writeCalendarUrl: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 2048 }), Type.Null()])),
    },
    { additionalProperties: false, title: 'CalDAV' },
  ),
  Type.Object(
    {
      provider: Type.Literal('google'),
      mode: Type.Literal('service_account'),
      clientEmail: Type.String({ format: 'email', maxLength: 320, description: 'client_email from the key file' }),
      privateKey: Type.String({ minLength: 1, maxLength: 10_000, description: 'private_key from the key file (PEM)' }),
      subject: Type.Optional(Type.String({ format: 'email', maxLength: 320, description: 'The Workspace user to act as; the member’s email by default' })),
      busyCalendarIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 320 }), { maxItems: 20 })),
      writeCalendarId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 320 }), Type.Null()])),
    },
    { additionalProperties: false, title: 'Google service account (domain-wide delegation)' },
  ),
  Type.Object({ provider: Type.Literal('builtin') }, { additionalProperties: false, title: 'Built-in calendar' }),
]);
export type CalendarConnect = Static<typeof CalendarConnect>;

export type CalendarConnection = Static<typeof CalendarConnection>;
export type DiscoveredCalendar = Static<typeof DiscoveredCalendar>;

export const CalendarConnectionList = Type.Object({ calendars: Type.Array(CalendarConnection) });
export type CalendarConnectionList = Static<typeof CalendarConnectionList>;

export const CalendarConnected = Type.Object({
  calendar: CalendarConnection,
  discovered: Type.Optional(Type.Array(DiscoveredCalendar, { description: 'CalDAV only: every calendar the account has' })),
});
export type CalendarConnected = Static<typeof CalendarConnected>;

export const CalendarChoices = Type.Object({
  calendars: Type.Array(DiscoveredCalendar, { description: 'CalDAV and Microsoft calendars, listed live; empty for Google, whose calendars are not listed' }),
});
export type CalendarChoices = Static<typeof CalendarChoices>;

export const CalendarChoiceUpdate = Type.Object(
  {
    busyCalendarIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), { minItems: 1, maxItems: 20, description: 'Calendars to check for busy time (CalDAV: their URLs; Google and Microsoft: calendar ids)' }),
    ),
    writeCalendarId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 2048 }), Type.Null()], { description: 'The calendar interviews go to; null for none' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CalendarChoiceUpdate = Static<typeof CalendarChoiceUpdate>;

export const GoogleConnectLink = Type.Object({ url: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }, { description: "Google's consent page for one member, signed and short-lived" });
export type GoogleConnectLink = Static<typeof GoogleConnectLink>;

export const MicrosoftConnectLink = Type.Object(
  { url: Type.String(), expiresAt: Type.String({ format: 'date-time' }) },
  { description: "Microsoft's sign-in and consent page for one member, signed and short-lived" },
);
export type MicrosoftConnectLink = Static<typeof MicrosoftConnectLink>;
