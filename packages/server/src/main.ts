// The process: configuration, app, listener, and a graceful stop on SIGTERM/SIGINT.
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { demoBanner, seedIfEmpty } from './services/demo-banner.js';

function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await buildApp({ config });
  const demo = config.seedDemo ? await seedIfEmpty(app.db, app.secretBox, config.publicUrl) : undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping: no new connections, finishing requests and jobs in flight');
    const timer = setTimeout(() => {
      app.log.error('graceful stop took too long; exiting');
      process.exit(1);
    }, 25_000);
    timer.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ host: config.host, port: config.port });
  const base = config.publicUrl;
  const lines = [
    '',
    `  Beckon is running (${app.database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
    '',
    ...(config.serveDemo ? [`  Demo product site  ${base}/demo`] : []),
    `  Admin app          ${base}/admin`,
    `  API docs           ${base}/docs`,
    ...(app.mailer.kind === 'outbox' ? [`  Mail outbox        ${base}/dev/outbox   (no SMTP_URL: emails are kept here)`] : []),
    ...(demo ? await demoBanner(app.db, config.publicUrl, demo, app.mailer.kind === 'outbox') : []),
    '',
  ];
  // The banner is for the person at the terminal, not for the log pipeline.
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
