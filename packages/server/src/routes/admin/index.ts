// Admin routes: a person's session cookie or `Authorization: Bearer <API key>`; every query is
// scoped to that session's or key's workspace, and every route's permission is checked (src/auth).
import cookie from '@fastify/cookie';
import type { FastifyPluginAsync } from 'fastify';
import { installAdminGuard } from '../../auth/guard.js';
import { accountAdminRoutes } from '../auth/admin.js';
import { memberRoutes } from './members.js';
import { studyRoutes } from './studies.js';
import { bookingAdminRoutes } from './bookings.js';
import { workspaceRoutes } from './workspace.js';
import { calendarRoutes } from './calendars.js';
import { zoomRoutes } from './zoom.js';
import { incentiveRoutes } from './incentives.js';
import { participantRoutes } from './participants.js';
import { autopilotRoutes } from './autopilot.js';
import { webhookRoutes } from './webhooks.js';
import { slackRoutes } from './slack.js';
import { payoutRoutes } from './payouts.js';
import { peopleRoutes } from './people.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A write that leaves what visitors are served as it was (a preview): no cache is forgotten. */
    changesNothing?: boolean;
  }
}

export const adminRoutes: FastifyPluginAsync = async (app) => {
  // Cookies only where a session is read or set (here and the sign-in routes): the widget's routes, hit by every page view, skip the plugin's hooks.
  await app.register(cookie);
  installAdminGuard(app);
  // Any accepted change can alter what visitors are served (studies, hosts' hours, calendars,
  // settings): every process forgets the workspace before the answer leaves.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && !request.routeOptions.config.changesNothing && reply.statusCode < 400 && request.workspace) app.workspaceChanged(request.workspace.id);
    return payload;
  });

  await app.register(studyRoutes);
  await app.register(memberRoutes);
  await app.register(bookingAdminRoutes);
  await app.register(incentiveRoutes);
  await app.register(participantRoutes);
  await app.register(autopilotRoutes);
  await app.register(peopleRoutes);
  await app.register(workspaceRoutes);
  await app.register(calendarRoutes, { service: app.calendarService });
  await app.register(zoomRoutes);
  await app.register(accountAdminRoutes);
  await app.register(webhookRoutes);
  await app.register(slackRoutes);
  await app.register(payoutRoutes);
};
