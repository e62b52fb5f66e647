// Tremendous configured per workspace, on both databases, against the local emulation through the
// official client: an owner or admin connects the workspace's own account (the key checked with
// Tremendous first, a wrong key or funding source refused naming the field, the key sealed and
// never answered or audited); a study paid by Tremendous with no account anywhere warns on save
// and its reward is held in Incentives, then ordered with the workspace's key once it connects;
// a server key pays for workspaces that set none.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incentives, tremendousAccounts } from '../../src/db/schema.js';
import { bookingDeps, markOutcome } from '../../src/services/booking.js';
import { TEST_ORIGIN, useTestApp, type TestSuite } from '../support/app.js';
import { availableKinds, primaryKind } from '../support/database.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';
import { personWithRole } from '../auth/support.js';
import { TremendousEmulation } from './support/tremendous.js';

const WORKSPACE_KEY = 'TEST_workspace_key_9f3c';
const SERVER_KEY = 'TEST_server_key_1111';
const emulation = new TremendousEmulation(WORKSPACE_KEY, SERVER_KEY);
let apiUrl = '';
beforeAll(async () => {
  apiUrl = await emulation.start();
});
afterAll(() => emulation.stop());

const tremendousIncentive = { kind: 'gift_card', amountCents: 2500, currency: 'USD', description: 'a $25 gift card', payout: 'tremendous' };

/** A booking of a study paid by Tremendous, marked done: its reward's payout job is waiting. */
async function attendedInterview(suite: TestSuite, studyId?: string) {
  const { t } = suite;
  const host = await createHost(t, { name: 'Payout Host', timeZone: 'Europe/Berlin' });
  const study = studyId ?? (await createLiveStudy(t, [host], { incentive: tremendousIncentive })).id;
  if (studyId) await t.app.inject({ method: 'PATCH', url: `/v1/admin/studies/${studyId}`, headers: t.auth, payload: { hostIds: [host] } });
  const start = instantOf(upcomingDate('Europe/Berlin', 3), '11:00', 'Europe/Berlin');
  const booked = await t.app.inject({ method: 'POST', url: `/v1/w/${t.workspace.publicKey}/studies/${study}/bookings`, headers: { origin: TEST_ORIGIN }, payload: { start, consent: true, participant: participant(), answers: {} } });
  expect(booked.statusCode).toBe(201);
  const bookingId = booked.json().booking.id as string;
  await t.app.worker.runOnce();
  await markOutcome(bookingDeps(t.app), t.workspace.workspaceId, bookingId, 'completed', new Date(Date.parse(start) + 30 * 60_000));
  const [incentive] = await t.app.db.select().from(incentives).where(eq(incentives.bookingId, bookingId));
  return { incentiveId: incentive!.id, studyId: study };
}

