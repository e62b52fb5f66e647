// Single sign-on against a real OpenID Connect provider (the `oidc-provider` package, on
// 127.0.0.1, with its development login and consent pages driven over HTTP): discovery when the
// owner saves the settings, the code flow with PKCE, state and nonce, and who gets in.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMembership } from '../../src/auth/accounts.js';
import { ssoConnections } from '../../src/db/schema.js';
import { createWorkspace } from '../../src/services/seed.js';
import { primaryKind } from '../support/database.js';
import { useTestApp } from '../support/app.js';
import { personWithRole, sessionCookieOf, uniqueEmail } from './support.js';

const CLIENT_ID = 'beckon-test';
const CLIENT_SECRET = 'a-client-secret-only-the-provider-and-beckon-know';
const REDIRECT_URI = 'http://beckon.test/v1/auth/sso/callback';

/** The provider's people: account id → what it says about them. */
const accounts = new Map<string, { email: string; verified: boolean; name: string }>();

describe(`single sign-on with OpenID Connect on ${primaryKind}`, () => {
  const suite = useTestApp();
  let server: Server;
  let issuer: string;

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, {
      clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [REDIRECT_URI], response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_post' }],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      findAccount: async (_ctx, id) => {
        const account = accounts.get(id);
        if (!account) return undefined;
        return { accountId: id, claims: async () => ({ sub: id, email: account.email, email_verified: account.verified, name: account.name }) };
      },
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => true },
      cookies: { keys: ['oidc-test-cookie-key'] },
    });
    server.on('request', provider.callback());
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  /** A browser at the provider: follows redirects, keeps cookies, logs in as `accountId`, consents. Returns where it is sent back to. */
  async function signInAtProvider(authorizationUrl: string, accountId: string): Promise<string> {
    const jar = new Map<string, string>();
    let url = authorizationUrl;
    let body: URLSearchParams | undefined;
    for (let step = 0; step < 20; step++) {
      if (url.startsWith(REDIRECT_URI)) return url;
      const response = await fetch(url, {
        method: body ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(body ? { body } : {}),
      });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const [name, ...value] = pair!.split('=');
        jar.set(name!.trim(), value.join('='));
      }
      body = undefined;
      const location = response.headers.get('location');
      if (location) {
        url = new URL(location, url).href;
        continue;
      }
      const html = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`The provider showed no form (${response.status}): ${html.slice(0, 300)}`);
      url = new URL(action.replace(/&amp;/g, '&'), url).href;
      body = html.includes('name="login"') ? new URLSearchParams({ prompt: 'login', login: accountId, password: 'any' }) : new URLSearchParams({ prompt: 'consent' });
    }
    throw new Error('Too many steps at the provider');
  }

  /** Start at Beckon, sign in at the provider, come back to Beckon: the final response. */
  async function singleSignOn(accountId: string) {
    const { t } = suite;
    const start = await t.app.inject({ url: `/v1/auth/sso/start?workspace=${t.workspace.workspaceId}` });
    expect(start.statusCode).toBe(302);
    const authorization = new URL(start.headers.location as string);
    expect(authorization.origin).toBe(issuer);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    const state = start.cookies.find((cookie) => cookie.name === 'beckon_sso')!;
    expect(state.httpOnly).toBe(true);
    const back = await signInAtProvider(authorization.href, accountId);
    return t.app.inject({ url: back.slice('http://beckon.test'.length), headers: { cookie: `beckon_sso=${state.value}` } });
  }

  it('lets the owner set it up: the provider is checked, the client secret sealed and never shown', async () => {
    const { t } = suite;
    const owner = await personWithRole(t, 'owner');
    const admin = await personWithRole(t, 'admin');
    const settings = { issuerUrl: issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, autoJoinDomains: ['acme-sso.test'], autoJoinRole: 'viewer' };
    expect((await t.app.inject({ method: 'PUT', url: '/v1/admin/sso', headers: admin.headers, payload: settings })).statusCode).toBe(403);
    const wrong = await t.app.inject({ method: 'PUT', url: '/v1/admin/sso', headers: owner.headers, payload: { ...settings, issuerUrl: `${issuer}/nowhere` } });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('sso_discovery_failed');
    const saved = await t.app.inject({ method: 'PUT', url: '/v1/admin/sso', headers: owner.headers, payload: settings });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ issuerUrl: issuer, clientId: CLIENT_ID, enabled: true, redirectUri: REDIRECT_URI, autoJoinDomains: ['acme-sso.test'], autoJoinRole: 'viewer' });
    expect(saved.body).not.toContain(CLIENT_SECRET);
    const [row] = await t.app.db.select().from(ssoConnections);
    expect(row!.clientSecretSealed).not.toContain(CLIENT_SECRET);
    expect(t.app.secretBox.open(row!.clientSecretSealed)).toBe(CLIENT_SECRET);
    const audit = (await t.app.inject({ url: '/v1/admin/audit-log?action=sso.update', headers: owner.headers })).json().entries;
    expect(audit[0].changes).toMatchObject({ issuerUrl: { after: issuer }, clientId: { after: CLIENT_ID } });
    expect(JSON.stringify(audit)).not.toContain(CLIENT_SECRET);
  });

  it('signs in a member of the workspace with their own role', async () => {
    const { t } = suite;
    const email = uniqueEmail('researcher');
    await personWithRole(t, 'researcher', { email });
    accounts.set('ada', { email, verified: true, name: 'Ada' });
    const back = await singleSignOn('ada');
    expect(back.statusCode, back.body).toBe(303);
    expect(back.headers.location).toBe('/admin/');
    const cookie = sessionCookieOf(back)!;
    const session = (await t.app.inject({ url: '/v1/auth/session', headers: { cookie } })).json();
    expect(session).toMatchObject({ user: { email }, workspace: { id: t.workspace.workspaceId, role: 'researcher' } });
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: { cookie } })).statusCode).toBe(200);

    // This provider vouches for this workspace only: the session cannot move to another one the person is in.
    const other = await createWorkspace(t.app.db, t.app.secretBox, { name: 'Other', allowedOrigins: [], apiKey: false });
    await ensureMembership(t.app.db, { userId: session.user.id, workspaceId: other.workspaceId, role: 'owner' });
    const switched = await t.app.inject({ method: 'POST', url: '/v1/auth/session/workspace', headers: { cookie, 'x-csrf-token': session.csrfToken }, payload: { workspaceId: other.workspaceId } });
    expect(switched.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/auth/session', headers: { cookie } })).json().workspaces).toHaveLength(1);
  });

  it('lets a verified address of an allowed domain join with the default role, and nobody else', async () => {
    const { t } = suite;
    accounts.set('newcomer', { email: 'newcomer@acme-sso.test', verified: true, name: 'New Comer' });
    const joined = await singleSignOn('newcomer');
    expect(joined.statusCode).toBe(303);
    const session = (await t.app.inject({ url: '/v1/auth/session', headers: { cookie: sessionCookieOf(joined)! } })).json();
    expect(session).toMatchObject({ user: { email: 'newcomer@acme-sso.test', name: 'New Comer' }, workspace: { role: 'viewer' } });
    const owner = await personWithRole(t, 'owner');
    const audit = (await t.app.inject({ url: '/v1/admin/audit-log?action=membership.auto_join', headers: owner.headers })).json().entries;
    expect(audit).toHaveLength(1);

    accounts.set('stranger', { email: 'stranger@elsewhere.test', verified: true, name: 'Stranger' });
    const stranger = await singleSignOn('stranger');
    expect(stranger.statusCode).toBe(403);
    expect(sessionCookieOf(stranger)).toBeUndefined();

    accounts.set('unverified', { email: 'unverified@acme-sso.test', verified: false, name: 'Unverified' });
    const unverified = await singleSignOn('unverified');
    expect(unverified.statusCode).toBe(403);
    expect(unverified.body).toMatch(/verified email/);
  });

  it('refuses a callback without the state cookie of the browser that started', async () => {
    const { t } = suite;
    accounts.set('ada2', { email: uniqueEmail('ada2'), verified: true, name: 'Ada' });
    const start = await t.app.inject({ url: `/v1/auth/sso/start?workspace=${t.workspace.workspaceId}` });
    const back = await signInAtProvider(start.headers.location as string, 'ada2');
    const response = await t.app.inject({ url: back.slice('http://beckon.test'.length) });
    expect(response.statusCode).toBe(403);
    expect(sessionCookieOf(response)).toBeUndefined();
  });
});
