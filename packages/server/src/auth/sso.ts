// Single sign-on with OpenID Connect, per workspace, through `openid-client` (discovery,
// authorization code flow with PKCE, state and nonce, ID token validation). The client secret is
// sealed at rest. The flow's state travels in a short-lived sealed cookie, so no table holds it.
//
// A provider vouches for people only in its own workspace: a session begun through it is bound
// to that workspace (it cannot switch to another), so one workspace's provider can never sign
// anyone in to a different workspace, whatever emails it asserts.
import { eq } from 'drizzle-orm';
import * as oidc from 'openid-client';
import { toInstant, type AccountRole, type SsoSettings, type SsoUpdate } from '@beckon/shared/api';
import type { Database } from '../db/client.js';
import { ssoConnections } from '../db/schema.js';
import { HttpError, unprocessable } from '../errors.js';
import type { SecretBox } from '../security/secrets.js';
import { ensureMembership, ensureUser, findUserByEmail, membershipIn } from './accounts.js';
import { recordAudit } from './audit.js';

export interface SsoDeps {
  db: Database;
  secretBox: SecretBox;
  publicUrl: string;
}

type SsoRow = typeof ssoConnections.$inferSelect;

export const SSO_STATE_COOKIE = 'beckon_sso';
const STATE_TTL_MS = 10 * 60_000;

export const ssoRedirectUri = (publicUrl: string) => `${publicUrl}/v1/auth/sso/callback`;
export const ssoStartUrl = (publicUrl: string, workspaceId: string) => `${publicUrl}/v1/auth/sso/start?workspace=${workspaceId}`;

const toSettings = (publicUrl: string, row: SsoRow): SsoSettings => ({
  issuerUrl: row.issuerUrl,
  clientId: row.clientId,
  enabled: row.enabled,
  autoJoinDomains: row.autoJoinDomains,
  autoJoinRole: row.autoJoinRole,
  redirectUri: ssoRedirectUri(publicUrl),
  signInUrl: ssoStartUrl(publicUrl, row.workspaceId),
  updatedAt: toInstant(row.updatedAt),
});

/** Plain http is accepted for a provider on this machine only (a development or test provider). */
function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

async function discover(issuerUrl: string, clientId: string, clientSecret: string): Promise<oidc.Configuration> {
  const issuer = new URL(issuerUrl);
  const insecure = issuer.protocol === 'http:';
  if (insecure && !isLoopback(issuer)) throw unprocessable('sso_issuer_insecure', 'The issuer must be an https URL', 'issuerUrl');
  try {
    return await oidc.discovery(issuer, clientId, clientSecret, undefined, {
      timeout: 8,
      ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
  } catch (error) {
    throw unprocessable('sso_discovery_failed', `Could not read the provider's OpenID configuration: ${(error as Error).message}`, 'issuerUrl');
  }
}

/** Discovery results, per workspace and settings version. */
const configurations = new Map<string, { version: number; config: Promise<oidc.Configuration> }>();

async function configurationFor(deps: SsoDeps, row: SsoRow): Promise<oidc.Configuration> {
  const version = row.updatedAt.getTime();
  const cached = configurations.get(row.workspaceId);
  if (cached && cached.version === version) return cached.config;
  const config = discover(row.issuerUrl, row.clientId, deps.secretBox.open(row.clientSecretSealed));
  configurations.set(row.workspaceId, { version, config });
  config.catch(() => configurations.delete(row.workspaceId));
  return config;
}

async function ssoRow(db: Database, workspaceId: string): Promise<SsoRow | undefined> {
  const [row] = await db.select().from(ssoConnections).where(eq(ssoConnections.workspaceId, workspaceId)).limit(1);
  return row;
}

export async function getSso(deps: SsoDeps, workspaceId: string): Promise<SsoSettings | undefined> {
  const row = await ssoRow(deps.db, workspaceId);
  return row ? toSettings(deps.publicUrl, row) : undefined;
}

export async function saveSso(deps: SsoDeps, workspaceId: string, input: SsoUpdate): Promise<SsoSettings> {
  const existing = await ssoRow(deps.db, workspaceId);
  const clientSecret = input.clientSecret ?? (existing ? deps.secretBox.open(existing.clientSecretSealed) : undefined);
  if (!clientSecret) throw unprocessable('client_secret_required', 'Give the client secret the provider issued for Beckon', 'clientSecret');
  // The provider is checked before anything is saved: a typo is answered now, not at sign-in.
  await discover(input.issuerUrl, input.clientId, clientSecret);
  const values = {
    issuerUrl: input.issuerUrl,
    clientId: input.clientId,
    clientSecretSealed: deps.secretBox.seal(clientSecret),
    enabled: input.enabled ?? existing?.enabled ?? true,
    autoJoinDomains: (input.autoJoinDomains ?? existing?.autoJoinDomains ?? []).map((domain) => domain.toLowerCase()),
    autoJoinRole: input.autoJoinRole ?? existing?.autoJoinRole ?? 'viewer',
    updatedAt: new Date(),
  };
  const [row] = await deps.db
    .insert(ssoConnections)
    .values({ workspaceId, ...values })
    .onConflictDoUpdate({ target: ssoConnections.workspaceId, set: values })
    .returning();
  configurations.delete(workspaceId);
  return toSettings(deps.publicUrl, row!);
}

export async function removeSso(deps: SsoDeps, workspaceId: string): Promise<boolean> {
  configurations.delete(workspaceId);
  const removed = await deps.db.delete(ssoConnections).where(eq(ssoConnections.workspaceId, workspaceId)).returning({ id: ssoConnections.workspaceId });
  return removed.length > 0;
}

interface FlowState {
  w: string;
  state: string;
  nonce: string;
  verifier: string;
  exp: number;
}

const notAvailable = () => new HttpError(404, 'sso_not_configured', 'Single sign-on is not set up for this workspace');

/** Where to send the browser, and the sealed cookie that remembers this attempt. */
export async function startSso(deps: SsoDeps, workspaceId: string): Promise<{ url: string; cookie: string }> {
  const row = await ssoRow(deps.db, workspaceId);
  if (!row?.enabled) throw notAvailable();
  const config = await configurationFor(deps, row);
  const flow: FlowState = { w: workspaceId, state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), exp: Date.now() + STATE_TTL_MS };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: ssoRedirectUri(deps.publicUrl),
    scope: 'openid email profile',
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: 'S256',
  });
  return { url: url.href, cookie: deps.secretBox.seal(JSON.stringify(flow)) };
}

