import { Type, type Static } from '@sinclair/typebox';
import { Instant, Nullable, PublicUrl, TimeZone, Uuid } from './common.js';
import { ContactRules } from './people.js';

const Origin = Type.String({ pattern: '^https?://[^/?#\\s]+$', maxLength: 255, description: 'scheme://host[:port], no path', examples: ['https://app.example.com'] });

/** CSS custom properties for the widget, by name without the leading dashes. */
export const Theme = Type.Record(Type.String({ pattern: '^[a-z][a-zA-Z]{0,31}$' }), Type.String({ maxLength: 100 }), { maxProperties: 20, description: 'CSS custom properties for the widget, e.g. { "brand": "#4f46e5" }' });
export type Theme = Static<typeof Theme>;

const workspaceFields = {
  name: Type.String({ minLength: 1, maxLength: 120 }),
  allowedOrigins: Type.Array(Origin, { maxItems: 50, uniqueItems: true, description: 'Sites allowed to embed the widget' }),
  requireIdentityVerification: Type.Boolean({ description: 'Refuse opt-ins and bookings whose user id and traits are not signed' }),
  recontactDays: Type.Integer({ minimum: 0, maximum: 3650, description: 'Days before anyone is asked again' }),
  privacyUrl: Nullable(PublicUrl),
  locale: Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' }),
  theme: Theme,
  brandName: Nullable(Type.String({ minLength: 1, maxLength: 120, description: 'The company name participants see on pages and emails; null: the workspace name' })),
  logoUrl: Nullable(Type.String({ format: 'uri', pattern: '^https://', maxLength: 2048, description: 'https only; shown on the hosted and manage pages and in emails' })),
  /** IANA zone the workspace's weeks run in, Monday to Monday: weekly targets and the week's health. */
  timeZone: TimeZone,
  weeklyTarget: Type.Integer({ minimum: 1, maximum: 500, description: 'Interviews booked per week wanted across the workspace' }),
  /** How often anyone may be asked, across studies and devices (enforced by the server). */
  contactRules: ContactRules,
};

export const Workspace = Type.Object({
  id: Uuid,
  publicKey: Type.String(),
  ...workspaceFields,
  brandName: Type.Optional(workspaceFields.brandName),
  logoUrl: Type.Optional(workspaceFields.logoUrl),
  /** When the widget's config was last asked for from each origin, allowed or not (at most once a minute is noted). */
  originsSeen: Type.Optional(Type.Record(Type.String(), Instant)),
  contactRules: Type.Optional(workspaceFields.contactRules),
});
export type Workspace = Static<typeof Workspace>;

export const WorkspaceUpdate = Type.Partial(Type.Object(workspaceFields), { additionalProperties: false, minProperties: 1 });
export type WorkspaceUpdate = Static<typeof WorkspaceUpdate>;

export const IdentitySecret = Type.Object({ identitySecret: Type.String({ description: 'Sign user ids and traits with this (HMAC-SHA256); keep it on your servers' }) });
export type IdentitySecret = Static<typeof IdentitySecret>;
