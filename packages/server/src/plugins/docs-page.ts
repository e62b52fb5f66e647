// The browsable API docs at /docs (Swagger UI) as a browser fetches them: Swagger UI's 2 MB of
// scripts and styles and the 250 KB document go out compressed (brotli or gzip), each compressed
// once per process and kept, with an ETag so that a browser that has them hears 304.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

/** Swagger UI's own files, beside its package (the production image installs it as it is). */
const SWAGGER_UI_STATIC = path.join(path.dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui')), 'static');
/** The large ones; the rest (its favicons, a 200-byte stylesheet) are left to Swagger UI's plugin. */
const LARGE_FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
};

type Encoding = 'br' | 'gzip' | 'identity';
const encodings = new Negotiator<Encoding>({ supportedValues: ['br', 'gzip', 'identity'] });
const compressors = {
  // Quality 6: a fifth of the bytes in a fraction of a second, once per file and process.
  br: (body: Buffer) => promisify(brotliCompress)(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body: Buffer) => promisify(gzip)(body, { level: 9 }),
};

interface Variants {
  etag: string;
  body: Buffer;
  compressed: Partial<Record<Exclude<Encoding, 'identity'>, Promise<Buffer>>>;
}

function variantsOf(body: Buffer): Variants {
  return { etag: createHash('sha256').update(body).digest('base64url').slice(0, 22), body, compressed: {} };
}

/** Sends `variants` in the encoding the request prefers, or 304 when the browser has that one. */
async function send(request: FastifyRequest, reply: FastifyReply, variants: Variants): Promise<Buffer | string> {
  const accepted = request.headers['accept-encoding'];
  const encoding = (accepted && encodings.negotiate(accepted)) || 'identity';
  const etag = `"${variants.etag}-${encoding}"`;
  reply.header('Vary', 'Accept-Encoding').header('Cache-Control', 'no-cache').header('ETag', etag);
  if (request.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) {
    reply.code(304);
    return '';
  }
  if (encoding === 'identity') return variants.body;
  reply.header('Content-Encoding', encoding);
  // A failed compression is not kept: the next request tries again.
  const compressed = (variants.compressed[encoding] ??= compressors[encoding](variants.body).catch((error: unknown) => {
    delete variants.compressed[encoding];
    throw error;
  }));
  return compressed;
}

export const docsPage: FastifyPluginAsync = async (app) => {
  const files = new Map<string, Promise<Variants>>();
  for (const [file, type] of Object.entries(LARGE_FILES)) {
    // Registered before Swagger UI's own static route: an exact path wins over its wildcard.
    app.get(`/docs/static/${file}`, { schema: { hide: true } }, async (request, reply) => {
      let variants = files.get(file);
      if (!variants) {
        variants = readFile(path.join(SWAGGER_UI_STATIC, file)).then(variantsOf);
        files.set(file, variants);
      }
      reply.type(type);
      return send(request, reply, await variants);
    });
  }

  // The document is made once per process (by @fastify/swagger), so its compressed forms are kept with it.
  let document: Variants | undefined;
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url !== '/docs/json' || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    const body = Buffer.from(payload);
    if (!document || !document.body.equals(body)) document = variantsOf(body);
    return send(request, reply, document);
  });

  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
};
