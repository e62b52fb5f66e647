// Outgoing mail: SMTP when SMTP_URL is set, otherwise the development outbox in the database.
import fp from 'fastify-plugin';
import { createMailer, type Mailer } from '../mail/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer;
  }
}

export const mailerPlugin = fp<{ mailer?: Mailer }>(
  async (app, options) => {
    const { config, db } = app;
    app.decorate('mailer', options.mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, db }));
    app.addHook('onClose', async () => app.mailer.close());
  },
  { name: 'mailer', dependencies: ['database'] },
);
