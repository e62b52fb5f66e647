// Public routes: called from product sites by the widget (CORS limited to the workspace's
// allowed origins) and by participants through their manage links. Rate limited per IP.
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../../errors.js';
import type { Workspace } from '../../services/workspaces.js';
import { widgetConfigRoutes } from './widget-config.js';
import { eventRoutes } from './events.js';
import { bookingRoutes } from './bookings.js';
import { manageRoutes } from './manage.js';
import { previewRoutes } from './preview.js';

const PUBLIC_KEY_IN_PATH = /^\/v1\/w\/([^/?#]+)\//;

function publicKeyOf(request: FastifyRequest): string | undefined {
  return PUBLIC_KEY_IN_PATH.exec(request.url)?.[1];
}

export async function publicRoutes(app: FastifyInstance): Promise<void> {
  // Beckon's own pages (hosted booking link, manage link) call the same routes from this origin.
  const ownOrigin = new URL(app.config.publicUrl).origin;
  const allowed = (workspace: Workspace | undefined, origin: string) => origin === ownOrigin || (workspace?.allowedOrigins.includes(origin) ?? false);

  app.addHook('onRequest', app.rateLimit());

  // The workspace in the path decides which origins may call. CORS only stops browsers from
  // reading answers; the request itself is refused from other sites.
  const admit = (request: FastifyRequest, workspace: Workspace | undefined, options: { noteOrigin?: boolean }) => {
    if (!workspace) throw new HttpError(404, 'workspace_not_found', 'No workspace has this public key', 'publicKey');
    const origin = request.headers.origin;
    // Settings shows where the snippet runs, and where it is refused (which fails silently in the browser).
    if (options.noteOrigin && origin !== ownOrigin) void app.originSightings.note(workspace.id, origin);
    if (origin && !allowed(workspace, origin)) {
      throw new HttpError(403, 'origin_not_allowed', `Origin ${origin} is not in this workspace's allowed origins`);
    }
    request.workspace = workspace;
  };
  const resolveWorkspace = async (request: FastifyRequest, options: { noteOrigin?: boolean } = {}) => {
    const publicKey = publicKeyOf(request);
    if (!publicKey) return;
    admit(request, await app.publicWorkspaces.get(publicKey), options);
  };

  // The config: every page view asks, always a simple GET (never preflighted), so its CORS
  // answer is one header set here rather than the CORS plugin's per-request options. A callback
  // hook: a workspace already held is admitted at once, without a promise per page view.
  await app.register(async (config) => {
    const allowOrigin = (request: FastifyRequest, reply: FastifyReply) => {
      const origin = request.headers.origin;
      if (origin) reply.header('Access-Control-Allow-Origin', origin);
    };
    config.addHook('preHandler', (request, reply, done) => {
      const publicKey = publicKeyOf(request);
      const held = publicKey === undefined ? undefined : app.publicWorkspaces.peek(publicKey);
      if (held === false) {
        resolveWorkspace(request, { noteOrigin: true }).then(() => {
          allowOrigin(request, reply);
          done();
        }, done);
        return;
      }
      try {
        if (publicKey !== undefined) admit(request, held, { noteOrigin: true });
        allowOrigin(request, reply);
        done();
      } catch (error) {
        done(error as Error);
      }
    });
    await config.register(widgetConfigRoutes);
  });

  // The widget's writes: preflighted, so the CORS plugin answers with the workspace's origins.
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
    widget.addHook('preHandler', async (request) => resolveWorkspace(request));

    await widget.register(eventRoutes);
    await widget.register(bookingRoutes);
  });

  // Participants' own links: the token in the path is the credential; same-origin pages only.
  await app.register(manageRoutes);

  // The admin app's intercept preview: its token is the credential; it records, counts and books nothing.
  await app.register(previewRoutes, { prefix: '/preview' });
}
