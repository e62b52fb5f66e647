// Signing in and out: public routes under /v1/auth, rate limited per IP. Answers never say
// whether an address has an account: a wrong password and an unknown email are the same 401, a
// sign-in link request is always 202.
//   POST /v1/auth/password              email + password → session cookie
//   POST /v1/auth/link                  email → a single-use sign-in link by email (30 min)
//   GET  /v1/auth/sign-in?token=        follow a sign-in link → session cookie, on to /admin/
//   GET  /v1/auth/session               who is signed in, their workspaces, the CSRF token
//   POST /v1/auth/session/workspace     switch the session's workspace
//   PUT  /v1/auth/password              set or change one's password
//   POST /v1/auth/sign-out              end the session
//   GET  /v1/auth/invitation?token=     follow an invitation link → joined and signed in
//   POST /v1/auth/invitations/accept    the same from the admin app, with a name and a password
//   GET  /v1/auth/sso/start?workspace=  single sign-on: off to the workspace's provider
//   GET  /v1/auth/sso/callback          and back
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { sharedRateLimitStore } from '../../plugins/rate-limit.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { and, eq, ne } from 'drizzle-orm';
import { Accepted, ErrorBody, InvitationAccept, PasswordChange, PasswordSignIn, Session, SignInLinkQuery, SignInLinkRequest, SsoCallbackQuery, SsoStartQuery, SwitchWorkspace, toInstant } from '@beckon/shared/api';
import { acceptInvitation, consumeSignInToken, findUserByEmail, membershipIn, membershipsOf, requestSignInLink, type UserRow } from '../../auth/accounts.js';
import { recordAudit } from '../../auth/audit.js';
import { forbidden, unauthenticated } from '../../auth/guard.js';
import { hashPassword, spendVerifyTime, verifyPassword } from '../../auth/passwords.js';
import { clearSessionCookie, cookieName, createSession, csrfToken, csrfValid, endSession, findSession, setSessionCookie, type SessionMethod, type SessionRow } from '../../auth/sessions.js';
import { finishSso, SSO_STATE_COOKIE, SsoRefused, startSso } from '../../auth/sso.js';
import { sessions, users } from '../../db/schema.js';
import { HttpError } from '../../errors.js';
import { escapeHtml } from '../../mail/layout.js';

/** After this many wrong passwords in a row, password sign-in for the account pauses. */
export const MAX_FAILED_PASSWORDS = 5;
export const LOCKOUT_MS = 15 * 60_000;

