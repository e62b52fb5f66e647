// Development only (SERVE_DEMO): the demo product site with the script tag, so a newcomer sees
// the whole flow from one command.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { firstWorkspace } from '../services/workspaces.js';

const DEMO_PAGE = fileURLToPath(new URL('../../../../examples/demo-site/index.html', import.meta.url));

export const demoRoutes: FastifyPluginAsync = async (app) => {
  app.get('/demo', { schema: { hide: true } }, async (_request, reply) => {
    const workspace = await firstWorkspace(app.db);
    const page = (await readFile(DEMO_PAGE, 'utf8')).replaceAll('{{PUBLIC_KEY}}', workspace?.publicKey ?? '').replaceAll('{{API_HOST}}', app.config.publicUrl);
    return reply.type('text/html; charset=utf-8').send(page);
  });
};
