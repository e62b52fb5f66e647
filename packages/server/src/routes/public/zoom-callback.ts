// Public: where Zoom sends a member's browser back after consent, with `code` and our signed `state`.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CalendarError } from '../../calendars/provider.js';
import { HttpError } from '../../errors.js';
import { findMemberRow } from '../../services/members.js';

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title>` +
  `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${title}</h1><p>${text}</p></body></html>`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const zoomCallbackRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.rateLimit());
  app.get(
    '/v1/zoom/callback',
    {
      schema: {
        tags: ['public'],
        summary: 'Where Zoom sends the member back after consent',
        querystring: Type.Object({
          state: Type.String({ maxLength: 2048 }),
          code: Type.Optional(Type.String({ maxLength: 2048 })),
          error: Type.Optional(Type.String({ maxLength: 200 })),
        }),
      },
    },
    async (request, reply) => {
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      const target = app.zoom.readState(request.query.state, Date.now());
      if (!target) return reply.status(400).send(page('Link expired', 'This connection link is invalid or has expired. Ask for a new one from Beckon.'));
      if (request.query.error || !request.query.code) {
        return reply.status(400).send(page('Not connected', `Zoom did not grant access (${escapeHtml(request.query.error ?? 'no code')}). You can close this tab and try again.`));
      }
      const member = await findMemberRow(app.db, target.workspaceId, target.memberId).catch(() => undefined);
      if (!member) return reply.status(404).send(page('Not connected', 'This member no longer exists.'));
      try {
        const connection = await app.zoom.connectWithCode(member.id, request.query.code);
        return reply.send(page('Zoom connected', `Beckon now makes a Zoom meeting in ${escapeHtml(connection.label)} for each interview of a Zoom study. You can close this tab.`));
      } catch (error) {
        if (error instanceof CalendarError || error instanceof HttpError) return reply.status(502).send(page('Not connected', `Zoom said: ${escapeHtml(error.message)}`));
        throw error;
      }
    },
  );
};
