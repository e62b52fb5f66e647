// Admin routes: `Authorization: Bearer <secret key>`; every query is scoped to that key's workspace.
import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../../errors.js';
import { workspaceForSecretKey } from '../../services/workspaces.js';
import { memberRoutes } from './members.js';
import { studyRoutes } from './studies.js';
import { bookingAdminRoutes } from './bookings.js';
import { workspaceRoutes } from './workspace.js';
import { calendarRoutes } from './calendars.js';
import { incentiveRoutes } from './incentives.js';
import { participantRoutes } from './participants.js';

export const adminRoutes: FastifyPluginAsync = async (app) => {
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, tags: ['admin'], security: [{ secretKey: [] }] };
  });

  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw new HttpError(401, 'unauthenticated', 'Send Authorization: Bearer <secret key>');
    const workspace = await workspaceForSecretKey(app.db, match[1]);
    if (!workspace) throw new HttpError(401, 'unauthenticated', 'This secret key is unknown or revoked');
    request.workspace = workspace;
  });

  await app.register(studyRoutes);
  await app.register(memberRoutes);
  await app.register(bookingAdminRoutes);
  await app.register(incentiveRoutes);
  await app.register(participantRoutes);
  await app.register(workspaceRoutes);
  await app.register(calendarRoutes, { service: app.calendarService });
};
