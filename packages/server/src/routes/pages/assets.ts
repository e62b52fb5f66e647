// The browser bundles: the widget (loaded by product sites from any origin) and the admin app.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { assetDir } from '../../assets.js';

const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*\.(js|css|map|json|svg|png)$/;
const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/** The admin app loads only its own files; it talks to this origin only. */
const ADMIN_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

async function sendFile(reply: FastifyReply, dir: string, file: string): Promise<FastifyReply> {
  const extension = FILE_NAME.exec(file)?.[1];
  const body = extension ? await readFile(path.join(dir, file)).catch(() => undefined) : undefined;
  if (!body || !extension) return reply.status(404).send({ error: { code: 'asset_not_found', message: `No file ${file}; is the bundle built?` } });
  return reply.type(TYPES[extension]!).send(body);
}

export const assetRoutes: FastifyPluginAsync = async (app) => {
  const widget = assetDir('widget');
  const admin = assetDir('admin');

  app.get<{ Params: { file: string } }>('/widget/:file', { schema: { hide: true } }, async (request, reply) => {
    // Product sites load these cross-origin, the UI chunk as a module; the names are not
    // versioned, so caches keep them only briefly.
    reply.header('Access-Control-Allow-Origin', '*').header('Cache-Control', 'public, max-age=300').header('Cross-Origin-Resource-Policy', 'cross-origin');
    return sendFile(reply, widget, request.params.file);
  });

  app.get<{ Params: { file: string } }>('/admin/assets/:file', { schema: { hide: true } }, async (request, reply) => {
    reply.header('Cache-Control', 'no-cache');
    return sendFile(reply, admin, request.params.file);
  });

  const adminPage = async (_request: unknown, reply: FastifyReply) => {
    const page = await readFile(path.join(admin, 'index.html')).catch(() => undefined);
    if (!page) return reply.status(404).type('text/plain').send('The admin app is not built: run `node packages/admin/build.mjs`.');
    return reply.header('Content-Security-Policy', ADMIN_CSP).header('X-Frame-Options', 'DENY').header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(page);
  };
  app.get('/admin', { schema: { hide: true } }, adminPage);
  app.get('/admin/*', { schema: { hide: true } }, adminPage);
};
