// buildApp(options): the whole Beckon service as a Fastify instance, without listening.
// Order: the database, then the cross-cutting plugins, then routes grouped by audience.
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import { openDatabase, type Database, type DatabaseHandle } from './db/client.js';
import { createLogger } from './logging.js';
import { installErrorHandling } from './plugins/errors.js';
import { registerOpenApi } from './plugins/openapi.js';
import { installValidation } from './plugins/validation.js';
import { healthRoutes } from './routes/health.js';
import { adminRoutes } from './routes/admin/index.js';
import { publicRoutes } from './routes/public/index.js';
import { demoRoutes } from './routes/demo.js';
import { assetRoutes, type AssetDirs } from './routes/pages/assets.js';
import { JobWorker, type JobHandler } from './services/jobs/worker.js';
import { PublicWorkspaceCache, type Workspace } from './services/workspaces.js';
import type { BusyTimeSource } from './services/availability.js';
import { CapacityCache } from './services/capacity.js';
import { createMailer, type Mailer } from './mail/index.js';
import { notificationHandlers, reconnectHandler } from './services/notifications.js';
import { enqueue } from './services/jobs/queue.js';
import { devOutboxRoutes } from './routes/dev/outbox.js';
import { createCalendarService, type CalendarService } from './calendars/service.js';
import { googleConnectUrl, googleOAuthCallbackRoutes } from './routes/admin/calendars.js';
import { loadOrCreateDevKey, SecretBox } from './security/secrets.js';
import { accountMailHandlers } from './auth/mail.js';
import { authRoutes } from './routes/auth/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: DatabaseHandle;
    db: Database;
    secretBox: SecretBox;
    publicWorkspaces: PublicWorkspaceCache;
    worker: JobWorker;
    /** Calendar busy time; the calendar integrations replace the default. */
    calendars: BusyTimeSource;
    capacity: CapacityCache;
    mailer: Mailer;
    calendarService: CalendarService;
  }
  interface FastifyRequest {
    /** Set on admin routes by the API-key check, and on public routes from the public key. */
    workspace: Workspace;
  }
}

export interface AppOptions {
  config: Config;
  /** An already open database (tests share one); otherwise it is opened from the config and closed with the app. */
  database?: DatabaseHandle;
  /** Where logs go; stdout by default. */
  logStream?: DestinationStream;
  /** Extra job handlers (later features register theirs here). */
  jobHandlers?: Record<string, JobHandler>;
  calendars?: BusyTimeSource;
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
  const ownsDatabase = !options.database;
  const database = options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  if (ownsDatabase) await database.migrate();

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
  });

  app.decorate('config', config);
  app.decorate('database', database);
  app.decorate('db', database.db);
  app.decorate('secretBox', new SecretBox(config.encryptionKey ?? loadOrCreateDevKey(config.dataDir)));
  app.decorate('publicWorkspaces', new PublicWorkspaceCache(database.db));
  const calendarService = options.calendarService ?? createCalendarService({
    db: database.db,
    secretBox: app.secretBox,
    fetchTimeoutMs: config.calendarTimeoutMs,
    caldavAllowPrivateNetworks: config.caldavAllowPrivateNetworks,
    oauth: config.google ? { ...config.google, redirectUri: `${config.publicUrl}/v1/calendars/google/callback` } : undefined,
    googleSendUpdates: config.googleSendUpdates,
    publicUrl: config.publicUrl,
    onBroken: async (broken) => {
      app.log.warn({ connectionId: broken.connectionId }, 'calendar connection broken: access revoked');
      // One reconnect email per connection and day, however often the failure is seen.
      const day = new Date().toISOString().slice(0, 10);
      await enqueue(database.db, { kind: 'mail.calendar_reconnect', payload: { connectionId: broken.connectionId }, dedupeKey: `calendar_reconnect:${broken.connectionId}:${day}` });
    },
  });
  app.decorate('calendarService', calendarService);
  app.decorate('calendars', options.calendars ?? calendarService.busyTimeSource);
  app.decorate('capacity', new CapacityCache(database.db, app.calendars));
  app.decorateRequest('workspace', null as unknown as Workspace);
  app.decorate('mailer', options.mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, db: database.db }));
  const handlers = {
    ...notificationHandlers({ db: database.db, mailer: app.mailer, secretBox: app.secretBox, publicUrl: config.publicUrl, from: config.mailFrom }),
    ...calendarService.jobHandlers,
    ...accountMailHandlers({ db: database.db, mailer: app.mailer, secretBox: app.secretBox, from: config.mailFrom }),
    'mail.calendar_reconnect': reconnectHandler({
      db: database.db,
      mailer: app.mailer,
      secretBox: app.secretBox,
      publicUrl: config.publicUrl,
      from: config.mailFrom,
      googleConnectUrl: (member) => (config.google ? googleConnectUrl(calendarService, member, { ttlMs: 7 * 86_400_000 }) : undefined),
    }),
    ...options.jobHandlers,
  };
  app.decorate('worker', new JobWorker({ db: database.db, log: app.log.child({ component: 'jobs' }), handlers }));

  // All bodies are JSON (API.md); anything else is answered 415 rather than half-parsed.
  app.removeContentTypeParser('text/plain');
  installValidation(app);
  installErrorHandling(app);
  await registerOpenApi(app);
  await app.register(cookie);

  await app.register(healthRoutes);
  await app.register(publicRoutes);
  await app.register(googleOAuthCallbackRoutes, { service: calendarService });
  await app.register(authRoutes);
  await app.register(adminRoutes, { prefix: '/v1/admin' });
  await app.register(assetRoutes, options.assetDirs ?? {});
  if (config.serveDemo) await app.register(demoRoutes);
  // Without SMTP, mail is kept in the database and shown here instead of being sent.
  if (app.mailer.kind === 'outbox') await app.register(devOutboxRoutes);

  // Node closes idle keep-alive connections at shutdown, but a connection whose request is
  // still running becomes idle later and would hold the process until its keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.addHook('onReady', async () => {
    if (config.runWorker) app.worker.start();
  });
  app.addHook('onClose', async () => {
    await app.worker.stop();
    await app.mailer.close();
    if (ownsDatabase) await database.close();
  });
  return app;
}
