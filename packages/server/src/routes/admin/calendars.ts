// A member's calendar connections (admin, under /v1/admin with the secret key), and the public
// end of Google's OAuth consent flow. Credentials go in and are sealed; they never come out.
//
//   GET    /members/:id/calendars                       the member's connections
//   POST   /members/:id/calendars                       connect CalDAV, a Google service account, or the built-in calendar
//   GET    /members/:id/calendars/:connectionId/choices the calendars it can choose from (CalDAV)
//   PATCH  /members/:id/calendars/:connectionId         choose its busy and write calendars
//   DELETE /members/:id/calendars/:connectionId         disconnect
//   GET    /members/:id/calendars/google/connect        the Google consent URL to send the member to
//   GET    /v1/calendars/google/callback                (public) where Google sends them back
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CalendarChoices, CalendarChoiceUpdate, CalendarConnect, CalendarConnected, CalendarConnectionList, ErrorBody, GoogleConnectLink } from '@beckon/shared/api';
import { connectBuiltin, connectCalDav, connectionCalendars, connectGoogleOAuth, connectGoogleServiceAccount, listConnections, publicConnection, removeConnection, updateConnectionCalendars } from '../../calendars/connections.js';
import { exchangeGoogleCode, googleConsentUrl } from '../../calendars/google.js';
import { CalendarError } from '../../calendars/provider.js';
import type { CalendarService } from '../../calendars/service.js';
import { HttpError, notFound, unprocessable } from '../../errors.js';
import { randomToken, safeEqual } from '../../security/secrets.js';
import { findMemberRow } from '../../services/members.js';

const MemberParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ConnectionParams = Type.Object({ id: Type.String({ format: 'uuid' }), connectionId: Type.String({ format: 'uuid' }) });

// ---------------------------------------------------------------------------------------------
// The OAuth state: which member is connecting, signed with the server's key, valid briefly.

const STATE_TTL_MS = 15 * 60_000;

