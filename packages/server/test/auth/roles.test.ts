// Every admin route in the OpenAPI document, called by every role (and by a full and a
// read-only API key): 403 where the role must not pass, neither 401 nor 403 where it may. The
// expectations are written here from the roles' definitions, independently of the server's
// table, so a route given the wrong permission fails this test.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AccountRole } from '@beckon/shared/api';
import { primaryKind } from '../support/database.js';
import { useTestApp } from '../support/app.js';
import { createHost } from '../support/studies.js';
import { personWithRole } from './support.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Route {
  method: Method;
  path: string;
}

/** GET routes that show a secret or act on someone's calendar account: not for every reader. */
const SENSITIVE_READS = [
  '/v1/admin/workspace/identity-secret',
  '/v1/admin/members/{id}/calendars/{connectionId}/choices',
  '/v1/admin/members/{id}/calendars/google/connect',
  '/v1/admin/members/{id}/calendars/microsoft/connect',
  '/v1/admin/members/{id}/zoom/connect',
];
/** POST routes that change nothing: the study editor's preview of a copy, for anyone who may read studies. */
const READ_POSTS = ['/v1/admin/studies/preview'];
const OWNER_ONLY = ['/v1/admin/api-keys', '/v1/admin/api-keys/{id}', '/v1/admin/sso'];
/** The audit log, webhook endpoints and Slack webhooks (where the workspace's data is sent), and the Tremendous account (which pays). */
const OWNERS_AND_ADMINS = (route: Route) =>
  route.path === '/v1/admin/audit-log' || route.path.startsWith('/v1/admin/webhook-endpoints') || route.path.startsWith('/v1/admin/slack-webhooks') || route.path.startsWith('/v1/admin/workspace/payouts');
/** The panel (people's contact details and histories): researchers and up, not viewers or interviewers. */
const PANEL_READS = (route: Route) => /^\/v1\/admin\/(participants(\/\{id\}(\/export)?)?|exports\/participants\.csv)$/.test(route.path);
/** What a researcher may change: studies, bookings, incentives. */
const RESEARCH_WRITES = (route: Route) => /^\/v1\/admin\/(studies|bookings\/\{id\}\/|incentives\/|participants\/\{id\}$|consent-texts$)/.test(route.path);
/** What anyone may change for their own interviewer profile and the interviews they host. */
const OWN_WRITES = (route: Route) => /^\/v1\/admin\/members\/\{id\}(\/availability|\/calendars.*|\/zoom)?$/.test(route.path) && route.method !== 'GET';
const OWN_SENSITIVE_READS = (route: Route) =>
  route.method === 'GET' && /^\/v1\/admin\/members\/\{id\}\/(calendars\/(\{connectionId\}\/choices|google\/connect|microsoft\/connect)|zoom\/connect)$/.test(route.path);

function mayPass(role: AccountRole, route: Route): boolean {
  if (OWNER_ONLY.includes(route.path) || (route.method === 'DELETE' && route.path === '/v1/admin/workspace')) return role === 'owner';
  if (OWNERS_AND_ADMINS(route)) return role === 'owner' || role === 'admin';
  if (role === 'owner' || role === 'admin') return true;
  if (route.method === 'GET' && PANEL_READS(route)) return role === 'researcher';
  if (route.method === 'GET' || READ_POSTS.includes(route.path)) return !SENSITIVE_READS.includes(route.path);
  if (role === 'researcher') return RESEARCH_WRITES(route);
  return false;
}

describe(`roles on every admin route, on ${primaryKind}`, () => {
  const suite = useTestApp();

  async function adminRoutes(): Promise<Route[]> {
    const document = (await suite.t.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const routes: Route[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!path.startsWith('/v1/admin/')) continue;
      for (const method of Object.keys(operations)) {
        if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) routes.push({ method: method.toUpperCase() as Method, path });
      }
    }
    return routes;
  }

  const call = (route: Route, headers: Record<string, string>, ids: { id: string; connectionId?: string }) =>
    suite.t.app.inject({
      method: route.method,
      url: route.path.replace('{id}', ids.id).replace('{connectionId}', ids.connectionId ?? randomUUID()),
      headers,
      ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
    });

  it('finds the admin routes in the OpenAPI document, the account routes among them', async () => {
    const routes = await adminRoutes();
    expect(routes.length).toBeGreaterThan(35);
    for (const path of ['/v1/admin/team', '/v1/admin/api-keys', '/v1/admin/sso', '/v1/admin/audit-log', '/v1/admin/studies/{id}']) {
      expect(routes.some((route) => route.path === path)).toBe(true);
    }
  });

  it('refuses (403) every route a role must not use, and lets it through every route it may', async () => {
    const { t } = suite;
    const routes = await adminRoutes();
    const failures: string[] = [];
    for (const role of ['viewer', 'interviewer', 'researcher', 'admin', 'owner'] as const) {
      const person = await personWithRole(t, role);
      for (const route of routes) {
        const response = await call(route, person.headers, { id: randomUUID() });
        const allowed = mayPass(role, route);
        const ok = allowed ? response.statusCode !== 401 && response.statusCode !== 403 : response.statusCode === 403;
        if (!ok) failures.push(`${role} ${route.method} ${route.path}: ${response.statusCode} (expected ${allowed ? 'to pass' : '403'}) ${response.body.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('lets an interviewer change their own profile, hours and calendars, and nobody else’s', async () => {
    const { t } = suite;
    const own = await createHost(t, { name: 'Own Profile', timeZone: 'Europe/Berlin' });
    const interviewer = await personWithRole(t, 'interviewer', { memberId: own });
    const failures: string[] = [];
    for (const route of (await adminRoutes()).filter((route) => OWN_WRITES(route) || OWN_SENSITIVE_READS(route))) {
      const mine = await call(route, interviewer.headers, { id: own });
      const theirs = await call(route, interviewer.headers, { id: randomUUID() });
      if (mine.statusCode === 401 || mine.statusCode === 403) failures.push(`own ${route.method} ${route.path}: ${mine.statusCode} ${mine.body.slice(0, 120)}`);
      if (theirs.statusCode !== 403) failures.push(`other ${route.method} ${route.path}: ${theirs.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('gives a full API key what an admin may do, and a read-only key the same reads and no writes', async () => {
    const { t } = suite;
    const owner = await personWithRole(t, 'owner');
    const keyOf = async (access: 'full' | 'read') =>
      (await t.app.inject({ method: 'POST', url: '/v1/admin/api-keys', headers: owner.headers, payload: { name: `walk ${access}`, access } })).json().secret as string;
    const full = { authorization: `Bearer ${await keyOf('full')}` };
    const read = { authorization: `Bearer ${await keyOf('read')}` };
    const failures: string[] = [];
    for (const route of await adminRoutes()) {
      const asAdmin = mayPass('admin', route);
      const fullResponse = await call(route, full, { id: randomUUID() });
      const readResponse = await call(route, read, { id: randomUUID() });
      const passed = (status: number) => status !== 401 && status !== 403;
      if (passed(fullResponse.statusCode) !== asAdmin) failures.push(`full ${route.method} ${route.path}: ${fullResponse.statusCode}`);
      if (passed(readResponse.statusCode) !== (asAdmin && route.method === 'GET')) failures.push(`read ${route.method} ${route.path}: ${readResponse.statusCode}`);
    }
    expect(failures).toEqual([]);
  });
});
