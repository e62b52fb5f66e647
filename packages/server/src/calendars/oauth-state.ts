// The `state` that travels through a provider's consent flow (Google, Microsoft, Zoom) names the
// member connecting, signed with the server's key and valid briefly, so nobody can attach their
// own account to another member by crafting a callback. Each provider signs under its own
// purpose: a state made for one flow is refused at every other flow's callback.
import { randomToken, safeEqual, type SecretBox } from '../security/secrets.js';

/** How long a consent link from the admin app works. */
export const STATE_TTL_MS = 15 * 60_000;

export type OAuthStatePurpose = 'google-oauth-state' | 'microsoft-oauth-state' | 'zoom-oauth-state';

interface StatePayload {
  w: string;
  m: string;
  exp: number;
  n: string;
}

/** A state naming this member, signed for one flow and valid for `ttlMs`. */
export function signOAuthState(secretBox: SecretBox, purpose: OAuthStatePurpose, member: { id: string; workspaceId: string }, ttlMs: number): string {
  const payload: StatePayload = { w: member.workspaceId, m: member.id, exp: Date.now() + ttlMs, n: randomToken().slice(0, 16) };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${secretBox.deriveToken(purpose, body)}`;
}

function isStatePayload(value: unknown): value is StatePayload {
  if (typeof value !== 'object' || value === null) return false;
  const { w, m, exp } = value as Partial<StatePayload>;
  return typeof w === 'string' && typeof m === 'string' && typeof exp === 'number';
}

/** The member a callback's state names, if it was signed by us for this flow and has not expired. */
export function readOAuthState(secretBox: SecretBox, purpose: OAuthStatePurpose, state: string, now: number): { workspaceId: string; memberId: string } | undefined {
  const [body, signature] = state.split('.');
  if (!body || !signature || !safeEqual(signature, secretBox.deriveToken(purpose, body))) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return isStatePayload(payload) && payload.exp > now ? { workspaceId: payload.w, memberId: payload.m } : undefined;
  } catch {
    return undefined;
  }
}
