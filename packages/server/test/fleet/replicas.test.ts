// Beckon as a fleet: three server processes on one PostgreSQL database, as behind a load
// balancer. A race spread over them has one winner, a change made through one is served by the
// others at once, the public rate limit counts across all three, and every email goes out once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_ORIGIN, type TestApp } from '../support/app.js';
import { openTestDatabase, primaryKind, type TestDatabase } from '../support/database.js';
import { freePort, waitFor } from '../support/process.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { createHost, createLiveStudy, participant } from '../support/studies.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const REPLICAS = 3;
const RATE_LIMIT = 60;

interface Replica {
  url: string;
  process: ChildProcess;
  output: () => string;
}

async function startReplica(env: Record<string, string>): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: REPO,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { url: `http://127.0.0.1:${port}`, process: child, output: () => output };
}

/** A request from another loopback address: the rate limit counts per client address. */
function getFrom(localAddress: string, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { localAddress, headers: { origin: TEST_ORIGIN } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
  });
}

describe.skipIf(primaryKind !== 'postgres')('three replicas on one PostgreSQL', () => {
  let database: TestDatabase;
  let t: TestApp;
  let smtp: TestSmtp;
  const replicas: Replica[] = [];
  let study: { id: string };

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    const encryptionKey = randomBytes(32);
    t = await buildTestApp(database, { encryptionKey });
    smtp = await startSmtp();
    const host = await createHost(t, { name: 'Ada', timeZone: 'UTC', weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })) });
    study = await createLiveStudy(t, [host]);
    const env = {
      DATABASE_URL: database.url!,
      ENCRYPTION_KEY: encryptionKey.toString('base64'),
      PUBLIC_URL: 'http://beckon.test',
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      SEED_DEMO: 'false',
      SERVE_DEMO: 'false',
      LOG_LEVEL: 'warn',
      PUBLIC_RATE_LIMIT: String(RATE_LIMIT),
    };
    replicas.push(...(await Promise.all(Array.from({ length: REPLICAS }, () => startReplica(env)))));
    for (const replica of replicas) {
      await waitFor(async () => (await fetch(`${replica.url}/readyz`)).ok, 120_000).catch(() => {
        throw new Error(`replica at ${replica.url} did not start:\n${replica.output()}`);
      });
    }
  }, 180_000);

  afterAll(async () => {
    for (const replica of replicas) replica.process.kill('SIGTERM');
    await Promise.all(replicas.map((replica) => new Promise((resolve) => (replica.process.exitCode !== null ? resolve(null) : replica.process.once('exit', resolve)))));
    await t?.app.close();
    await smtp?.close();
    await database?.close();
  }, 60_000);

  const configOf = async (replica: Replica) => (await (await fetch(`${replica.url}/v1/w/${t.workspace.publicKey}/config`, { headers: { origin: TEST_ORIGIN } })).json()) as { studies: { id: string; intercept: { title: string } }[] };

  it('serves a study changed through one replica changed by the others within a second', async () => {
    // Every replica has the config in its cache first.
    for (const replica of replicas) expect((await configOf(replica)).studies.find((s) => s.id === study.id)?.intercept.title).toBe('Got 20 minutes to talk to us?');
    const title = 'Tell us about your week';
    const changed = await fetch(`${replicas[0]!.url}/v1/admin/studies/${study.id}`, {
      method: 'PATCH',
      headers: { ...t.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ intercept: { title, body: 'Twenty minutes, on video.' } }),
    });
    expect(changed.status).toBe(200);
    const changedAt = Date.now();
    // The cached body lives 10 s; only the announcement can make the others see it sooner.
    for (const replica of replicas.slice(1)) {
      await waitFor(async () => (await configOf(replica)).studies.find((s) => s.id === study.id)?.intercept.title === title, 1_000);
    }
    expect(Date.now() - changedAt).toBeLessThan(10_000);
  });

  it('gives a race for one slot spread over the replicas one winner, and sends each email once', async () => {
    const slots = (await (await fetch(`${replicas[0]!.url}/v1/w/${t.workspace.publicKey}/studies/${study.id}/slots?tz=UTC`, { headers: { origin: TEST_ORIGIN } })).json()) as { slots: { start: string }[] };
    const start = slots.slots[0]!.start;
    const people = Array.from({ length: 30 }, () => participant());
    const statuses = await Promise.all(
      people.map(async (person, i) => {
        const response = await fetch(`${replicas[i % REPLICAS]!.url}/v1/w/${t.workspace.publicKey}/studies/${study.id}/bookings`, {
          method: 'POST',
          headers: { origin: TEST_ORIGIN, 'content-type': 'application/json' },
          body: JSON.stringify({ start, participant: person, consent: true }),
        });
        return response.status;
      }),
    );
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(29);

    const winner = people[statuses.indexOf(201)]!;
    // Three workers poll the same jobs table: the confirmation and the host's notice arrive...
    await waitFor(async () => smtp.received.some((mail) => mail.to.includes(winner.email)) && smtp.received.length >= 2, 30_000);
    // ...and nothing arrives twice, however long the workers keep polling.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const sent = smtp.received.map((mail) => `${mail.to.join(',')} ${/^Subject: (.*)$/m.exec(mail.raw)?.[1]}`);
    expect(sent.filter((line) => line.startsWith(winner.email))).toHaveLength(1);
    expect(new Set(sent).size).toBe(sent.length);
  }, 60_000);

  it('counts the public rate limit across all replicas', async () => {
    const statuses: number[] = [];
    // One client (its own loopback address) spreads its requests over the three.
    for (let i = 0; i < RATE_LIMIT + 15; i++) statuses.push(await getFrom('127.0.0.7', `${replicas[i % REPLICAS]!.url}/v1/w/${t.workspace.publicKey}/config`));
    expect(statuses.filter((status) => status === 200)).toHaveLength(RATE_LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
  }, 60_000);
});
