// Public routes: called from product sites by the widget (CORS limited to the workspace's
// allowed origins) and by participants through their manage links. Rate limited per IP.
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../../errors.js';
import type { Workspace } from '../../services/workspaces.js';
import { widgetConfigRoutes } from './widget-config.js';
import { eventRoutes } from './events.js';
import { bookingRoutes } from './bookings.js';
import { manageRoutes } from './manage.js';

const PUBLIC_KEY_IN_PATH = /^\/v1\/w\/([^/?#]+)\//;

function publicKeyOf(request: FastifyRequest): string | undefined {
  return PUBLIC_KEY_IN_PATH.exec(request.url)?.[1];
}

export async function publicRoutes(app: FastifyInstance): Promise<void> {
  // Beckon's own pages (hosted booking link, manage link) call the same routes from this origin.
  const ownOrigin = new URL(app.config.publicUrl).origin;
  const allowed = (workspace: Workspace | undefined, origin: string) => origin === ownOrigin || (workspace?.allowedOrigins.includes(origin) ?? false);

  app.addHook('onRequest', app.rateLimit());

  // Widget routes: the workspace in the path decides which origins may call.
  await app.register(async (widget) => {
    await widget.register(cors, {
      hook: 'preHandler',
      delegator: (request, callback) => {
        const publicKey = publicKeyOf(request);
        const origin = request.headers.origin;
        if (!publicKey || !origin) return callback(null, { origin: false });
        app.publicWorkspaces
          .get(publicKey)
          .then((workspace) =>
            callback(null, {
              origin: allowed(workspace, origin) ? origin : false,
              methods: ['GET', 'POST'],
              allowedHeaders: ['Content-Type', 'Idempotency-Key'],
              maxAge: 600,
            }),
          )
          .catch((error: Error) => callback(error));
      },
    });

    widget.addHook('preHandler', async (request) => {
      const publicKey = publicKeyOf(request);
      if (!publicKey) return;
      const workspace = await app.publicWorkspaces.get(publicKey);
      if (!workspace) throw new HttpError(404, 'workspace_not_found', 'No workspace has this public key', 'publicKey');
      // CORS only stops browsers from reading answers; refuse the request itself from other sites.
      const origin = request.headers.origin;
      // Settings shows where the snippet runs, and where it is refused (which fails silently in the browser).
      if (request.routeOptions.url === '/v1/w/:publicKey/config' && origin !== ownOrigin) void app.originSightings.note(workspace.id, origin);
      if (origin && !allowed(workspace, origin)) {
        throw new HttpError(403, 'origin_not_allowed', `Origin ${origin} is not in this workspace's allowed origins`);
      }
      request.workspace = workspace;
    });

    await widget.register(widgetConfigRoutes);
    await widget.register(eventRoutes);
    await widget.register(bookingRoutes);
  });

  // Participants' own links: the token in the path is the credential; same-origin pages only.
  await app.register(manageRoutes);
}
