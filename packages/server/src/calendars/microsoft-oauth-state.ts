// Microsoft's consent flow: its link carries a state signed for Microsoft (oauth-state.ts).
import { unprocessable } from '../errors.js';
import { microsoftConsentUrl, type MicrosoftOAuthClient } from './microsoft.js';
import { readOAuthState, signOAuthState, STATE_TTL_MS } from './oauth-state.js';
import type { CalendarService } from './service.js';

/** The deployment's app registration, or a 422 saying how to configure one. */
export function microsoftOAuthOrThrow(service: CalendarService): MicrosoftOAuthClient {
  const oauth = service.options.microsoft?.oauth;
  if (!oauth) {
    throw unprocessable('microsoft_oauth_not_configured', 'Set MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET (your own app registration in Microsoft Entra ID) to connect Microsoft 365 and Outlook calendars');
  }
  return oauth;
}

/** A Microsoft sign-in link for a member: from the admin app (15 minutes) or the reconnect email (longer). */
export function microsoftConnectUrl(service: CalendarService, member: { id: string; workspaceId: string; email: string }, options: { ttlMs?: number } = {}): string {
  const state = signOAuthState(service.options.secretBox, 'microsoft-oauth-state', member, options.ttlMs ?? STATE_TTL_MS);
  return microsoftConsentUrl(microsoftOAuthOrThrow(service), state, { ...service.options.microsoft, loginHint: member.email });
}

/** The member a Microsoft callback's state names, if it is ours, for this flow, and not expired. */
export const readMicrosoftState = (service: CalendarService, state: string, now: number) => readOAuthState(service.options.secretBox, 'microsoft-oauth-state', state, now);
