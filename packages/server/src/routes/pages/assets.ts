// The browser bundles: the widget (loaded by product sites from any origin) and the admin app,
// through @fastify/static: ETag and Last-Modified with 304s, the build's .br and .gz files sent as
// they are, and no path outside the bundle's folder.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { assetDir } from '../../assets.js';

/** The admin app loads only its own files; it talks to this origin only. */
const ADMIN_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** A file whose name carries a hash of its content (the widget's chunks), or its .br or .gz: it never changes. */
const CONTENT_HASHED = /\.[0-9a-f]{12}\.js(\.br|\.gz)?$/;
/** The admin app's scripts and stylesheet, named by esbuild with a hash of their content (and their .br, .gz). */
const ADMIN_HASHED = /\.[A-Z0-9]{8}\.(js|css)(\.br|\.gz)?$/;
/** What browsers may keep for good: the file at this name never changes. */
const FOREVER = 'public, max-age=31536000, immutable';

/** Only the built files, by name: no folders, no dotfiles. */
const ASSET_NAME = /^\/[A-Za-z0-9_-][A-Za-z0-9_.-]*\.(js|css|map|json|svg|png)$/;

export interface AssetDirs {
  widget?: string;
  admin?: string;
}

export const assetRoutes: FastifyPluginAsync<AssetDirs> = async (app, dirs) => {
  const widget = dirs.widget ?? assetDir('widget');
  const admin = dirs.admin ?? assetDir('admin');
  const common = { wildcard: true, index: false, decorateReply: false, dotfiles: 'ignore', preCompressed: true, cacheControl: false, allowedPath: (name: string) => ASSET_NAME.test(name) } as const;

  await app.register(fastifyStatic, {
    ...common,
    root: widget,
    prefix: '/widget/',
    setHeaders(reply, file) {
      // Product sites load these cross-origin. The loader's URL is stable, so caches keep it
      // briefly and revalidate; the chunks it names are content-hashed and kept for a year.
      reply
        .header('Access-Control-Allow-Origin', '*')
        .header('Cross-Origin-Resource-Policy', 'cross-origin')
        .header('Cache-Control', CONTENT_HASHED.test(file) ? FOREVER : 'public, max-age=300');
    },
  });

  await app.register(fastifyStatic, {
    ...common,
    root: admin,
    prefix: '/admin/assets/',
    // Hashed names are kept for good (a new build names new files); the rest (the favicon, an
    // unhashed development build) is revalidated by ETag on every use.
    setHeaders: (reply, file) => void reply.header('Cache-Control', ADMIN_HASHED.test(file) ? FOREVER : 'no-cache'),
  });

  // The page names this build's files: always revalidated, answered 304 while it is unchanged.
  const adminPage = async (request: FastifyRequest, reply: FastifyReply) => {
    const page = await readFile(path.join(admin, 'index.html')).catch(() => undefined);
    if (!page) return reply.status(404).type('text/plain').send('The admin app is not built: run `node packages/admin/build.mjs`.');
    const etag = `"${createHash('sha256').update(page).digest('base64url').slice(0, 22)}"`;
    reply.header('Content-Security-Policy', ADMIN_CSP).header('X-Frame-Options', 'DENY').header('Cache-Control', 'no-cache').header('ETag', etag);
    if (request.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) return reply.status(304).send();
    return reply.type('text/html; charset=utf-8').send(page);
  };
  app.get('/admin', { schema: { hide: true } }, adminPage);
  app.get('/admin/*', { schema: { hide: true } }, adminPage);
};