export class SsoRefused extends Error {}

/**
 * The provider sent the browser back: exchange the code, check the ID token, and find (or, for
 * an allowed domain, create) the person's membership. Refusals are SsoRefused with a message
 * for the person.
 */
export async function finishSso(deps: SsoDeps, currentUrl: URL, sealedState: string | undefined, ip: string | null): Promise<{ userId: string; workspaceId: string }> {
  let flow: FlowState;
  try {
    flow = JSON.parse(deps.secretBox.open(sealedState ?? '')) as FlowState;
  } catch {
    throw new SsoRefused('This sign-in attempt is unknown or came from another browser; start again.');
  }
  if (flow.exp < Date.now()) throw new SsoRefused('This sign-in attempt took too long; start again.');
  const row = await ssoRow(deps.db, flow.w);
  if (!row?.enabled) throw new SsoRefused('Single sign-on is not set up for this workspace.');
  const config = await configurationFor(deps, row);
  let claims: Record<string, unknown> | undefined;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
    const idToken = tokens.claims();
    claims = idToken;
    // Conforming providers put scope claims (email) in the ID token only when no access token is
    // issued; then they come from the userinfo endpoint, checked against the ID token's subject.
    if (idToken && typeof idToken.email !== 'string') claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)), sub: idToken.sub };
  } catch (error) {
    throw new SsoRefused(`The identity provider's answer was not accepted (${(error as Error).message}).`);
  }
  const email = typeof claims?.email === 'string' ? claims.email.toLowerCase() : undefined;
  if (!email || claims?.email_verified !== true) throw new SsoRefused('The identity provider did not give a verified email address.');

  const existing = await findUserByEmail(deps.db, email);
  if (existing && (await membershipIn(deps.db, existing.id, flow.w))) return { userId: existing.id, workspaceId: flow.w };
  const domain = email.split('@')[1] ?? '';
  if (!row.autoJoinDomains.includes(domain)) throw new SsoRefused('You are not a member of this workspace; ask an admin to invite you.');
  const name = typeof claims?.name === 'string' ? claims.name : undefined;
  return deps.db.transaction(async (tx) => {
    const { user } = await ensureUser(tx, { email, name });
    const { membership, created } = await ensureMembership(tx, { userId: user.id, workspaceId: flow.w, role: row.autoJoinRole as AccountRole });
    if (created) {
      await recordAudit(tx, {
        workspaceId: flow.w,
        actor: { type: 'user', userId: user.id },
        ip,
        action: 'membership.auto_join',
        route: 'GET /v1/auth/sso/callback',
        targetId: membership.id,
        changes: { role: { after: membership.role }, domain: { after: domain } },
      });
    }
    return { userId: user.id, workspaceId: flow.w };
  });
}
