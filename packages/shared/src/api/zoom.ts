// A member's Zoom connection (admin API): Beckon makes a Zoom meeting per interview in the
// connected account when a study's meeting location is `zoom`. Its tokens never come out.
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Uuid } from './common.js';

export const ZoomConnection = Type.Object({
  id: Uuid,
  label: Type.String({ description: 'The Zoom account it acts as (its email)' }),
  status: Type.Union([Type.Literal('active'), Type.Literal('broken')], { description: 'broken: the member removed the app or its access was revoked; connect again' }),
  lastError: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
export type ZoomConnection = Static<typeof ZoomConnection>;

export const ZoomConnectionState = Type.Object({
  zoom: Nullable(ZoomConnection),
  configured: Type.Boolean({ description: 'Whether this server has a Zoom app (ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET) to connect accounts with' }),
});
export type ZoomConnectionState = Static<typeof ZoomConnectionState>;

export const ZoomConnectLink = Type.Object({ url: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }, { description: "Zoom's consent page for one member, signed and short-lived" });
export type ZoomConnectLink = Static<typeof ZoomConnectLink>;
