// Public: where Microsoft sends a member's browser back after sign-in and consent, with `code`
// and our signed `state` (or `error` and `error_description`).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { connectMicrosoftOAuth } from '../../calendars/connections.js';
import { exchangeMicrosoftCode } from '../../calendars/microsoft.js';
import { microsoftOAuthOrThrow, readMicrosoftState } from '../../calendars/microsoft-oauth-state.js';
import { CalendarError } from '../../calendars/provider.js';
import type { CalendarService } from '../../calendars/service.js';
import { HttpError } from '../../errors.js';
import { findMemberRow } from '../../services/members.js';

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title>` +
  `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${title}</h1><p>${text}</p></body></html>`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `service` is the app's own unless a test brings one with its emulation. */
export const microsoftOAuthCallbackRoutes: FastifyPluginAsyncTypebox<{ service?: CalendarService }> = async (app, options) => {
  const service = options.service ?? app.calendarService;
  // Public, so rate limited like the other public routes (where the app has the limiter).
  if (app.hasDecorator('rateLimit')) app.addHook('onRequest', app.rateLimit());
  app.get(
    '/v1/calendars/microsoft/callback',
    {
      schema: {
        tags: ['public'],
        summary: 'Where Microsoft sends the member back after sign-in and consent',
        querystring: Type.Object({
          state: Type.String({ maxLength: 2048 }),
          code: Type.Optional(Type.String({ maxLength: 4096 })),
          error: Type.Optional(Type.String({ maxLength: 200 })),
          error_description: Type.Optional(Type.String({ maxLength: 2048 })),
          session_state: Type.Optional(Type.String({ maxLength: 200 })),
        }),
      },
    },
    async (request, reply) => {
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      const target = readMicrosoftState(service, request.query.state, Date.now());
      if (!target) return reply.status(400).send(page('Link expired', 'This connection link is invalid or has expired. Ask for a new one from Beckon.'));
      if (request.query.error || !request.query.code) {
        // e.g. access_denied when they declined, or an administrator's consent is required in their organisation.
        const said = request.query.error_description?.split(/\r?\n/)[0] ?? request.query.error ?? 'no code';
        return reply.status(400).send(page('Not connected', `Microsoft did not grant access (${escapeHtml(said)}). You can close this tab and try again.`));
      }
      const member = await findMemberRow(service.options.db, target.workspaceId, target.memberId).catch(() => undefined);
      if (!member) return reply.status(404).send(page('Not connected', 'This member no longer exists.'));
      try {
        const tokens = await exchangeMicrosoftCode(microsoftOAuthOrThrow(service), request.query.code, { ...service.options.microsoft, timeoutMs: service.options.fetchTimeoutMs });
        const connection = await connectMicrosoftOAuth(service, member, tokens);
        return reply.send(page('Calendar connected', `Beckon now checks ${escapeHtml(connection.label)} for busy time and adds interviews to it. You can close this tab.`));
      } catch (error) {
        if (error instanceof CalendarError || error instanceof HttpError) {
          return reply.status(502).send(page('Not connected', `Microsoft said: ${escapeHtml(error.message)}`));
        }
        throw error;
      }
    },
  );
};
