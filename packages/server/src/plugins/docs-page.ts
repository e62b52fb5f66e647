// The API docs: the reference at /docs (rendered here, see docs-reference.ts), the OpenAPI
// document at /docs/json, and Swagger UI as a console for sending requests at /docs/try. What a
// browser fetches goes out compressed (brotli or gzip), each file compressed once per process
// and kept, with an ETag so that a browser that has it hears 304. Nothing is made before the
// first visit: an idle server holds none of it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { REFERENCE_CSP, renderReference, type OpenApiDocument } from './docs-reference.js';

const require = createRequire(import.meta.url);
/** Swagger UI's own files, in its package (the production image installs it as it is). */
const SWAGGER_UI_DIST = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const SWAGGER_UI_FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/**
 * Starts Swagger UI on the document. Two of its defaults cost seconds of the browser's main thread
 * on this document, so a plugin replaces them: the document (JSON) is read with JSON.parse rather
 * than its YAML parser, and an operation is resolved, when opened, with swagger-client's plain
 * $ref resolver rather than its OpenAPI 3.1 one, which turns the whole document into ApiDOM
 * elements each time (1.5 to 3 s) for a document with one shared schema.
 */
const CONSOLE_SCRIPT = `const quickDocument = (system) => {
  const resolveSubtree = system.getSystem().fn.resolveSubtree;
  return {
    fn: resolveSubtree ? { resolveSubtree: (spec, path, options) => resolveSubtree({ ...spec, openapi: '3.0.3' }, path, options) } : {},
    statePlugins: { spec: { wrapActions: { parseToJson: (original, system) => (text) => {
      let json;
      try { json = JSON.parse(text || system.specSelectors.specStr()); } catch { return original(text); }
      system.errActions.clear({ source: 'parser' });
      return system.specActions.updateJsonSpec(json && typeof json === 'object' ? json : {});
    } } } },
  };
};
window.ui = SwaggerUIBundle({
  url: '/docs/json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  docExpansion: 'none',
  filter: true,
  defaultModelsExpandDepth: -1,
  tryItOutEnabled: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  plugins: [SwaggerUIBundle.plugins.DownloadUrl, quickDocument],
});
`;

const CONSOLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Beckon API console</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css"><link rel="icon" type="image/png" href="/docs/static/favicon-32x32.png">
<style>body { margin: 0; } .back { font: 14px system-ui, sans-serif; padding: 12px 20px 0; max-width: 1460px; margin: 0 auto; }</style>
</head><body><p class="back"><a href="/docs">&larr; API reference</a></p><div id="swagger-ui"></div>
<script src="/docs/static/swagger-ui-bundle.js" charset="utf-8"></script><script src="/docs/static/console.js"></script></body></html>
`;

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

/** A value made on first use and kept; a failure is not kept, so the next request tries again. */
function lazily<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () =>
    (made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    }));
}

export const docsPage: FastifyPluginAsync = async (app) => {
  // The document is made once per process (by @fastify/swagger), and so is everything made from it.
  const document = lazily(async () => Buffer.from(JSON.stringify(app.swagger())));
  const documentVariants = lazily(async () => variantsOf(await document()));
  const reference = lazily(async () => variantsOf(Buffer.from(renderReference(JSON.parse((await document()).toString()) as OpenApiDocument))));
  const hidden = { schema: { hide: true } };

  app.get('/docs', hidden, async (request, reply) => {
    reply.type('text/html; charset=utf-8').header('Content-Security-Policy', REFERENCE_CSP).header('X-Content-Type-Options', 'nosniff');
    return send(request, reply, await reference());
  });
  app.get('/docs/json', hidden, async (request, reply) => {
    reply.type('application/json; charset=utf-8');
    return send(request, reply, await documentVariants());
  });

  const consolePage = variantsOf(Buffer.from(CONSOLE_PAGE));
  const consoleScript = variantsOf(Buffer.from(CONSOLE_SCRIPT));
  app.get('/docs/try', hidden, async (request, reply) => send(request, reply.type('text/html; charset=utf-8'), consolePage));
  app.get('/docs/static/console.js', hidden, async (request, reply) => send(request, reply.type('application/javascript; charset=utf-8'), consoleScript));
  for (const [file, type] of Object.entries(SWAGGER_UI_FILES)) {
    const variants = lazily(async () => variantsOf(await readFile(path.join(SWAGGER_UI_DIST, file))));
    app.get(`/docs/static/${file}`, hidden, async (request, reply) => send(request, reply.type(type), await variants()));
  }
};
