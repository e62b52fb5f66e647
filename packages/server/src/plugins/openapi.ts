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
        securitySchemes: {
          secretKey: { type: 'http', scheme: 'bearer', description: 'A workspace API key (sk_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'beckon_session', description: 'A signed-in person; changes also need the X-CSRF-Token header from GET /v1/auth/session' },
        },
      },
      tags: [
        { name: 'public', description: 'Called by the widget and the hosted booking page' },
        { name: 'admin', description: 'Called by the admin app and integrators' },
        { name: 'auth', description: 'Signing in and out, sessions, invitations, single sign-on' },
        { name: 'health', description: 'For load balancers and orchestrators' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  },
  { name: 'openapi', dependencies: ['database', 'validation'] },
);
