// The background worker and the handler of every job kind. It starts when the app is ready
// (unless RUN_WORKER=false) and finishes the jobs in hand when the app closes.
import fp from 'fastify-plugin';
import { accountMailHandlers } from '../auth/mail.js';
import { googleConnectUrl } from '../calendars/google-oauth-state.js';
import { microsoftConnectUrl } from '../calendars/microsoft-oauth-state.js';
import type { JobHandlers } from '../jobs/kinds.js';
import { JobWorker } from '../jobs/worker.js';
import { autopilotHandlers, scheduleAutopilotCheck } from '../services/autopilot-alerts.js';
import { webhookHandlers } from '../integrations/webhooks.js';
import { slackHandlers } from '../integrations/slack.js';
import { payoutHandlers, workspacePayoutProviders } from '../integrations/payouts.js';
import { notificationHandlers, reconnectHandler, zoomReconnectHandler } from '../services/notifications.js';

declare module 'fastify' {
  interface FastifyInstance {
    worker: JobWorker;
  }
}

export const jobsPlugin = fp<{ jobHandlers?: Partial<JobHandlers> }>(
  async (app, options) => {
    const { config, db, calendarService } = app;
    const mailDeps = { db, mailer: app.mailer, secretBox: app.secretBox, publicUrl: config.publicUrl, from: config.mailFrom };
    const handlers: JobHandlers = {
      ...notificationHandlers(mailDeps),
      ...calendarService.jobHandlers,
      ...app.zoom.jobHandlers,
      ...webhookHandlers({ ...mailDeps, from: config.mailFrom, allowPrivateNetworks: config.webhooksAllowPrivateNetworks }),
      ...slackHandlers({ db, secretBox: app.secretBox, publicUrl: config.publicUrl, allowPrivateNetworks: config.webhooksAllowPrivateNetworks }),
      ...payoutHandlers({ db, providerFor: workspacePayoutProviders({ db, secretBox: app.secretBox, serverDefault: config.tremendous, apiUrls: config.tremendousApiUrls }) }),
      ...accountMailHandlers({ db, mailer: app.mailer, secretBox: app.secretBox, from: config.mailFrom }),
      ...autopilotHandlers({ db, mailer: app.mailer, calendars: app.busyTime, publicUrl: config.publicUrl, from: config.mailFrom }),
      'mail.calendar_reconnect': reconnectHandler({
        ...mailDeps,
        googleConnectUrl: (member) => (config.google ? googleConnectUrl(calendarService, member, { ttlMs: 7 * 86_400_000 }) : undefined),
        microsoftConnectUrl: (member) => (calendarService.options.microsoft?.oauth ? microsoftConnectUrl(calendarService, member, { ttlMs: 7 * 86_400_000 }) : undefined),
      }),
      'mail.zoom_reconnect': zoomReconnectHandler({ ...mailDeps, zoomConnectUrl: (member) => (app.zoom.configured ? app.zoom.connectUrl(member, 7 * 86_400_000) : undefined) }),
    };
    app.decorate('worker', new JobWorker({ db, log: app.log.child({ component: 'jobs' }), handlers: { ...handlers, ...options.jobHandlers } }));
    app.addHook('onReady', async () => {
      if (!config.runWorker) return;
      // The autopilot's hourly check: this hour's, unless a process already enqueued it.
      await scheduleAutopilotCheck(db, new Date());
      app.worker.start();
    });
    app.addHook('onClose', async () => app.worker.stop());
  },
  { name: 'jobs', dependencies: ['database', 'secrets', 'mailer', 'calendars', 'zoom'] },
);
