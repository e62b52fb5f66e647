import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, EventBatch, EventBatchAccepted, PublicKeyParams } from '@beckon/shared/api';
import { interceptEvents, studies } from '../../db/schema.js';
import { unprocessable } from '../../errors.js';
import { recordParticipantSignals } from '../../services/participants.js';

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
      const workspace = request.workspace;
      const studyIds = [...new Set(events.map((event) => event.studyId))];
      const known = await app.db
        .select({ id: studies.id })
        .from(studies)
        .where(and(eq(studies.workspaceId, workspace.id), inArray(studies.id, studyIds)));
      const knownIds = new Set(known.map((row) => row.id));
      const unknownAt = events.findIndex((event) => !knownIds.has(event.studyId));
      if (unknownAt >= 0) {
        // The batch is all or nothing, so a retry after fixing it cannot double-count.
        throw unprocessable('study_not_found', 'No study with this id in this workspace', `events.${unknownAt}.studyId`);
      }
      const now = new Date();
      await app.db.transaction(async (tx) => {
        await tx.insert(interceptEvents).values(
          events.map((event) => ({
            workspaceId: workspace.id,
            studyId: event.studyId,
            kind: event.kind,
            // A client clock far in the future would distort the funnel; keep what it says otherwise.
            at: new Date(Math.min(Date.parse(event.at), now.getTime())),
            anonymousId: event.anonymousId,
            userId: event.userId,
            url: event.url,
          })),
        );
        await recordParticipantSignals(tx, workspace.id, events, now);
      });
      return reply.status(202).send({ accepted: events.length });
    },
  );
};
