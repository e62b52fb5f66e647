import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, PublicKeyParams, WidgetConfig } from '@beckon/shared/api';

const encodings = new Negotiator<'br' | 'gzip' | 'identity'>({ supportedValues: ['br', 'gzip', 'identity'] });

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
      // Serialised once per workspace; the same bytes for every visitor (see WidgetConfigCache).
      const { bodies, etags } = await app.widgetConfigs.get(request.workspace);
      const acceptEncoding = request.headers['accept-encoding'];
      const encoding = (acceptEncoding && encodings.negotiate(acceptEncoding)) || 'identity';
      // Short public caching: capacity changes as slots fill, and page views are many.
      reply.header('Cache-Control', 'public, max-age=60, stale-while-revalidate=300').header('ETag', etags[encoding]).header('Vary', 'Origin, Accept-Encoding');
      if (request.headers['if-none-match'] === etags[encoding]) return reply.status(304).send(undefined as never);
      if (encoding !== 'identity') reply.header('Content-Encoding', encoding);
      return reply.type('application/json; charset=utf-8').send(bodies[encoding] as never);
    },
  );
};
