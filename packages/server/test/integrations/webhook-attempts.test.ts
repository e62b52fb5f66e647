// The webhook delivery log keeps every attempt, on both databases: a receiver that fails twice and
// then answers shows three attempts in order, each with its status code, latency and the retry it
// scheduled; one that never answers keeps only the last 20 attempts while still counting them all.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '@beckon/shared/api';
import { emitWebhook, webhookHandlers } from '../../src/integrations/webhooks.js';
import type { ClaimedJob } from '../../src/jobs/kinds.js';
import { useTestApp } from '../support/app.js';
import { availableKinds } from '../support/database.js';

describe.each(availableKinds)('webhook attempts on %s', (kind) => {
  const suite = useTestApp({ kind });
  /** The status codes the receiver answers, one per request; 204 once they run out. */
  let answers: number[] = [];
  let receiverUrl = '';
  let server: Server;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(answers.shift() ?? 204).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const admin = (method: 'GET' | 'POST', url: string, payload?: object) => suite.t.app.inject({ method, url: `/v1/admin${url}`, headers: suite.t.auth, ...(payload ? { payload } : {}) });

  async function endpointWithOneEvent(url: string) {
    const { t, database } = suite;
    const endpointId = (await admin('POST', '/webhook-endpoints', { url, events: ['participant.opted_out'] })).json().id as string;
    await emitWebhook(database.db, t.workspace.workspaceId, { type: 'participant.opted_out', userId: `user-${endpointId}`, optedOutAt: new Date() });
    let clock = new Date('2026-05-04T09:00:00Z');
    const handlers = webhookHandlers({ db: database.db, secretBox: t.app.secretBox, mailer: t.app.mailer, from: t.config.mailFrom, publicUrl: t.config.publicUrl, allowPrivateNetworks: true, now: () => clock });
    const deliver = async (at: Date) => {
      clock = at;
      await handlers['webhook.deliver']({ id: 0, kind: 'webhook.deliver', payload: { endpointId }, attempts: 1, maxAttempts: 8 } as ClaimedJob<'webhook.deliver'>);
    };
    const log = async () => (await admin('GET', `/webhook-endpoints/${endpointId}/deliveries`)).json().deliveries as WebhookDelivery[];
    return { deliver, log, start: clock };
  }

  it('shows a receiver that failed twice and then answered as three attempts in order, with their codes and retries', async () => {
    answers = [503, 500];
    const { deliver, log, start } = await endpointWithOneEvent(receiverUrl);
    await deliver(start);
    const [afterFirst] = await log();
    expect(afterFirst!.status).toBe('pending');
    const firstRetry = new Date(afterFirst!.attemptLog[0]!.nextRetryAt!);
    expect(firstRetry > start).toBe(true);
    await deliver(firstRetry);
    const secondRetry = new Date((await log())[0]!.attemptLog[1]!.nextRetryAt!);
    expect(secondRetry > firstRetry).toBe(true);
    await deliver(secondRetry);

    const [delivery] = await log();
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, responseStatus: 204, error: null });
    expect(delivery!.attemptLog.map((attempt) => [attempt.at, attempt.responseStatus, attempt.error])).toEqual([
      [start.toISOString().replace('.000Z', 'Z'), 503, 'answered 503'],
      [firstRetry.toISOString().replace('.000Z', 'Z'), 500, 'answered 500'],
      [secondRetry.toISOString().replace('.000Z', 'Z'), 204, null],
    ]);
    expect(delivery!.attemptLog.map((attempt) => attempt.nextRetryAt)).toEqual([firstRetry.toISOString().replace('.000Z', 'Z'), secondRetry.toISOString().replace('.000Z', 'Z'), null]);
    expect(delivery!.attemptLog.every((attempt) => attempt.latencyMs >= 0)).toBe(true);
  });

  it('records a network error without a status code, and keeps only the last 20 attempts', async () => {
    const { deliver, log, start } = await endpointWithOneEvent('http://127.0.0.1:9/nobody-listens');
    // A minute apart, well inside the day after which the endpoint would be turned off.
    for (let attempt = 0; attempt < 22; attempt++) await deliver(new Date(start.getTime() + attempt * 60_000));
    const [delivery] = await log();
    expect(delivery!.attempts).toBe(22);
    expect(delivery!.attemptLog).toHaveLength(20);
    expect(delivery!.attemptLog.every((attempt) => attempt.responseStatus === null && attempt.error === 'could not connect')).toBe(true);
    // Oldest first: the two earliest were dropped.
    const times = delivery!.attemptLog.map((attempt) => Date.parse(attempt.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThan(start.getTime());
  });
});
