import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, PublicKeyParams, WidgetConfig } from '@beckon/shared/api';
import { liveStudies, toWidgetStudy, toWidgetWorkspace } from '../../services/studies.js';

export const widgetConfigRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/w/:publicKey/config',
    {
      schema: {
        tags: ['public'],
        summary: 'Live studies and workspace settings for the widget loader',
        params: PublicKeyParams,
        response: { 200: WidgetConfig, '4xx': ErrorBody },
      },
    },
    async (request, reply) => {
      const workspace = request.workspace;
      const live = await liveStudies(app.db, workspace.id);
      const bookable = await app.capacity.bookableStudyIds(live, new Date());
      const body: WidgetConfig = {
        workspace: toWidgetWorkspace(workspace),
        studies: live.map((study) => toWidgetStudy(study, bookable.has(study.id))),
      };
      const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
      // Short public caching: capacity changes as slots fill, and page views are many.
      reply.header('Cache-Control', 'public, max-age=60, stale-while-revalidate=300').header('ETag', etag).header('Vary', 'Origin');
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(undefined as never);
      return body;
    },
  );
};
