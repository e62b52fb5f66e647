// A member's calendar connections (admin, under /v1/admin). Credentials go in and are sealed;
// they never come out.
//
//   GET    /members/:id/calendars                       the member's connections
//   POST   /members/:id/calendars                       connect CalDAV, a Google service account, or the built-in calendar
//   GET    /members/:id/calendars/:connectionId/choices the calendars it can choose from (CalDAV, Microsoft)
//   PATCH  /members/:id/calendars/:connectionId         choose its busy and write calendars
//   DELETE /members/:id/calendars/:connectionId         disconnect
//   GET    /members/:id/calendars/google/connect        the Google consent URL to send the member to
//   GET    /members/:id/calendars/microsoft/connect     the Microsoft sign-in URL to send the member to
// Google and Microsoft send the member back to routes/public/google-callback.ts and microsoft-callback.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CalendarChoices, CalendarChoiceUpdate, CalendarConnect, CalendarConnected, CalendarConnectionList, ErrorBody, GoogleConnectLink, MicrosoftConnectLink } from '@beckon/shared/api';
import { connectBuiltin, connectCalDav, connectionCalendars, connectGoogleServiceAccount, listConnections, publicConnection, removeConnection, updateConnectionCalendars } from '../../calendars/connections.js';
import { googleConnectUrl } from '../../calendars/google-oauth-state.js';
import { microsoftConnectUrl } from '../../calendars/microsoft-oauth-state.js';
import { STATE_TTL_MS } from '../../calendars/oauth-state.js';
import type { CalendarService } from '../../calendars/service.js';
import { notFound } from '../../errors.js';
import { findMemberRow } from '../../services/members.js';

const MemberParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ConnectionParams = Type.Object({ id: Type.String({ format: 'uuid' }), connectionId: Type.String({ format: 'uuid' }) });

export interface CalendarRoutesOptions {
  service: CalendarService;
  /** Google's consent page (tests: the emulation). */
  googleAuthUrl?: string;
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
        description: 'Google and Microsoft accounts with their own sign-in use GET /members/{id}/calendars/google/connect or /microsoft/connect instead.',
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
        description:
          "CalDAV: the account's event calendars, listed again with the stored password. Microsoft: the account's calendars (GET /me/calendars), with the stored grant. Google: none are listed (Beckon asks Google only for free/busy and events access); give calendar ids.",
        params: ConnectionParams,
        response: { 200: CalendarChoices, ...errors },
      },
    },
    async (request) => {
      const member = await findMemberRow(db, request.workspace.id, request.params.id);
      return { calendars: (await connectionCalendars(service, member, request.params.connectionId)) ?? [] };
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
      return { url: await googleConnectUrl(service, member, { ttlMs: STATE_TTL_MS, authUrl: googleAuthUrl }), expiresAt: expiresAt.toISOString() };
    },
  );

  app.get(
    '/members/:id/calendars/microsoft/connect',
    {
      schema: {
        summary: "Microsoft's sign-in and consent page for this member (Microsoft 365 or Outlook calendar); open it in the member's browser",
        params: MemberParams,
        response: { 200: MicrosoftConnectLink, ...errors },
      },
    },
    async (request) => {
      const member = await findMemberRow(db, request.workspace.id, request.params.id);
      const expiresAt = new Date(Date.now() + STATE_TTL_MS);
      return { url: microsoftConnectUrl(service, member, { ttlMs: STATE_TTL_MS }), expiresAt: expiresAt.toISOString() };
    },
  );
};
