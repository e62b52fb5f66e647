import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, Study, StudyCreate, StudyList, StudyParams, StudyPreview, StudyPreviewRequest, StudyUpdate } from '@beckon/shared/api';
import { causeOf, conflict, PG, pgCode } from '../../errors.js';
import { createPreview } from '../../services/previews.js';
import { createStudy, deleteStudy, getStudy, listStudies, updateStudy } from '../../services/studies.js';

/** A slug taken by another study is the client's problem, not a 500. */
function slugConflict(error: unknown): never {
  if (pgCode(error) === PG.uniqueViolation && `${String(error)} ${String(causeOf(error) ?? '')}`.includes('slug')) {
    throw conflict('slug_taken', 'Another study already uses this slug');
  }
  throw error;
}

export const studyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ErrorBody };
  // Studies paid by Tremendous warn when nobody's account would pay.
  const payouts = { serverDefault: app.config.tremendous !== undefined };

  app.get('/studies', { schema: { summary: 'List studies', response: { 200: StudyList, ...errors } } }, async (request) => ({
    studies: await listStudies(app.db, request.workspace.id, app.config.publicUrl, payouts),
  }));

  app.post('/studies', { schema: { summary: 'Create a study', body: StudyCreate, response: { 201: Study, ...errors } } }, async (request, reply) => {
    const study = await createStudy(app.db, request.workspace.id, request.body, app.config.publicUrl, payouts).catch(slugConflict);
    return reply.status(201).send(study);
  });

  app.post(
    '/studies/preview',
    {
      // A preview changes nothing visitors are served: the workspace's caches stay as they are.
      config: { changesNothing: true },
      schema: {
        summary: "Preview a study's invitation in the real widget, saved or not",
        description:
          'Takes the study editor\'s copy and answers with a page (frameUrl, on this server) that runs the real widget with it, with sample traits given in ' +
          'the URL fragment as `#{"userId": …, "traits": {…}}`: the invitation, the screener and the free times it would offer. The page records no event, ' +
          'counts no impression, uses no pacing and books nothing; frame it sandboxed (allow-scripts allow-forms: the widget’s steps are forms it handles itself). It works for half an hour.',
        body: StudyPreviewRequest,
        response: { 201: StudyPreview, ...errors },
      },
    },
    async (request, reply) => {
      const preview = await createPreview(app.db, request.workspace.id, request.body);
      return reply.status(201).send({ frameUrl: `/preview/${preview.token}`, studyId: preview.studyId, expiresAt: preview.expiresAt.toISOString() });
    },
  );

  app.get('/studies/:id', { schema: { summary: 'Get a study', params: StudyParams, response: { 200: Study, ...errors } } }, async (request) =>
    getStudy(app.db, request.workspace.id, request.params.id, app.config.publicUrl, payouts),
  );

  app.patch(
    '/studies/:id',
    { schema: { summary: 'Change a study', params: StudyParams, body: StudyUpdate, response: { 200: Study, ...errors } } },
    async (request) => updateStudy(app.db, request.workspace.id, request.params.id, request.body, app.config.publicUrl, payouts).catch(slugConflict),
  );

  app.delete(
    '/studies/:id',
    { schema: { summary: 'Delete a study that has no bookings (end it otherwise)', params: StudyParams, response: { 204: { type: 'null' }, ...errors } } },
    async (request, reply) => {
      await deleteStudy(app.db, request.workspace.id, request.params.id);
      return reply.status(204).send();
    },
  );
};
