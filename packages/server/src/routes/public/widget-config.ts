import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Value } from '@sinclair/typebox/value';
import { ErrorBody, PublicKeyParams, Traits, WidgetConfig, WidgetConfigQuery } from '@beckon/shared/api';
import { badRequest } from '../../errors.js';
import { assertStorable } from '../../plugins/input-guard.js';
import { visitorConfig } from '../../services/visitor.js';
import type { CachedWidgetConfig } from '../../services/widget-config-cache.js';

/** Browsers send a handful of Accept-Encoding values: each is parsed once (at most 100 kept, for odd clients). */
class SeenHeaders<T> extends Map<string, T> {
  override set(key: string, value: T): this {
    if (this.size >= 100) this.clear();
    return super.set(key, value);
  }
}

const encodings = new Negotiator<'br' | 'gzip' | 'identity'>({ supportedValues: ['br', 'gzip', 'identity'], cache: new SeenHeaders() });

/** identify()'s traits, sent as JSON in the query: checked like a JSON body would be. */
function parseTraits(json: string | undefined): Record<string, unknown> {
  if (json === undefined) return {};
  let traits: unknown;
  try {
    traits = JSON.parse(json);
  } catch {
    throw badRequest('invalid_request', 'traits must be JSON', 'traits');
  }
  assertStorable(traits, 'traits');
  if (!Value.Check(Traits, traits)) throw badRequest('invalid_request', 'traits must be a JSON object of at most 50 traits', 'traits');
  return traits as Record<string, unknown>;
}

/** The answer every visitor gets, in the encoding their browser takes, or 304 when they hold it. */
function sendShared(request: FastifyRequest, reply: FastifyReply, { bodies, etags }: CachedWidgetConfig): void {
  const acceptEncoding = request.headers['accept-encoding'];
  const encoding = (acceptEncoding && encodings.negotiate(acceptEncoding)) || 'identity';
  // Short public caching: capacity changes as slots fill, and page views are many.
  reply.header('Cache-Control', 'public, max-age=60, stale-while-revalidate=300').header('ETag', etags[encoding]).header('Vary', 'Origin, Accept-Encoding');
  if (request.headers['if-none-match'] === etags[encoding]) {
    reply.status(304).send();
    return;
  }
  if (encoding !== 'identity') reply.header('Content-Encoding', encoding);
  reply.type('application/json; charset=utf-8').send(bodies[encoding]);
}

export const widgetConfigRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/w/:publicKey/config',
    {
      schema: {
        tags: ['public'],
        summary: 'Live studies and workspace settings for the widget loader',
        params: PublicKeyParams,
        querystring: WidgetConfigQuery,
        response: { 200: WidgetConfig, '4xx': ErrorBody },
      },
    },
    (request, reply) => {
      const { userId } = request.query;
      if (userId !== undefined) {
        // One person's answer: the contact rules hold back studies for them. Never cached by anyone.
        reply.header('Cache-Control', 'private, no-store');
        return app.widgetConfigs
          .get(request.workspace)
          .then(({ body }) => visitorConfig(app.db, app.secretBox, request.workspace, body, { ...request.query, userId, traits: parseTraits(request.query.traits) }));
      }
      // Serialised once per workspace; the same bytes for every visitor (see WidgetConfigCache).
      // Answered at once when held: every page view of every site asks.
      const held = app.widgetConfigs.peek(request.workspace);
      if (held) return sendShared(request, reply, held);
      return app.widgetConfigs.get(request.workspace).then((config) => sendShared(request, reply, config));
    },
  );
};
