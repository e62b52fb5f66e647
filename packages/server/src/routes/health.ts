import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthResponse, ReadyResponse } from '@beckon/shared/api';
import { migrationStatus, ping } from '../db/migrations-status.js';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'The process is up', response: { 200: HealthResponse } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'The database is reachable and every committed migration is applied',
        response: { 200: ReadyResponse, 503: ReadyResponse },
      },
    },
    async (_request, reply) => {
      let database = false;
      let migrations = { applied: 0, committed: 0, current: false };
      try {
        await ping(app.db);
        database = true;
        migrations = await migrationStatus(app.db);
      } catch (error) {
        app.log.warn({ err: error }, 'readiness check failed');
      }
      const ready = database && migrations.current;
      return reply.status(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not_ready',
        database: app.database.kind,
        checks: { database, migrations },
      });
    },
  );
};
