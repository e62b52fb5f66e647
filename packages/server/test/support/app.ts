import { Writable } from 'node:stream';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type App, type AppOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { createWorkspace, type WorkspaceSecrets } from '../../src/services/seed.js';
import { SecretBox } from '../../src/security/secrets.js';
import { randomBytes } from 'node:crypto';
import { openTestDatabase, type DatabaseKind } from './database.js';

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

export interface UseTestAppOptions {
  /** The database to open; the suite's primary kind by default. */
  kind?: DatabaseKind;
  /** Config overrides, as for buildTestApp. */
  overrides?: Partial<Config>;
  /** App options, as for buildTestApp. */
  appOptions?: Partial<AppOptions>;
}

export interface TestSuite {
  /** The app, set once the suite's set-up has run: read it in tests and later hooks. */
  readonly t: TestApp;
  /** The app's database, set like `t`. */
  readonly database: DatabaseHandle;
}

/**
 * One app on a fresh test database for the surrounding describe: opens the database and builds
 * the app in a beforeAll, closes the app then the database in an afterAll. Call it before the
 * suite's own beforeAll hooks that use the app (vitest runs them in the order registered).
 * Options that depend on earlier set-up (a server's port, a built folder) can be given as a
 * function; it is called when the set-up runs.
 */
export function useTestApp(options: UseTestAppOptions | (() => UseTestAppOptions) = {}): TestSuite {
  let t: TestApp | undefined;
  let database: DatabaseHandle | undefined;
  beforeAll(async () => {
    const { kind, overrides, appOptions } = typeof options === 'function' ? options() : options;
    database = await openTestDatabase(kind);
    t = await buildTestApp(database, overrides, appOptions);
  });
  afterAll(async () => {
    try {
      await t?.app.close();
    } finally {
      await database?.close();
    }
  });
  const notYet = (what: string) => new Error(`useTestApp: the ${what} is not set up yet; read it in tests or in a beforeAll registered after useTestApp`);
  return {
    get t() {
      if (!t) throw notYet('app');
      return t;
    },
    get database() {
      if (!database) throw notYet('database');
      return database;
    },
  };
}
