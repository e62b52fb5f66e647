// Development only (SERVE_DEMO): the demo product site with the script tag, and the widget
// bundle it loads, so a newcomer sees the whole flow from one command.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { asc } from 'drizzle-orm';
import type { FastifyPluginAsync } from 'fastify';
import { workspaces } from '../db/schema.js';

const DEMO_PAGE = fileURLToPath(new URL('../../../../examples/demo-site/index.html', import.meta.url));
const WIDGET_DIST = fileURLToPath(new URL('../../../widget/dist/', import.meta.url));

export const demoRoutes: FastifyPluginAsync = async (app) => {
  app.get('/demo', { schema: { hide: true } }, async (_request, reply) => {
    const [workspace] = await app.db.select({ publicKey: workspaces.publicKey }).from(workspaces).orderBy(asc(workspaces.createdAt)).limit(1);
    const page = (await readFile(DEMO_PAGE, 'utf8')).replaceAll('{{PUBLIC_KEY}}', workspace?.publicKey ?? '').replaceAll('{{API_HOST}}', app.config.publicUrl);
    return reply.type('text/html; charset=utf-8').send(page);
  });

  app.get<{ Params: { file: string } }>('/widget/:file', { schema: { hide: true } }, async (request, reply) => {
    const { file } = request.params;
    if (!/^[a-z0-9.-]+\.js$/.test(file)) return reply.status(404).send({ error: { code: 'not_found', message: 'No such widget file' } });
    const body = await readFile(WIDGET_DIST + file).catch(() => undefined);
    if (!body) return reply.status(404).send({ error: { code: 'widget_not_built', message: 'Run the widget build first' } });
    return reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'no-cache').send(body);
  });
};
