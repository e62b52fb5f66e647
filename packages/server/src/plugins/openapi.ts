// The OpenAPI document is generated from the same TypeBox schemas that validate requests, so
// it cannot drift from what the server accepts. JSON at /docs/json, a browsable page at /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

export const openApiPlugin = fp(
  async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Beckon API',
        version: '1',
        description:
          'Public routes serve the widget and the hosted booking page; admin routes take `Authorization: Bearer <secret key>`. ' +
          'Errors are `{ "error": { "code", "message", "field"? } }`. Instants are ISO 8601 UTC; zones are IANA names.',
      },
      servers: [{ url: app.config.publicUrl }],
      components: {
        securitySchemes: { secretKey: { type: 'http', scheme: 'bearer', description: 'A workspace secret key (sk_…)' } },
      },
      tags: [
        { name: 'public', description: 'Called by the widget and the hosted booking page' },
        { name: 'admin', description: 'Called by the admin app and integrators' },
        { name: 'health', description: 'For load balancers and orchestrators' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  },
  { name: 'openapi', dependencies: ['database', 'validation'] },
);
