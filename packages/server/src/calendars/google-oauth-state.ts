// Google's consent flow: its link carries a state signed for Google (oauth-state.ts).
import { unprocessable } from '../errors.js';
import { googleConsentUrl, type GoogleOAuthClient } from './google.js';
import { readOAuthState, signOAuthState, STATE_TTL_MS } from './oauth-state.js';
import type { CalendarService } from './service.js';

/** The member a Google callback's state names, if it is ours, for this flow, and not expired. */
export const readGoogleState = (service: CalendarService, state: string, now: number) => readOAuthState(service.options.secretBox, 'google-oauth-state', state, now);

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
export function googleConnectUrl(service: CalendarService, member: { id: string; workspaceId: string; email: string }, options: { ttlMs?: number; authUrl?: string } = {}): Promise<string> {
  const state = signOAuthState(service.options.secretBox, 'google-oauth-state', member, options.ttlMs ?? STATE_TTL_MS);
  return googleConsentUrl(oauthOrThrow(service), state, { authUrl: options.authUrl, loginHint: member.email });
}
