// A member's Zoom connection (admin, under /v1/admin): Beckon makes a Zoom meeting there for each
// interview of a study whose location is Zoom. Tokens go in through Zoom's consent page and never come out.
//
//   GET    /members/:id/zoom          the connection, if any, and whether this server can connect Zoom at all
//   GET    /members/:id/zoom/connect  Zoom's consent page to send the member to
//   DELETE /members/:id/zoom          disconnect
// Zoom sends the member back to routes/public/zoom-callback.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorBody, ZoomConnectionState, ZoomConnectLink } from '@beckon/shared/api';
import { STATE_TTL_MS } from '../../calendars/oauth-state.js';
import { publicZoomConnection } from '../../calendars/zoom-meetings.js';
import { notFound } from '../../errors.js';
import { findMemberRow } from '../../services/members.js';

const MemberParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const zoomRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ErrorBody };

  app.get(
    '/members/:id/zoom',
    { schema: { summary: "A member's Zoom connection (never its tokens)", params: MemberParams, response: { 200: ZoomConnectionState, ...errors } } },
    async (request) => {
      const member = await findMemberRow(app.db, request.workspace.id, request.params.id);
      const connection = await app.zoom.connectionOf(member.id);
      return { zoom: connection ? publicZoomConnection(connection) : null, configured: app.zoom.configured };
    },
  );

  app.get(
    '/members/:id/zoom/connect',
    { schema: { summary: "Zoom's consent page for this member; open it in the member's browser", params: MemberParams, response: { 200: ZoomConnectLink, ...errors } } },
    async (request) => {
      const member = await findMemberRow(app.db, request.workspace.id, request.params.id);
      const url = app.zoom.connectUrl(member, STATE_TTL_MS);
      return { url, expiresAt: new Date(Date.now() + STATE_TTL_MS).toISOString() };
    },
  );

  app.delete(
    '/members/:id/zoom',
    { schema: { summary: 'Disconnect Zoom (meetings already made stay in the Zoom account)', params: MemberParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const member = await findMemberRow(app.db, request.workspace.id, request.params.id);
      if (!(await app.zoom.disconnect(member.id))) throw notFound('zoom_not_connected', 'This member has no Zoom connection');
      return reply.status(204).send(null);
    },
  );
};
