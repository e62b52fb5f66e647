import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, EventBatch, EventBatchAccepted, PublicKeyParams } from '@beckon/shared/api';
import { recordEvents } from '../../services/events.js';

export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/w/:publicKey/events',
    {
      schema: {
        tags: ['public'],
        summary: 'Record a batch of intercept events (shown, dismissed, opted in, …)',
        params: PublicKeyParams,
        body: EventBatch,
        response: { 202: EventBatchAccepted, '4xx': ErrorBody },
      },
    },
    async (request, reply) => {
      const { events } = request.body;
      const refused = await recordEvents(app.db, app.secretBox, request.workspace, events);
      return reply.status(202).send({ accepted: events.length, ...(refused.length > 0 ? { refused } : {}) });
    },
  );
};
