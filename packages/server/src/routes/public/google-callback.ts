// Public: where Google sends a member's browser back after consent, with `code` and our signed `state`.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { connectGoogleOAuth } from '../../calendars/connections.js';
import { exchangeGoogleCode } from '../../calendars/google.js';
import { oauthOrThrow, readGoogleState } from '../../calendars/google-oauth-state.js';
import { CalendarError } from '../../calendars/provider.js';
import type { CalendarService } from '../../calendars/service.js';
import { HttpError } from '../../errors.js';
import { findMemberRow } from '../../services/members.js';

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title>` +
  `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${title}</h1><p>${text}</p></body></html>`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `service` is the app's own unless a test brings one with its emulation. */
export const googleOAuthCallbackRoutes: FastifyPluginAsyncTypebox<{ service?: CalendarService }> = async (app, options) => {
  const service = options.service ?? app.calendarService;
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
      const target = readGoogleState(service, request.query.state, Date.now());
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
