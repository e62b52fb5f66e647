// The calendar routes registered the way the lead wires them: the admin ones under /v1/admin
// behind the secret-key check, the OAuth callback public.
import Fastify, { type FastifyInstance } from 'fastify';
import type { CalendarService } from '../../../src/calendars/service.js';
import type { Database } from '../../../src/db/client.js';
import { HttpError } from '../../../src/errors.js';
import { errorsPlugin } from '../../../src/plugins/errors.js';
import { validationPlugin } from '../../../src/plugins/validation.js';
import { calendarRoutes } from '../../../src/routes/admin/calendars.js';
import { googleOAuthCallbackRoutes } from '../../../src/routes/public/google-callback.js';
import { workspaceForSecretKey } from '../../../src/services/workspaces.js';

export async function buildCalendarRoutesApp(db: Database, service: CalendarService, options: { googleAuthUrl?: string } = {}): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(validationPlugin);
  await app.register(errorsPlugin);
  app.decorateRequest('workspace', null as never);
  await app.register(
    async (admin) => {
      admin.addHook('onRequest', async (request) => {
        const workspace = await workspaceForSecretKey(db, (request.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
        if (!workspace) throw new HttpError(401, 'unauthenticated', 'Send Authorization: Bearer <secret key>');
        request.workspace = workspace;
      });
      await admin.register(calendarRoutes, { service, ...options });
    },
    { prefix: '/v1/admin' },
  );
  await app.register(googleOAuthCallbackRoutes, { service });
  await app.ready();
  return app;
}
