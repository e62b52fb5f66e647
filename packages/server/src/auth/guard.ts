// The admin API's one gate: who is calling (a person's session cookie, or an API key), in which
// workspace, whether they may call this route (permissions.ts), CSRF for cookie requests that
// change something, and the audit record of every successful write.
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccountRole } from '@beckon/shared/api';
import { bookings } from '../db/schema.js';
import { HttpError } from '../errors.js';
import { authenticateApiKey } from './api-keys.js';
import { membershipIn } from './accounts.js';
import { changesOf, recordAudit, snapshot } from './audit.js';
import { API_KEY_GRANTS, decide, ROLE_GRANTS, routeAccess, type Grants, type RouteAccess } from './permissions.js';
import { cookieName, csrfValid, findSession } from './sessions.js';
import { isUuid } from '@beckon/shared/ids';

export type Principal =
  | { kind: 'user'; userId: string; name: string; sessionId: string; role: AccountRole; memberId: string | null; grants: Grants }
  | { kind: 'api_key'; keyId: string; access: 'full' | 'read'; grants: Grants };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on admin routes: who is calling. */
    principal: Principal;
    auditBefore: Record<string, unknown> | undefined;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const unauthenticated = (message: string) => new HttpError(401, 'unauthenticated', message);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);

/** The role an actor acts with in services that compare ranks; a key acts as an admin. */
export function actorOf(principal: Principal): { role: AccountRole; userId: string | null; name: string | null } {
  return principal.kind === 'user' ? { role: principal.role, userId: principal.userId, name: principal.name } : { role: 'admin', userId: null, name: null };
}

async function authenticate(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw unauthenticated('Send Authorization: Bearer <secret key>');
    const found = await authenticateApiKey(app.db, match[1]);
    if (!found) throw unauthenticated('This secret key is unknown or revoked');
    request.workspace = found.workspace;
    request.principal = { kind: 'api_key', keyId: found.key.id, access: found.key.access, grants: API_KEY_GRANTS };
    if (found.key.access === 'read' && !SAFE_METHODS.has(request.method)) throw forbidden('This API key is read-only');
    return;
  }
  const token = request.cookies[cookieName(app.config.publicUrl)];
  if (!token) throw unauthenticated('Sign in, or send Authorization: Bearer <secret key>');
  const found = await findSession(app.db, token);
  if (!found) throw unauthenticated('Your session has ended; sign in again');
  // Checked before anything else is revealed: a cross-site form must not act with the cookie.
  if (!SAFE_METHODS.has(request.method) && !csrfValid(app.secretBox, found.session.id, request.headers['x-csrf-token'])) {
    throw new HttpError(403, 'csrf_failed', 'Send the X-CSRF-Token header from GET /v1/auth/session with every change');
  }
  const place = found.session.workspaceId ? await membershipIn(app.db, found.user.id, found.session.workspaceId) : undefined;
  if (!place) throw new HttpError(403, 'not_a_member', 'You are not in this workspace any more; switch workspace or ask an admin');
  request.workspace = place.workspace;
  request.principal = {
    kind: 'user',
    userId: found.user.id,
    name: found.user.name,
    sessionId: found.session.id,
    role: place.membership.role,
    memberId: place.membership.memberId,
    grants: ROLE_GRANTS[place.membership.role],
  };
}

/** Whether the caller's own interviewer profile is the one the route names, or hosts the booking it names. */
async function owns(app: FastifyInstance, request: FastifyRequest, access: RouteAccess): Promise<boolean> {
  const memberId = request.principal.kind === 'user' ? request.principal.memberId : null;
  const id = (request.params as { id?: string }).id;
  if (!memberId || !id || !isUuid(id)) return false;
  if (access.own === 'member') return id === memberId;
  const [row] = await app.db
    .select({ id: bookings.id })
    .from(bookings)
    .where(and(eq(bookings.id, id), eq(bookings.workspaceId, request.workspace.id), sql`(${bookings.hostId} = ${memberId} or ${memberId} = any(${bookings.coHostIds}))`))
    .limit(1);
  return Boolean(row);
}

export function installAdminGuard(app: FastifyInstance): void {
  app.decorateRequest('principal', null as never);
  app.decorateRequest('auditBefore', undefined);

  // Every admin route must be in the table: no route is reachable without a decision on who may call it.
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const access = routeAccess(method, route.url ?? route.path);
      if (!access) throw new Error(`Admin route ${method} ${route.url} has no permission in src/auth/permissions.ts`);
      route.config = { ...route.config, access };
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access) throw forbidden('This route has no permission declared');
    await authenticate(app, request);
    const decision = decide(request.principal.grants, access);
    if (decision === 'yes') return;
    if (decision === 'own' && (await owns(app, request, access))) return;
    throw forbidden(decision === 'own' ? 'You can do this only for your own profile and the interviews you host' : `Your role cannot do this (needs ${access.permission})`);
  });

  app.addHook('preHandler', async (request) => {
    const audit = request.routeOptions.config.access?.audit;
    if (!audit?.target || SAFE_METHODS.has(request.method)) return;
    request.auditBefore = await snapshot({ db: app.db, publicUrl: app.config.publicUrl }, audit.target, request.workspace, (request.params as { id?: string }).id);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const audit = request.routeOptions.config.access?.audit;
    if (!audit || SAFE_METHODS.has(request.method) || reply.statusCode >= 400 || !request.principal) return payload;
    let response: unknown;
    if (typeof payload === 'string' && payload.length > 0) {
      try {
        response = JSON.parse(payload);
      } catch {
        response = undefined;
      }
    }
    const principal = request.principal;
    const params = request.params as { id?: string };
    const responseId = (response as { id?: unknown; key?: { id?: unknown }; invitation?: { id?: unknown } } | undefined) ?? {};
    const targetId = params.id ?? [responseId.id, responseId.key?.id, responseId.invitation?.id].find((value): value is string => typeof value === 'string') ?? null;
    try {
      await recordAudit(app.db, {
        workspaceId: request.workspace.id,
        actor: principal.kind === 'user' ? { type: 'user', userId: principal.userId } : { type: 'api_key', apiKeyId: principal.keyId },
        ip: request.ip ?? null,
        action: audit.action,
        route: `${request.method} ${request.routeOptions.url}`,
        targetId,
        changes: changesOf(audit, { method: request.method, body: request.body, before: request.auditBefore, response }),
      });
    } catch (error) {
      request.log.error({ err: error, action: audit.action }, 'audit record failed');
    }
    return payload;
  });
}
