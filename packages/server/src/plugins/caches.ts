// Per-process caches that public routes lean on: the workspace behind a public key, and
// whether a study can take a booking. The booking services clear capacity when bookings change.
import fp from 'fastify-plugin';
import { CapacityCache } from '../services/capacity.js';
import { OriginSightings } from '../services/origins.js';
import { PublicWorkspaceCache, type Workspace } from '../services/workspaces.js';

declare module 'fastify' {
  interface FastifyInstance {
    publicWorkspaces: PublicWorkspaceCache;
    capacity: CapacityCache;
    /** When each origin last asked for a workspace's config (for Settings). */
    originSightings: OriginSightings;
  }
  interface FastifyRequest {
    /** Set on admin routes by the authentication check, and on public routes from the public key. */
    workspace: Workspace;
  }
}

export const cachesPlugin = fp(
  async (app) => {
    app.decorate('publicWorkspaces', new PublicWorkspaceCache(app.db));
    app.decorate('capacity', new CapacityCache(app.db, app.busyTime));
    app.decorate('originSightings', new OriginSightings(app.db, (error) => app.log.warn({ err: error }, 'could not note an origin')));
    // Every route that reads it sets it first (admin: authentication; public: the key in the path).
    app.decorateRequest('workspace', null as unknown as Workspace);
  },
  { name: 'caches', dependencies: ['database', 'calendars'] },
);
