import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AutopilotWeek, ErrorBody } from '@beckon/shared/api';
import { autopilotWeek } from '../../services/autopilot.js';

export const autopilotRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/autopilot/week',
    {
      schema: {
        summary: "The week's health: each live study with a weekly target and the workspace, this week and the last 8 (booked, attended, no-shows) and this week's forecast",
        response: { 200: AutopilotWeek, '4xx': ErrorBody },
      },
    },
    async (request) => autopilotWeek(app.db, request.workspace, app.busyTime, new Date()),
  );
};
