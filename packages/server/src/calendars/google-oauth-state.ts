// Google's consent flow: the `state` that travels through Google says which member is
// connecting, signed with the server's key and valid briefly, so nobody can attach their own
// Google account to another member by crafting a callback.
import { unprocessable } from '../errors.js';
import { randomToken, safeEqual } from '../security/secrets.js';
import { googleConsentUrl, type GoogleOAuthClient } from './google.js';
import type { CalendarService } from './service.js';

/** How long a consent link from the admin app works. */
export const STATE_TTL_MS = 15 * 60_000;

interface StatePayload {
  w: string;
  m: string;
  exp: number;
  n: string;
}

/** Which consent flow a state is for: a Google state is no good at the Microsoft callback, nor the other way round. */
export type StatePurpose = 'google-oauth-state' | 'microsoft-oauth-state';

/** A state naming this member, signed for one flow and valid for `ttlMs`. */
export function signState(service: CalendarService, member: { id: string; workspaceId: string }, ttlMs: number, purpose: StatePurpose = 'google-oauth-state'): string {
  const payload: StatePayload = { w: member.workspaceId, m: member.id, exp: Date.now() + ttlMs, n: randomToken().slice(0, 16) };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${service.options.secretBox.deriveToken(purpose, body)}`;
}

function isStatePayload(value: unknown): value is StatePayload {
  if (typeof value !== 'object' || value === null) return false;
  const { w, m, exp } = value as Partial<StatePayload>;
  return typeof w === 'string' && typeof m === 'string' && typeof exp === 'number';
}

/** The member a callback's state names, if its signature is ours and it has not expired. */
export function readState(service: CalendarService, state: string, now: number, purpose: StatePurpose = 'google-oauth-state'): { workspaceId: string; memberId: string } | undefined {
  const [body, signature] = state.split('.');
  if (!body || !signature || !safeEqual(signature, service.options.secretBox.deriveToken(purpose, body))) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return isStatePayload(payload) && payload.exp > now ? { workspaceId: payload.w, memberId: payload.m } : undefined;
  } catch {
    return undefined;
  }
}

/** The deployment's OAuth client, or a 422 saying how to configure one. */
export function oauthOrThrow(service: CalendarService): GoogleOAuthClient {
  const oauth = service.options.oauth;
  if (!oauth) throw unprocessable('google_oauth_not_configured', 'Set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (your own OAuth client) to connect Google accounts');
  return oauth;
}

/**
 * A consent link for a member, e.g. for the "reconnect your calendar" email sent when a Google
 * connection breaks (the link then needs a longer life than the admin route's 15 minutes).
 */
export function googleConnectUrl(service: CalendarService, member: { id: string; workspaceId: string; email: string }, options: { ttlMs?: number; authUrl?: string } = {}): string {
  const state = signState(service, member, options.ttlMs ?? STATE_TTL_MS);
  return googleConsentUrl(oauthOrThrow(service), state, { authUrl: options.authUrl, loginHint: member.email });
}
