// Signed webhooks end to end: a booking's life (created, rescheduled, attended) reaches a real
// HTTP receiver on loopback as Standard Webhooks that the `standardwebhooks` library verifies,
// once each and in order, also when the receiver was down for a while; the delivery log, replay,
// the event filter, the admin API's checks, the private-network guard, and the endpoint turned
// off (its owners emailed) after a day of failures.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs, webhookDeliveries, webhookEndpoints } from '../../src/db/schema.js';
import { webhookHandlers } from '../../src/integrations/webhooks.js';
import type { ClaimedJob } from '../../src/jobs/kinds.js';
import { bookingDeps, markOutcome } from '../../src/services/booking.js';
import { emitWebhook } from '../../src/integrations/webhooks.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';
import { freePort } from '../support/process.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';
import { latestMailTo, personWithRole } from '../auth/support.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback that can be taken down and brought back on the same port. */
class Receiver {
  received: Received[] = [];
  private server: Server | undefined;
  constructor(readonly port: number) {}
  get url() {
    return `http://127.0.0.1:${this.port}/hooks/beckon`;
  }
  async up(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    server?.closeAllConnections();
  }
}

describe('signed webhooks', () => {
  const suite = useTestApp();
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = new Receiver(await freePort());
    await receiver.up();
  });
  afterAll(async () => receiver.down());

  const admin = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    suite.t.app.inject({ method, url: `/v1/admin${url}`, headers: suite.t.auth, ...(payload ? { payload } : {}) });

  async function bookOne() {
    const { t } = suite;
    const host = await createHost(t, { name: 'Hook Host', timeZone: 'Europe/Berlin' });
    const study = await createLiveStudy(t, [host]);
    const day = upcomingDate('Europe/Berlin', 2);
    const start = instantOf(day, '10:00', 'Europe/Berlin');
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/w/${t.workspace.publicKey}/studies/${study.id}/bookings`,
      headers: { origin: TEST_ORIGIN },
      payload: { start, consent: true, participant: participant(), answers: {} },
    });
    expect(response.statusCode).toBe(201);
    const { booking } = response.json();
    return { booking: booking as { id: string; manageUrl: string }, start, day, study };
  }

  it('refuses endpoints that are not https (http only to localhost) and answers the secret once', async () => {
    const plain = await admin('POST', '/webhook-endpoints', { url: 'http://hooks.example.com/beckon' });
    expect(plain.statusCode).toBe(400);
    expect(plain.json().error.field).toBe('url');
    const unknownEvent = await admin('POST', '/webhook-endpoints', { url: 'https://hooks.example.com/beckon', events: ['booking.exploded'] });
    expect(unknownEvent.statusCode).toBe(400);

    const created = await admin('POST', '/webhook-endpoints', { url: 'https://hooks.example.com/beckon', description: 'CRM' });
    expect(created.statusCode).toBe(201);
    const { secret, ...endpoint } = created.json();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({ url: 'https://hooks.example.com/beckon', description: 'CRM', events: [], enabled: true });
    const read = await admin('GET', `/webhook-endpoints/${endpoint.id}`);
    expect(read.json()).toEqual(endpoint);
    expect(JSON.stringify((await admin('GET', '/webhook-endpoints')).json())).not.toContain(secret);
    const [row] = await suite.database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row!.secretSealed).not.toContain(secret.slice(6, 20));
    expect(suite.t.app.secretBox.open(row!.secretSealed)).toBe(secret);
    expect((await admin('DELETE', `/webhook-endpoints/${endpoint.id}`)).statusCode).toBe(204);
    expect((await admin('GET', `/webhook-endpoints/${endpoint.id}`)).statusCode).toBe(404);
  });

  it("delivers a booking's life to a real receiver, verified, once each and in order, also after the receiver was down", async () => {
    const { t, database } = suite;
    const created = await admin('POST', '/webhook-endpoints', { url: receiver.url, events: ['booking.created', 'booking.rescheduled', 'booking.attended'] });
    expect(created.statusCode).toBe(201);
    const { id: endpointId, secret } = created.json();
    receiver.received = [];

    const { booking, day } = await bookOne();
    await t.app.worker.runOnce();
    expect(receiver.received).toHaveLength(1);

    // The receiver goes down; the booking moves and is attended meanwhile.
    await receiver.down();
    const token = booking.manageUrl.split('/').pop()!;
    const newStart = instantOf(day, '14:00', 'Europe/Berlin');
    expect((await t.app.inject({ method: 'POST', url: `/v1/bookings/${token}/reschedule`, payload: { start: newStart } })).statusCode).toBe(200);
    await t.app.worker.runOnce();
    await markOutcome(bookingDeps(t.app), t.workspace.workspaceId, booking.id, 'completed', new Date(Date.parse(newStart) + 30 * 60_000));
    await t.app.worker.runOnce();
    const waiting = await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId)).orderBy(webhookDeliveries.id);
    expect(waiting.map((d) => [d.type, d.status])).toEqual([
      ['booking.created', 'delivered'],
      ['booking.rescheduled', 'pending'],
      ['booking.attended', 'pending'],
    ]);
    // The attended event waits behind the rescheduled one rather than overtaking it.
    expect(waiting[1]!.attempts).toBeGreaterThanOrEqual(2);
    expect(waiting[2]!.attempts).toBe(0);
    expect(waiting[1]!.lastError).toBe('could not connect');

    // Back up: the retry (due after the backoff) delivers both, in order.
    await receiver.up();
    for (let i = 0; i < 3; i++) await t.app.worker.runOnce(new Date(Date.now() + 3_600_000));
    await t.app.worker.runOnce(new Date(Date.now() + 7_200_000));

    const events = receiver.received.map(({ headers, body }) => {
      const verified = new Webhook(secret).verify(body, headers as Record<string, string>) as { type: string; data: { booking: { id: string; start: string }; previousStart?: string } };
      return { id: headers['webhook-id'], ...verified };
    });
    expect(events.map((e) => e.type)).toEqual(['booking.created', 'booking.rescheduled', 'booking.attended']);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    expect(events.every((e) => e.data.booking.id === booking.id)).toBe(true);
    expect(events[1]!.data.booking.start).toBe(newStart);
    expect(events[1]!.data.previousStart).toBe(instantOf(day, '10:00', 'Europe/Berlin'));
    // A tampered body does not verify.
    expect(() => new Webhook(secret).verify(receiver.received[0]!.body.replace('booking', 'bookinG'), receiver.received[0]!.headers as Record<string, string>)).toThrow();

    // The log: each delivered, with the answer's status and latency.
    const log = (await admin('GET', `/webhook-endpoints/${endpointId}/deliveries`)).json().deliveries as { id: number; type: string; status: string; responseStatus: number; latencyMs: number; attempts: number; messageId: string }[];
    expect(log.map((d) => [d.type, d.status, d.responseStatus])).toEqual([
      ['booking.attended', 'delivered', 204],
      ['booking.rescheduled', 'delivered', 204],
      ['booking.created', 'delivered', 204],
    ]);
    expect(log.every((d) => d.latencyMs >= 0 && d.latencyMs < 5_000)).toBe(true);

    // Replay sends the same message (same webhook-id) once more.
    const replay = await admin('POST', `/webhook-endpoints/${endpointId}/deliveries/${log[2]!.id}/replay`);
    expect(replay.statusCode).toBe(201);
    await t.app.worker.runOnce();
    expect(receiver.received).toHaveLength(4);
    expect(receiver.received[3]!.headers['webhook-id']).toBe(log[2]!.messageId);
    await t.app.worker.runOnce(new Date(Date.now() + 86_400_000));
    expect(receiver.received).toHaveLength(4);
    await admin('DELETE', `/webhook-endpoints/${endpointId}`);
  });

  it('sends only the events an endpoint asked for', async () => {
    const { t } = suite;
    const created = await admin('POST', '/webhook-endpoints', { url: receiver.url, events: ['booking.cancelled'] });
    const { id: endpointId } = created.json();
    receiver.received = [];
    const { booking } = await bookOne();
    await admin('POST', `/bookings/${booking.id}/cancel`);
    await t.app.worker.runOnce();
    expect(receiver.received.map((r) => JSON.parse(r.body).type)).toEqual(['booking.cancelled']);
    expect(JSON.parse(receiver.received[0]!.body).data.cancelledBy).toBe('host');
    await admin('DELETE', `/webhook-endpoints/${endpointId}`);
  });

  it('turns an endpoint off after 24 hours of failures, marks what waits failed and emails the owners', async () => {
    const { t, database } = suite;
    const owner = await personWithRole(t, 'owner');
    const created = await admin('POST', '/webhook-endpoints', { url: 'http://127.0.0.1:9/nobody-listens' });
    const { id: endpointId } = created.json();
    await emitWebhook(database.db, t.workspace.workspaceId, { type: 'participant.opted_out', userId: 'user-1', optedOutAt: new Date() });
    await emitWebhook(database.db, t.workspace.workspaceId, { type: 'participant.opted_out', userId: 'user-2', optedOutAt: new Date() });
    let clock = new Date();
    const handlers = webhookHandlers({ db: database.db, secretBox: t.app.secretBox, mailer: t.app.mailer, from: t.config.mailFrom, publicUrl: t.config.publicUrl, allowPrivateNetworks: true, now: () => clock });
    const deliver = () => handlers['webhook.deliver']({ id: 0, kind: 'webhook.deliver', payload: { endpointId }, attempts: 1, maxAttempts: 8 } as ClaimedJob<'webhook.deliver'>);
    await deliver();
    clock = new Date(clock.getTime() + 23 * 3_600_000);
    await deliver();
    expect((await admin('GET', `/webhook-endpoints/${endpointId}`)).json().enabled).toBe(true);
    clock = new Date(clock.getTime() + 3_600_000);
    await deliver();
    const endpoint = (await admin('GET', `/webhook-endpoints/${endpointId}`)).json();
    expect(endpoint.enabled).toBe(false);
    expect(endpoint.disabledReason).toMatch(/24 hours/);
    const log = (await admin('GET', `/webhook-endpoints/${endpointId}/deliveries`)).json().deliveries as { status: string; attempts: number }[];
    expect(log.map((d) => [d.status, d.attempts])).toEqual([
      ['failed', 0],
      ['failed', 3],
    ]);
    const mail = await latestMailTo(t, owner.email);
    expect(mail?.subject).toBe('Beckon stopped sending webhooks to 127.0.0.1:9');
    // Turning it on again resumes: the replayed delivery is tried.
    expect((await admin('PATCH', `/webhook-endpoints/${endpointId}`, { enabled: true })).json()).toMatchObject({ enabled: true, disabledReason: null });
    expect(await database.db.select().from(jobs).where(eq(jobs.kind, 'webhook.deliver'))).not.toHaveLength(0);
  });

  it("keeps the events but not the person when a participant is erased", async () => {
    const { t, database } = suite;
    await receiver.down(); // nothing is delivered yet: the waiting deliveries are what is scrubbed
    const created = await admin('POST', '/webhook-endpoints', { url: receiver.url });
    const { id: endpointId } = created.json();
    const { booking } = await bookOne();
    const [row] = await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));
    const email = (row!.payload as { data: { booking: { participant: { email: string } } } }).data.booking.participant.email;
    expect((await admin('POST', '/participants/erase', { email })).statusCode).toBe(200);
    const rows = await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId)).orderBy(webhookDeliveries.id);
    expect(rows.map((r) => r.type)).toEqual(['booking.created', 'booking.cancelled']);
    expect(JSON.stringify(rows.map((r) => r.payload))).not.toContain(email);
    expect((rows[1]!.payload as { data: { booking: { id: string; participant: object } } }).data.booking).toMatchObject({ id: booking.id, participant: { email: null, name: null, userId: null } });
    await admin('DELETE', `/webhook-endpoints/${endpointId}`);
    await receiver.up();
  });

  it('does not reach loopback or private networks outside development (the CalDAV guard)', async () => {
    const { t, database } = suite;
    const created = await admin('POST', '/webhook-endpoints', { url: receiver.url });
    const { id: endpointId } = created.json();
    receiver.received = [];
    await emitWebhook(database.db, t.workspace.workspaceId, { type: 'participant.opted_out', userId: 'user-3', optedOutAt: new Date() });
    const handlers = webhookHandlers({ db: database.db, secretBox: t.app.secretBox, mailer: t.app.mailer, from: t.config.mailFrom, publicUrl: t.config.publicUrl, allowPrivateNetworks: false });
    await handlers['webhook.deliver']({ id: 0, kind: 'webhook.deliver', payload: { endpointId }, attempts: 1, maxAttempts: 8 } as ClaimedJob<'webhook.deliver'>);
    expect(receiver.received).toHaveLength(0);
    const [delivery] = (await admin('GET', `/webhook-endpoints/${endpointId}/deliveries`)).json().deliveries;
    expect(delivery).toMatchObject({ status: 'pending', responseStatus: null });
    expect(delivery.error).toMatch(/private or local network/);
  });
});
