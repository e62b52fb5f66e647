// The real Beckon server for the browser tests: buildApp on a test database of this run's primary
// kind (the server's test/support/database.ts: a PostgreSQL database when the server is there,
// which costs the browser files far less CPU than PGlite running in the test's own process, else
// an in-memory PGlite; either a copy of this run's migrated template), listening on
// 127.0.0.1, serving this run's widget build (the server's test/support/widget-build.ts) at /widget/<file>.js. Workspaces,
// interviewers and studies are created through the admin API, as a PM would.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { inject } from 'vitest';
import { buildApp, type App } from '../../../server/src/app.js';
import { loadConfig } from '../../../server/src/config.js';
import type { DatabaseHandle } from '../../../server/src/db/client.js';
import { SecretBox } from '../../../server/src/security/secrets.js';
import { createWorkspace, type WorkspaceSecrets } from '../../../server/src/services/seed.js';
import { openTestDatabase } from '../../../server/test/support/database.js';

export interface Beckon {
  app: App;
  database: DatabaseHandle;
  origin: string;
  workspace(allowedOrigins: string[]): Promise<Workspace>;
  /** Rows of a SQL query on the server's database (values interpolated by the test: its own ids only). */
  query(text: string): Promise<Record<string, any>[]>;
  /** Requires identity verification in the workspace, with this identity secret. */
  requireIdentity(workspaceId: string, secret: string): Promise<void>;
  close(): Promise<void>;
}

export interface Workspace extends WorkspaceSecrets {
  admin(method: string, url: string, payload?: unknown): Promise<any>;
  /** An interviewer free every day, all day, in UTC (so a slot exists whenever the test runs). */
  host(name: string): Promise<string>;
  study(hostIds: string[], fields: Record<string, unknown>): Promise<{ id: string; slug: string }>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function startBeckon(): Promise<Beckon> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const config = {
    ...loadConfig({ LOG_LEVEL: 'warn', PUBLIC_URL: origin }),
    encryptionKey: randomBytes(32),
    serveDemo: true,
    seedDemo: false,
    runWorker: true,
    publicRateLimit: 100_000,
  };
  const database = await openTestDatabase();
  const app = await buildApp({ config, database, assetDirs: { widget: inject('widgetBuild') } });
  await app.listen({ host: '127.0.0.1', port });
  const box = new SecretBox(config.encryptionKey);
  const query = async (text: string) => ((await database.db.execute(text)) as unknown as { rows: Record<string, any>[] }).rows;

  return {
    app,
    database,
    origin,
    async workspace(allowedOrigins) {
      const secrets = await createWorkspace(database.db, box, { name: 'Acme', allowedOrigins });
      const admin = async (method: string, url: string, payload?: unknown) => {
        const r = await app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${secrets.secretKey}` }, payload: payload as object });
        if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
        return r.json();
      };
      return {
        ...secrets,
        admin,
        async host(name) {
          const member = await admin('POST', '/v1/admin/members', { email: `${name.toLowerCase()}.${randomBytes(3).toString('hex')}@acme.test`, name, timeZone: 'UTC' });
          await admin('PUT', `/v1/admin/members/${member.id}/availability`, {
            timeZone: 'UTC',
            weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
            overrides: [],
            bufferBeforeMinutes: 0,
            bufferAfterMinutes: 0,
            minimumNoticeMinutes: 0,
            bookingWindowDays: 14,
            maxPerDay: null,
            maxPerWeek: null,
          });
          return member.id;
        },
        study: (hostIds, fields) =>
          admin('POST', '/v1/admin/studies', {
            name: 'Onboarding interviews',
            status: 'live',
            intercept: { title: 'Got 20 minutes to talk to us?', body: 'You joined recently. Tell us what made you sign up and how the first days went.', acceptLabel: 'Sure, pick a time' },
            incentive: { kind: 'gift_card', amountCents: 2500, currency: 'USD', description: 'a $25 gift card' },
            hostIds,
            bookingWindowDays: 14,
            minimumNoticeMinutes: 0,
            meetingLocation: { kind: 'video_url', details: 'https://meet.example.test/acme' },
            ...fields,
          }),
      };
    },
    async requireIdentity(workspaceId, secret) {
      const sealed = box.seal(secret).replace(/'/g, "''");
      await query(`update workspaces set require_identity_verification = true, identity_secret_encrypted = '${sealed}' where id = '${workspaceId}'`);
    },
    query,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
