// Incentive payouts through Tremendous (its official client, against a local emulation of the
// documented endpoints): marking the interview done orders the reward with the incentive's
// idempotency key; a worker killed after the order was placed and before it was recorded pays
// once when the job is retried; a refused order shows in Incentives and is retried.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { incentives, jobs } from '../../src/db/schema.js';
import { bookingDeps, markOutcome } from '../../src/services/booking.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';
import { TremendousEmulation } from './support/tremendous.js';

const TOKEN = 'TEST_tremendous_token';
const emulation = new TremendousEmulation(TOKEN);
let apiUrl = '';

describe.skipIf(!inject('postgresUrl'))('incentive payouts through Tremendous', () => {
  beforeAll(async () => {
    apiUrl = await emulation.start();
  });
  afterAll(() => emulation.stop());
  const suite = useTestApp(() => ({ kind: 'postgres', overrides: { tremendous: { apiKey: TOKEN, apiUrl, fundingSourceId: 'balance', campaignId: undefined } } }));

  async function attendedInterview() {
    const { t } = suite;
    const host = await createHost(t, { name: 'Payout Host', timeZone: 'Europe/Berlin' });
    const study = await createLiveStudy(t, [host], { incentive: { kind: 'gift_card', amountCents: 2500, currency: 'USD', description: 'a $25 gift card', payout: 'tremendous' } });
    const start = instantOf(upcomingDate('Europe/Berlin', 4), '11:00', 'Europe/Berlin');
    const booked = await t.app.inject({ method: 'POST', url: `/v1/w/${t.workspace.publicKey}/studies/${study.id}/bookings`, headers: { origin: TEST_ORIGIN }, payload: { start, consent: true, participant: participant(), answers: {} } });
    expect(booked.statusCode).toBe(201);
    const bookingId = booked.json().booking.id as string;
    await t.app.worker.runOnce(); // the booking's own mails, so only the payout waits
    await markOutcome(bookingDeps(t.app), t.workspace.workspaceId, bookingId, 'completed', new Date(Date.parse(start) + 30 * 60_000));
    const [incentive] = await t.app.db.select().from(incentives).where(eq(incentives.bookingId, bookingId));
    return incentive!;
  }

  it('pays once when the worker is killed between ordering and recording, and the job is retried', async () => {
    const { t, database } = suite;
    const incentive = await attendedInterview();
    const { rows } = (await database.db.execute(sql`select current_database() as name`)) as unknown as { rows: { name: string }[] };
    const name = rows[0]!.name;
    const databaseUrl = new URL(inject('postgresUrl')!);
    databaseUrl.pathname = `/${name}`;

    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./support/payout-worker.ts', import.meta.url))], {
      env: { ...process.env, DATABASE_URL: databaseUrl.toString(), TREMENDOUS_API_KEY: TOKEN, TREMENDOUS_API_URL: apiUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Tremendous has taken the order; the worker dies before it hears back.
    emulation.onOrder = () => {
      child.kill('SIGKILL');
      return 'hang';
    };
    expect(await exited).toBe('SIGKILL');
    emulation.onOrder = undefined;
    expect(emulation.orders).toHaveLength(1);
    const [unrecorded] = await database.db.select().from(incentives).where(eq(incentives.id, incentive.id));
    expect(unrecorded).toMatchObject({ status: 'pending', payoutOrderId: null });
    const [job] = await database.db.select().from(jobs).where(eq(jobs.kind, 'payout.order'));
    expect(job!.status).toBe('running');

    // The dead worker's job is released and retried: the same external_id, so the same order.
    await t.app.worker.runOnce(new Date(Date.now() + 11 * 60_000));
    expect(emulation.orders).toHaveLength(1);
    const [paid] = await database.db.select().from(incentives).where(eq(incentives.id, incentive.id));
    expect(paid).toMatchObject({ status: 'sent', payoutProvider: 'tremendous', payoutOrderId: emulation.orders[0]!.id, payoutError: null });
    expect(emulation.orders[0]!.external_id).toBe(`beckon-incentive-${incentive.id}`);
    expect(emulation.orders[0]!.rewards[0]!.value).toEqual({ denomination: 25, currency_code: 'USD' });

    // Nothing more is ordered, however often the worker runs.
    await t.app.worker.runOnce(new Date(Date.now() + 2 * 3_600_000));
    expect(emulation.orders).toHaveLength(1);
    const listed = (await t.app.inject({ url: '/v1/admin/incentives?status=sent', headers: t.auth })).json().incentives.find((i: { id: string }) => i.id === incentive.id);
    expect(listed.payout).toMatchObject({ provider: 'tremendous', orderId: emulation.orders[0]!.id, error: null });
  });

  it('shows a refused order in Incentives and orders it on the retry', async () => {
    const { t, database } = suite;
    emulation.onOrder = () => 'refuse';
    const incentive = await attendedInterview();
    await t.app.worker.runOnce();
    const listed = (await t.app.inject({ url: '/v1/admin/incentives?status=due', headers: t.auth })).json().incentives.find((i: { id: string }) => i.id === incentive.id);
    expect(listed.payout.error).toBe('The provider refused the order (422: Funding source has insufficient balance)');
    const before = emulation.orders.length;
    emulation.onOrder = undefined;
    await t.app.worker.runOnce(new Date(Date.now() + 3_600_000));
    expect(emulation.orders).toHaveLength(before + 1);
    const [paid] = await database.db.select().from(incentives).where(eq(incentives.id, incentive.id));
    expect(paid).toMatchObject({ status: 'sent', payoutError: null });
  });
});