describe.each(availableKinds)('Tremendous per workspace on %s', (kind) => {
  const suite = useTestApp(() => ({ kind, overrides: { tremendous: undefined, tremendousApiUrls: { sandbox: apiUrl, production: apiUrl } } }));
  const admin = (method: 'GET' | 'PUT' | 'DELETE', payload?: object, headers: Record<string, string> = suite.t.auth) =>
    suite.t.app.inject({ method, url: '/v1/admin/workspace/payouts/tremendous', headers, ...(payload ? { payload } : {}) });
  const listed = async (incentiveId: string) => (await suite.t.app.inject({ url: '/v1/admin/incentives', headers: suite.t.auth })).json().incentives.find((i: { id: string }) => i.id === incentiveId);

  it('holds the reward of a study with no account to pay from, warns on save, and orders it with the key the workspace then connects', async () => {
    const { t, database } = suite;
    expect((await admin('GET')).json()).toMatchObject({ configured: false, apiKeyEnd: null, serverDefault: false });

    const host = await createHost(t, { name: 'Warned Host', timeZone: 'Europe/Berlin' });
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/studies',
      headers: t.auth,
      payload: { name: 'Paid study', status: 'live', intercept: { title: 'Talk to us?', body: 'Twenty minutes.' }, incentive: tremendousIncentive, hostIds: [host], meetingLocation: { kind: 'video_url', details: 'https://meet.example.test/x' } },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().warnings.map((w: { code: string }) => w.code)).toContain('payout_not_connected');

    const { incentiveId } = await attendedInterview(suite, created.json().id);
    const ordersBefore = emulation.orders.length;
    await t.app.worker.runOnce();
    expect(emulation.orders).toHaveLength(ordersBefore);
    const held = await listed(incentiveId);
    expect(held).toMatchObject({ status: 'pending', due: true, payout: { held: true, orderId: null } });
    expect(held.payout.error).toMatch(/connect a Tremendous account/);
    // Held, not retried: nothing more happens until an account is connected.
    await t.app.worker.runOnce(new Date(Date.now() + 3 * 3_600_000));
    expect((await listed(incentiveId)).payout.held).toBe(true);

    // Researchers may not see or set it; owners and admins may.
    const researcher = await personWithRole(t, 'researcher');
    expect((await admin('GET', undefined, researcher.headers)).statusCode).toBe(403);
    expect((await admin('PUT', { apiKey: WORKSPACE_KEY, environment: 'sandbox' }, researcher.headers)).statusCode).toBe(403);

    // A wrong key, or a funding source the account lacks, is refused naming the field; nothing is saved.
    const wrongKey = await admin('PUT', { apiKey: 'TEST_not_a_real_key', environment: 'sandbox' });
    expect(wrongKey.statusCode).toBe(422);
    expect(wrongKey.json()).toMatchObject({ error: { field: 'apiKey' } });
    const wrongSource = await admin('PUT', { apiKey: WORKSPACE_KEY, environment: 'sandbox', fundingSourceId: 'NOPE123' });
    expect(wrongSource.statusCode).toBe(422);
    expect(wrongSource.json()).toMatchObject({ error: { field: 'fundingSourceId' } });
    expect(await database.db.select().from(tremendousAccounts)).toHaveLength(0);
    expect((await admin('PUT', { environment: 'sandbox' })).json()).toMatchObject({ error: { field: 'apiKey' } });

    const owner = await personWithRole(t, 'owner');
    const saved = await admin('PUT', { apiKey: WORKSPACE_KEY, environment: 'sandbox', fundingSourceId: 'CARD0042', campaignId: 'CAMP01' }, owner.headers);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({ configured: true, environment: 'sandbox', apiKeyEnd: '9f3c', fundingSourceId: 'CARD0042', campaignId: 'CAMP01', updatedAt: expect.any(String), serverDefault: false });
    expect(saved.body).not.toContain(WORKSPACE_KEY);
    const [row] = await database.db.select().from(tremendousAccounts);
    expect(row!.apiKeySealed).not.toContain(WORKSPACE_KEY);
    expect(t.app.secretBox.open(row!.apiKeySealed)).toBe(WORKSPACE_KEY);
    const audit = await t.app.inject({ url: '/v1/admin/audit-log?action=tremendous.update', headers: owner.headers });
    expect(audit.json().entries).toHaveLength(1);
    expect(audit.body).not.toContain(WORKSPACE_KEY);
    expect(audit.json().entries[0].changes).toMatchObject({ environment: { after: 'sandbox' }, apiKeyEnd: { after: '9f3c' } });
    expect((await admin('GET')).body).not.toContain(WORKSPACE_KEY);

    // Connecting released the held reward: ordered with the workspace's key and funding source.
    await t.app.worker.runOnce();
    const order = emulation.orders.at(-1)!;
    expect(emulation.orders).toHaveLength(ordersBefore + 1);
    expect(order.external_id).toBe(`beckon-incentive-${incentiveId}`);
    expect(emulation.orderedWith.get(order.id)).toBe(WORKSPACE_KEY);
    expect(await listed(incentiveId)).toMatchObject({ status: 'sent', payout: { held: false, orderId: order.id, error: null } });
    // And the study no longer warns.
    const study = await t.app.inject({ url: `/v1/admin/studies/${created.json().id}`, headers: t.auth });
    expect(study.json().warnings.map((w: { code: string }) => w.code)).not.toContain('payout_not_connected');

    // Changing the environment without the key keeps the saved key (checked again); removing disconnects.
    expect((await admin('PUT', { environment: 'production' })).json()).toMatchObject({ environment: 'production', apiKeyEnd: '9f3c', fundingSourceId: 'CARD0042' });
    expect((await admin('DELETE')).statusCode).toBe(204);
    expect((await admin('GET')).json()).toMatchObject({ configured: false });
    expect((await admin('DELETE')).statusCode).toBe(404);
  });
});

describe(`Tremendous with a server key on ${primaryKind}`, () => {
  const suite = useTestApp(() => ({
    overrides: { tremendous: { apiKey: SERVER_KEY, apiUrl, fundingSourceId: 'balance', campaignId: undefined }, tremendousApiUrls: { sandbox: apiUrl, production: apiUrl } },
  }));

  it("pays from the server's account while the workspace sets none, and from the workspace's once it does", async () => {
    const { t } = suite;
    expect((await t.app.inject({ url: '/v1/admin/workspace/payouts/tremendous', headers: t.auth })).json()).toMatchObject({ configured: false, serverDefault: true });
    const first = await attendedInterview(suite);
    const study = await t.app.inject({ url: `/v1/admin/studies/${first.studyId}`, headers: t.auth });
    expect(study.json().warnings.map((w: { code: string }) => w.code)).not.toContain('payout_not_connected');
    await t.app.worker.runOnce();
    expect(emulation.orderedWith.get(emulation.orders.at(-1)!.id)).toBe(SERVER_KEY);
    expect(emulation.orders.at(-1)!.external_id).toBe(`beckon-incentive-${first.incentiveId}`);

    const saved = await t.app.inject({ method: 'PUT', url: '/v1/admin/workspace/payouts/tremendous', headers: t.auth, payload: { apiKey: WORKSPACE_KEY, environment: 'production' } });
    expect(saved.statusCode).toBe(200);
    const second = await attendedInterview(suite, first.studyId);
    await t.app.worker.runOnce();
    expect(emulation.orders.at(-1)!.external_id).toBe(`beckon-incentive-${second.incentiveId}`);
    expect(emulation.orderedWith.get(emulation.orders.at(-1)!.id)).toBe(WORKSPACE_KEY);
  });
});