function signState(service: CalendarService, payload: { w: string; m: string; exp: number; n: string }): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${service.options.secretBox.deriveToken('google-oauth-state', body)}`;
}

function readState(service: CalendarService, state: string, now: number): { workspaceId: string; memberId: string } | undefined {
  const [body, signature] = state.split('.');
  if (!body || !signature || !safeEqual(signature, service.options.secretBox.deriveToken('google-oauth-state', body))) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { w: string; m: string; exp: number };
    return payload.exp > now ? { workspaceId: payload.w, memberId: payload.m } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A consent link for a member, e.g. for the "reconnect your calendar" email sent when a Google
 * connection breaks (the link then needs a longer life than the admin route's 15 minutes).
 */
export function googleConnectUrl(service: CalendarService, member: { id: string; workspaceId: string; email: string }, options: { ttlMs?: number; authUrl?: string } = {}): string {
  const exp = Date.now() + (options.ttlMs ?? STATE_TTL_MS);
  const state = signState(service, { w: member.workspaceId, m: member.id, exp, n: randomToken().slice(0, 16) });
  return googleConsentUrl(oauthOrThrow(service), state, { authUrl: options.authUrl, loginHint: member.email });
}

export interface CalendarRoutesOptions {
  service: CalendarService;
  /** Google's consent page (tests: the emulation). */
  googleAuthUrl?: string;
}

function oauthOrThrow(service: CalendarService) {
  const oauth = service.options.oauth;
  if (!oauth) throw unprocessable('google_oauth_not_configured', 'Set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (your own OAuth client) to connect Google accounts');
  return oauth;
}

export const calendarRoutes: FastifyPluginAsyncTypebox<CalendarRoutesOptions> = async (app, { service, googleAuthUrl }) => {
  const { db } = service.options;
  const errors = { '4xx': ErrorBody };

  app.get(
    '/members/:id/calendars',
    { schema: { summary: "A member's calendar connections (never their credentials)", params: MemberParams, response: { 200: CalendarConnectionList, ...errors } } },
    async (request) => {
      const member = await findMemberRow(db, request.workspace.id, request.params.id);
      return { calendars: (await listConnections(db, member.id)).map(publicConnection) };
    },
  );

  app.post(
    '/members/:id/calendars',
    {
      schema: {
        summary: 'Connect a calendar: CalDAV (checked by logging in; calendars discovered), a Google service account, or the built-in calendar',
        description: 'Google accounts with their own sign-in use GET /members/{id}/calendars/google/connect instead.',
        params: MemberParams,
        body: CalendarConnect,
        response: { 201: CalendarConnected, ...errors },
      },
    },
    async (request, reply) => {
      const member = await findMemberRow(db, request.workspace.id, request.params.id);
      const body = request.body;
      if (body.provider === 'caldav') {
        const { connection, calendars } = await connectCalDav(service, member, body);
        return reply.status(201).send({ calendar: publicConnection(connection), discovered: calendars });
      }
      if (body.provider === 'google') {
        const connection = await connectGoogleServiceAccount(service, member, body);
        return reply.status(201).send({ calendar: publicConnection(connection) });
      }
      return reply.status(201).send({ calendar: publicConnection(await connectBuiltin(service, member.id)) });
    },
  );

  app.get(
    '/members/:id/calendars/:connectionId/choices',
    {
      schema: {
        summary: 'The calendars a connection can choose from',
        description: "CalDAV: the account's event calendars, listed again with the stored password. Google: none are listed (Beckon asks Google only for free/busy and events access); give calendar ids.",
        params: ConnectionParams,
        response: { 200: CalendarChoices, ...errors },
      },
    },
    async (request) => {
      const member = await findMemberRow(db, request.workspace.id, request.params.id);
      return { calendars: (await connectionCalendars(service, member.id, request.params.connectionId)) ?? [] };
    },
  );

  app.patch(
    '/members/:id/calendars/:connectionId',
    {
      schema: {
        summary: 'Choose which calendars a connection checks for busy time and adds interviews to, with the access it already has',
        params: ConnectionParams,
        body: CalendarChoiceUpdate,
        response: { 200: CalendarConnected, ...errors },
      },
    },
    async (request) => {
      const member = await findMemberRow(db, request.workspace.id, request.params.id);
      const { connection, calendars } = await updateConnectionCalendars(service, member, request.params.connectionId, request.body);
      return { calendar: publicConnection(connection), ...(calendars ? { discovered: calendars } : {}) };
    },
  );

  app.delete(
    '/members/:id/calendars/:connectionId',
    { schema: { summary: 'Disconnect a calendar', params: ConnectionParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const member = await findMemberRow(db, request.workspace.id, request.params.id);
      if (!(await removeConnection(service, member.id, request.params.connectionId))) throw notFound('calendar_not_found', 'No such calendar connection for this member');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/members/:id/calendars/google/connect',
    {
      schema: {
        summary: "Google's consent page for this member; open it in the member's browser",
        params: MemberParams,
        response: { 200: GoogleConnectLink, ...errors },
      },
    },
    async (request) => {
      const member = await findMemberRow(db, request.workspace.id, request.params.id);
      const expiresAt = new Date(Date.now() + STATE_TTL_MS);
      return { url: googleConnectUrl(service, member, { ttlMs: STATE_TTL_MS, authUrl: googleAuthUrl }), expiresAt: expiresAt.toISOString() };
    },
  );
};

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title>` +
  `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${title}</h1><p>${text}</p></body></html>`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Public: Google redirects the member's browser here with `code` and our `state`. */
export const googleOAuthCallbackRoutes: FastifyPluginAsyncTypebox<{ service: CalendarService }> = async (app, { service }) => {
  app.get(
    '/v1/calendars/google/callback',
    {
      schema: {
        tags: ['public'],
        summary: 'Where Google sends the member back after consent',
        querystring: Type.Object({
          state: Type.String({ maxLength: 2048 }),
          code: Type.Optional(Type.String({ maxLength: 2048 })),
          error: Type.Optional(Type.String({ maxLength: 200 })),
          scope: Type.Optional(Type.String({ maxLength: 4096 })),
        }),
      },
    },
    async (request, reply) => {
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      const target = readState(service, request.query.state, Date.now());
      if (!target) return reply.status(400).send(page('Link expired', 'This connection link is invalid or has expired. Ask for a new one from Beckon.'));
      if (request.query.error || !request.query.code) {
        return reply.status(400).send(page('Not connected', `Google did not grant access (${escapeHtml(request.query.error ?? 'no code')}). You can close this tab and try again.`));
      }
      const member = await findMemberRow(service.options.db, target.workspaceId, target.memberId).catch(() => undefined);
      if (!member) return reply.status(404).send(page('Not connected', 'This member no longer exists.'));
      try {
        const tokens = await exchangeGoogleCode(oauthOrThrow(service), request.query.code, { tokenUrl: service.options.googleTokenUrl, timeoutMs: service.options.fetchTimeoutMs });
        const connection = await connectGoogleOAuth(service, member, tokens);
        return reply.send(page('Calendar connected', `Beckon now checks ${escapeHtml(connection.label)} for busy time and adds interviews to it. You can close this tab.`));
      } catch (error) {
        if (error instanceof CalendarError || error instanceof HttpError) {
          return reply.status(502).send(page('Not connected', `Google said: ${escapeHtml(error.message)}`));
        }
        throw error;
      }
    },
  );
};
