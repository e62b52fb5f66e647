import { Writable } from 'node:stream';
import { buildApp, type App, type AppOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { createWorkspace, type WorkspaceSecrets } from '../../src/services/seed.js';
import { SecretBox } from '../../src/security/secrets.js';
import { randomBytes } from 'node:crypto';

export interface TestApp {
  app: App;
  config: Config;
  /** Everything the app logged, as raw JSON lines. */
  logs: string[];
  workspace: WorkspaceSecrets;
  /** Authorization header for the workspace's admin API. */
  auth: { authorization: string };
}

export const TEST_ORIGIN = 'https://app.acme.test';

export async function buildTestApp(database: DatabaseHandle, overrides: Partial<Config> = {}, appOptions: Partial<AppOptions> = {}): Promise<TestApp> {
  const config: Config = {
    ...loadConfig({ LOG_LEVEL: 'info', PUBLIC_URL: 'http://beckon.test' }),
    encryptionKey: randomBytes(32),
    runWorker: false,
    serveDemo: false,
    seedDemo: false,
    ...overrides,
  };
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const app = await buildApp({ config, database, logStream, ...appOptions });
  await app.ready();
  const workspace = await createWorkspace(database.db, new SecretBox(config.encryptionKey!), { name: 'Acme', allowedOrigins: [TEST_ORIGIN] });
  return { app, config, logs, workspace, auth: { authorization: `Bearer ${workspace.secretKey}` } };
}