const WRONG = 'The email or password is wrong (after several tries, password sign-in pauses for 15 minutes; a sign-in link still works)';

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title>` +
  `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><p><a href="/admin/">Go to Beckon</a></p></body></html>`;

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(cookie);
  const { publicUrl } = app.config;
  const errors = { '4xx': ErrorBody };
  const limit = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });

  await app.register(rateLimit, {
    ...sharedRateLimitStore(app, 'auth'),
    global: false,
    errorResponseBuilder: (_request, context) => new HttpError(429, 'rate_limited', `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`),
  });

  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, tags: ['auth'] };
  });
  // Sign-in answers and pages carry credentials: never cached.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });

  async function sessionView(session: SessionRow, user: UserRow): Promise<Session> {
    const places = await membershipsOf(app.db, user.id);
    // A single sign-on session belongs to the workspace whose provider vouched for the person.
    const visible = session.method === 'sso' ? places.filter((place) => place.workspace.id === session.workspaceId) : places;
    const current = visible.find((place) => place.workspace.id === session.workspaceId);
    return {
      user: { id: user.id, email: user.email, name: user.name, hasPassword: Boolean(user.passwordHash) },
      workspace: current ? { id: current.workspace.id, name: current.workspace.name, role: current.membership.role } : null,
      memberId: current?.membership.memberId ?? null,
      workspaces: visible.map((place) => ({ id: place.workspace.id, name: place.workspace.name, role: place.membership.role })),
      csrfToken: csrfToken(app.secretBox, session.id),
      expiresAt: toInstant(session.expiresAt),
    };
  }

  async function signIn(reply: FastifyReply, user: UserRow, method: SessionMethod, workspaceId?: string | null): Promise<Session> {
    const places = await membershipsOf(app.db, user.id);
    const chosen = (workspaceId && places.find((place) => place.workspace.id === workspaceId)) || places[0];
    const { token, session } = await createSession(app.db, { userId: user.id, workspaceId: chosen?.workspace.id ?? null, method });
    setSessionCookie(reply, publicUrl, token);
    return sessionView(session, user);
  }

  /** The session behind the cookie, for routes that need one; changes need the CSRF header too. */
  async function requireSession(request: FastifyRequest) {
    const token = request.cookies[cookieName(publicUrl)];
    const found = token ? await findSession(app.db, token) : undefined;
    if (!found || !token) throw unauthenticated('You are not signed in');
    if (request.method !== 'GET' && !csrfValid(app.secretBox, found.session.id, request.headers['x-csrf-token'])) {
      throw new HttpError(403, 'csrf_failed', 'Send the X-CSRF-Token header from GET /v1/auth/session');
    }
    return { ...found, token };
  }

  app.post(
    '/v1/auth/password',
    { config: limit(10), schema: { summary: 'Sign in with email and password', body: PasswordSignIn, response: { 200: Session, ...errors } } },
    async (request, reply) => {
      const user = await findUserByEmail(app.db, request.body.email);
      const locked = user?.lockedUntil && user.lockedUntil.getTime() > Date.now();
      if (!user?.passwordHash || locked) {
        await spendVerifyTime(request.body.password);
        throw new HttpError(401, 'invalid_credentials', WRONG);
      }
      if (!(await verifyPassword(request.body.password, user.passwordHash))) {
        const failed = user.failedSignIns + 1;
        const lock = failed >= MAX_FAILED_PASSWORDS;
        await app.db
          .update(users)
          .set({ failedSignIns: lock ? 0 : failed, ...(lock ? { lockedUntil: new Date(Date.now() + LOCKOUT_MS) } : {}) })
          .where(eq(users.id, user.id));
        throw new HttpError(401, 'invalid_credentials', WRONG);
      }
      if (user.failedSignIns > 0 || user.lockedUntil) await app.db.update(users).set({ failedSignIns: 0, lockedUntil: null }).where(eq(users.id, user.id));
      return signIn(reply, user, 'password');
    },
  );

  app.post(
    '/v1/auth/link',
    { config: limit(5), schema: { summary: 'Email a single-use sign-in link (valid 30 minutes) if the address has an account', body: SignInLinkRequest, response: { 202: Accepted, ...errors } } },
    async (request, reply) => {
      await requestSignInLink(app.db, app.secretBox, publicUrl, request.body.email);
      return reply.status(202).send({ ok: true, message: 'If this address has a Beckon account, a sign-in link is on its way.' });
    },
  );

  app.get(
    '/v1/auth/sign-in',
    { config: limit(20), schema: { summary: 'Follow a sign-in link: starts a session and opens the admin app', querystring: SignInLinkQuery } },
    async (request, reply) => {
      const used = await consumeSignInToken(app.db, request.query.token);
      const [user] = used ? await app.db.select().from(users).where(eq(users.id, used.userId)) : [];
      if (!used || !user) {
        return reply.status(400).type('text/html; charset=utf-8').send(page('Link expired', 'This sign-in link is invalid, already used or expired. Ask for a new one on the sign-in page.'));
      }
      await signIn(reply, user, 'link', used.workspaceId);
      return reply.redirect('/admin/', 303);
    },
  );

  app.get('/v1/auth/session', { schema: { summary: 'The signed-in person, their workspaces and the CSRF token', response: { 200: Session, ...errors } } }, async (request) => {
    const { session, user } = await requireSession(request);
    return sessionView(session, user);
  });

  app.post(
    '/v1/auth/session/workspace',
    { schema: { summary: 'Switch the workspace the admin API acts on', body: SwitchWorkspace, response: { 200: Session, ...errors } } },
    async (request) => {
      const { session, user } = await requireSession(request);
      const place = await membershipIn(app.db, user.id, request.body.workspaceId);
      if (!place || (session.method === 'sso' && session.workspaceId !== place.workspace.id)) throw forbidden('You are not in this workspace, or this session is bound to another');
      const [updated] = await app.db.update(sessions).set({ workspaceId: place.workspace.id }).where(eq(sessions.id, session.id)).returning();
      return sessionView(updated!, user);
    },
  );

  app.put(
    '/v1/auth/password',
    { config: limit(10), schema: { summary: "Set or change one's password; one's other sessions end", body: PasswordChange, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const { session, user } = await requireSession(request);
      if (user.passwordHash && !(request.body.currentPassword && (await verifyPassword(request.body.currentPassword, user.passwordHash)))) {
        throw new HttpError(403, 'wrong_password', 'The current password is wrong', 'currentPassword');
      }
      await app.db.update(users).set({ passwordHash: await hashPassword(request.body.password), failedSignIns: 0, lockedUntil: null, updatedAt: new Date() }).where(eq(users.id, user.id));
      await app.db.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.id, session.id)));
      return reply.status(204).send(null);
    },
  );

  app.post('/v1/auth/sign-out', { schema: { summary: 'End this session', response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    const { token } = await requireSession(request);
    await endSession(app.db, token);
    clearSessionCookie(reply, publicUrl);
    return reply.status(204).send(null);
  });

  async function accept(request: FastifyRequest, input: { token: string; name?: string; password?: string }) {
    const accepted = await acceptInvitation(app.db, input);
    await recordAudit(app.db, {
      workspaceId: accepted.workspaceId,
      actor: { type: 'user', userId: accepted.userId },
      ip: request.ip ?? null,
      action: 'invitation.accept',
      route: `${request.method} ${request.routeOptions.url}`,
      targetId: accepted.membershipId,
      changes: { role: { after: accepted.role } },
    });
    const [user] = await app.db.select().from(users).where(eq(users.id, accepted.userId));
    return { user: user!, workspaceId: accepted.workspaceId };
  }

  app.get(
    '/v1/auth/invitation',
    { config: limit(20), schema: { summary: 'Follow an invitation link: joins the workspace, signs in and opens the admin app', querystring: SignInLinkQuery } },
    async (request, reply) => {
      try {
        const { user, workspaceId } = await accept(request, { token: request.query.token });
        await signIn(reply, user, 'invitation', workspaceId);
        return reply.redirect('/admin/', 303);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        return reply.status(400).type('text/html; charset=utf-8').send(page('Invitation expired', error.message));
      }
    },
  );

  app.post(
    '/v1/auth/invitations/accept',
    { config: limit(20), schema: { summary: 'Accept an invitation (optionally naming oneself and setting a password) and sign in', body: InvitationAccept, response: { 200: Session, ...errors } } },
    async (request, reply) => {
      const { user, workspaceId } = await accept(request, request.body);
      return signIn(reply, user, 'invitation', workspaceId);
    },
  );

  const ssoDeps = () => ({ db: app.db, secretBox: app.secretBox, publicUrl });
  const ssoCookie = { path: '/v1/auth/sso', httpOnly: true, sameSite: 'lax' as const, secure: publicUrl.startsWith('https:') };

  app.get(
    '/v1/auth/sso/start',
    { config: limit(30), schema: { summary: "Single sign-on: go to the workspace's identity provider", querystring: SsoStartQuery } },
    async (request, reply) => {
      const { url, cookie } = await startSso(ssoDeps(), request.query.workspace);
      reply.setCookie(SSO_STATE_COOKIE, cookie, { ...ssoCookie, maxAge: 600 });
      return reply.redirect(url, 302);
    },
  );

  app.get(
    '/v1/auth/sso/callback',
    { config: limit(30), schema: { summary: 'Single sign-on: where the identity provider sends people back', querystring: SsoCallbackQuery } },
    async (request, reply) => {
      reply.clearCookie(SSO_STATE_COOKIE, ssoCookie);
      if (request.query.error) {
        return reply.status(400).type('text/html; charset=utf-8').send(page('Not signed in', `The identity provider said: ${request.query.error_description ?? request.query.error}`));
      }
      try {
        const currentUrl = new URL(request.url, publicUrl);
        const { userId, workspaceId } = await finishSso(ssoDeps(), currentUrl, request.cookies[SSO_STATE_COOKIE], request.ip ?? null);
        const [user] = await app.db.select().from(users).where(eq(users.id, userId));
        await signIn(reply, user!, 'sso', workspaceId);
        return reply.redirect('/admin/', 303);
      } catch (error) {
        if (!(error instanceof SsoRefused)) throw error;
        return reply.status(403).type('text/html; charset=utf-8').send(page('Not signed in', error.message));
      }
    },
  );
};
