// buildApp(options): the whole Beckon service as a Fastify instance, without listening.
// It registers plugins (each declares what it depends on), then routes grouped by audience;
// what the plugins decorate is declared beside them in plugins/.
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { CalendarService } from './calendars/service.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/client.js';
import type { JobHandlers } from './jobs/kinds.js';
import { createLogger } from './logging.js';
import type { Mailer } from './mail/index.js';
import { cachesPlugin } from './plugins/caches.js';
import { calendarsPlugin } from './plugins/calendars.js';
import { databasePlugin } from './plugins/database.js';
import { errorsPlugin } from './plugins/errors.js';
import { inputGuardPlugin } from './plugins/input-guard.js';
import { jobsPlugin } from './plugins/jobs.js';
import { mailerPlugin } from './plugins/mailer.js';
import { openApiPlugin } from './plugins/openapi.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { secretsPlugin } from './plugins/secrets.js';
import { shutdownPlugin } from './plugins/shutdown.js';
import { lazySerializers, validationPlugin } from './plugins/validation.js';
import { zoomPlugin } from './plugins/zoom.js';
import { adminRoutes } from './routes/admin/index.js';
import { authRoutes } from './routes/auth/index.js';
import { demoRoutes } from './routes/demo.js';
import { devOutboxRoutes } from './routes/dev/outbox.js';
import { healthRoutes } from './routes/health.js';
import { assetRoutes, type AssetDirs } from './routes/pages/assets.js';
import { participantPages } from './routes/pages/participant.js';
import { teamPages } from './routes/pages/team.js';
import { googleOAuthCallbackRoutes } from './routes/public/google-callback.js';
import { microsoftOAuthCallbackRoutes } from './routes/public/microsoft-callback.js';
import { publicRoutes } from './routes/public/index.js';
import { zoomCallbackRoutes } from './routes/public/zoom-callback.js';
// What the plugins add to Fastify (db, worker, secretBox…) is declared beside each of them; these
// bare imports carry those declarations into app.d.ts, which the admin, widget and bench projects
// type-check against (project references), so that App means the same there.
import './auth/guard.js';
import './plugins/caches.js';
import './plugins/calendars.js';
import './plugins/database.js';
import './plugins/jobs.js';
import './plugins/mailer.js';
import './plugins/secrets.js';
import './plugins/zoom.js';

export interface AppOptions {
  config: Config;
  /** An already open database (tests share one); otherwise it is opened from the config and closed with the app. */
  database?: DatabaseHandle;
  /** Where logs go; stdout by default. */
  logStream?: DestinationStream;
  /** Handlers that replace or add to the app's own (tests). */
  jobHandlers?: Partial<JobHandlers>;
  /** An already built calendar service (tests share one with their emulations). */
  calendarService?: CalendarService;
  /** Replaces the mailer built from the config (SMTP, or the development outbox). */
  mailer?: Mailer;
  /** Where the built browser bundles are; by default beside the server (see assets.ts). */
  assetDirs?: AssetDirs;
}

export type App = FastifyInstance;

export async function buildApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const app = Fastify({
    loggerInstance: createLogger(config.logLevel, options.logStream),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // Keep-alive connections with nothing in flight are closed at shutdown; busy ones finish.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
    // Responses are serialized by schema; formats are for validating input, not output.
    serializerOpts: { ajv: { validateFormats: false } },
    schemaController: { compilersFactory: { buildSerializer: lazySerializers } },
    // Opening the embedded database and applying migrations can outlast the default 10 s on a busy machine.
    pluginTimeout: 120_000,
  });
  // All bodies are JSON (API.md); anything else is answered 415 rather than half-parsed.
  app.removeContentTypeParser('text/plain');

  await app.register(databasePlugin, { config, database: options.database });
  await app.register(secretsPlugin);
  await app.register(mailerPlugin, { mailer: options.mailer });
  await app.register(calendarsPlugin, { calendarService: options.calendarService });
  await app.register(zoomPlugin);
  await app.register(cachesPlugin);
  await app.register(jobsPlugin, { jobHandlers: options.jobHandlers });
  await app.register(validationPlugin);
  await app.register(inputGuardPlugin);
  await app.register(errorsPlugin);
  await app.register(rateLimitPlugin);
  await app.register(openApiPlugin);
  await app.register(shutdownPlugin);

  await app.register(healthRoutes);
  await app.register(publicRoutes);
  await app.register(googleOAuthCallbackRoutes);
  await app.register(microsoftOAuthCallbackRoutes);
  await app.register(zoomCallbackRoutes);
  await app.register(participantPages);
  await app.register(teamPages);
  await app.register(authRoutes);
  await app.register(adminRoutes, { prefix: '/v1/admin' });
  await app.register(assetRoutes, options.assetDirs ?? {});
  if (config.serveDemo) await app.register(demoRoutes);
  // Without SMTP, mail is kept in the database and shown here instead of being sent.
  if (app.mailer.kind === 'outbox') await app.register(devOutboxRoutes);
  return app;
}
