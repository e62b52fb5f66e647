// The key that seals secrets at rest and derives link tokens: ENCRYPTION_KEY, or in development
// a key kept beside the embedded database.
import fp from 'fastify-plugin';
import { loadOrCreateDevKey, SecretBox } from '../security/secrets.js';

declare module 'fastify' {
  interface FastifyInstance {
    secretBox: SecretBox;
  }
}

export const secretsPlugin = fp(
  async (app) => {
    app.decorate('secretBox', new SecretBox(app.config.encryptionKey ?? loadOrCreateDevKey(app.config.dataDir)));
  },
  { name: 'secrets', dependencies: ['database'] },
);
