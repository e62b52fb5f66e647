import { describe, expect, it } from 'vitest';
import { COMMITTED_MIGRATIONS } from '../support/migrations.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openTestDatabase, primaryKind } from '../support/database.js';
import { useTestApp } from '../support/app.js';

describe(`health on ${primaryKind}`, () => {
  const suite = useTestApp();

  it('healthz says the process is up', async () => {
    const { t } = suite;
    const response = await t.app.inject({ url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('readyz says the database is reachable and migrations are current', async () => {
    const { t } = suite;
    const response = await t.app.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      database: primaryKind,
      checks: { database: true, migrations: { applied: COMMITTED_MIGRATIONS, committed: COMMITTED_MIGRATIONS, current: true } },
    });
  });
});

describe(`readiness before migrations on ${primaryKind}`, () => {
  it('readyz answers 503 while migrations are missing, 200 once applied', async () => {
    const database = await openTestDatabase(primaryKind, { migrate: false });
    const app = await buildApp({ config: { ...loadConfig({ LOG_LEVEL: 'silent' }), runWorker: false, serveDemo: false }, database });
    try {
      const before = await app.inject({ url: '/readyz' });
      expect(before.statusCode).toBe(503);
      expect(before.json()).toMatchObject({ status: 'not_ready', checks: { database: true, migrations: { current: false } } });
      await database.migrate();
      expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await database.close();
    }
  });

  it('readyz answers 503 when the database is gone', async () => {
    const database = await openTestDatabase();
    const app = await buildApp({ config: { ...loadConfig({ LOG_LEVEL: 'silent' }), runWorker: false, serveDemo: false }, database });
    await database.close();
    try {
      const response = await app.inject({ url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ status: 'not_ready', checks: { database: false } });
    } finally {
      await app.close();
    }
  });
});
