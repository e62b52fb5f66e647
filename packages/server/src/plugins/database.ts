// The configuration and the database, decorated once for everything registered after.
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { openDatabase, type Database, type DatabaseHandle } from '../db/client.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: DatabaseHandle;
    db: Database;
  }
}

export interface DatabasePluginOptions {
  config: Config;
  /** An already open database (tests share one); otherwise it is opened, migrated and closed with the app. */
  database?: DatabaseHandle;
}

export const databasePlugin = fp<DatabasePluginOptions>(
  async (app, { config, database: given }) => {
    const database = given ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
    if (!given) await database.migrate();
    app.decorate('config', config);
    app.decorate('database', database);
    app.decorate('db', database.db);
    // Registered first, so closed last: everything else's onClose still has the database.
    if (!given) app.addHook('onClose', async () => database.close());
  },
  { name: 'database' },
);
