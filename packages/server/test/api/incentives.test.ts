// Incentives from promise to hand-over: due once the interview is marked done, emailed with its
// code (sealed at rest) or recorded as given another way, never twice, never for a missed one.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookings, incentives, outboxMessages } from '../../src/db/schema.js';
import { primaryKind } from '../support/database.js';
import { buildTestApp, TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';

const HOUR = 3600_000;

describe(`incentives on ${primaryKind}`, () => {
  const suite = useTestApp();
  let studyId: string;
  /** done: the interview took place; missed: a no-show; later: still ahead. */
  const booked: Record<'done' | 'missed' | 'later', { bookingId: string; incentiveId: string; email: string }> = {} as never;

  const list = async (query = '') => {
    const response = await suite.t.app.inject({ url: `/v1/admin/incentives${query}`, headers: suite.t.auth });
    expect(response.statusCode).toBe(200);
    return response.json().incentives as { id: string; status: string; due: boolean; sentBy: string | null; participant: { email: string } }[];
  };
  const send = (id: string, payload: unknown) => suite.t.app.inject({ method: 'POST', url: `/v1/admin/incentives/${id}/send`, headers: suite.t.auth, payload: payload as object });
  const outcome = (bookingId: string, action: 'complete' | 'no-show') => suite.t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${bookingId}/${action}`, headers: suite.t.auth });
  const incentiveMails = async () => (await suite.database.db.select().from(outboxMessages)).filter((m) => m.subject.startsWith('Your thank-you from'));

  beforeAll(async () => {
    const { t, database } = suite;
    const host = await createHost(t, { name: 'Maya Chen', timeZone: 'America/New_York' });
    studyId = (await createLiveStudy(t, [host])).id;
    const date = upcomingDate('America/New_York', 2);
    for (const [name, time] of [['done', '09:00'], ['missed', '10:00'], ['later', '11:00']] as const) {
      const email = `${name}@example.test`;
      const response = await t.app.inject({
        method: 'POST',
        url: `/v1/w/${t.workspace.publicKey}/studies/${studyId}/bookings`,
        headers: { origin: TEST_ORIGIN },
        payload: { start: instantOf(date, time, 'America/New_York'), participant: participant({ email, name: `Ada ${name}` }), consent: true },
      });
      expect(response.statusCode).toBe(201);
      const bookingId = response.json().booking.id as string;
      const [incentive] = await database.db.select().from(incentives).where(eq(incentives.bookingId, bookingId));
      booked[name] = { bookingId, incentiveId: incentive!.id, email };
    }
    // Two of the interviews are over.
    for (const [name, hoursAgo] of [['done', 3], ['missed', 2]] as const) {
      const start = new Date(Date.now() - hoursAgo * HOUR);
      await database.db
        .update(bookings)
        .set({ startsAt: start, endsAt: new Date(start.getTime() + HOUR / 3), blockedFrom: start, blockedUntil: new Date(start.getTime() + HOUR / 2) })
        .where(eq(bookings.id, booked[name].bookingId));
    }
    await t.app.worker.runOnce(); // the confirmations, so only incentive mails are new below
  });

  it('lists every promised incentive as upcoming until its interview is marked done', async () => {
    const all = await list();
    expect(all).toHaveLength(3);
    expect(all[0]).toMatchObject({ studyId, studyName: 'Onboarding interviews', description: 'a $25 gift card', amountCents: 2500, currency: 'USD', kind: 'gift_card', status: 'pending', due: false, sentAt: null });
    expect((await list('?status=upcoming')).map((i) => i.id).sort()).toEqual(Object.values(booked).map((b) => b.incentiveId).sort());
    expect(await list('?status=due')).toEqual([]);
    const early = await send(booked.done.incentiveId, { method: 'email', code: 'GIFT-1' });
    expect(early.statusCode).toBe(422);
    expect(early.json().error.code).toBe('interview_not_completed');
  });

  it('makes it due when the interview is done, and refuses a hand-over that says nothing, keeping it due', async () => {
    expect((await outcome(booked.done.bookingId, 'complete')).statusCode).toBe(200);
    expect((await list('?status=due')).map((i) => i.id)).toEqual([booked.done.incentiveId]);

    const empty = await send(booked.done.incentiveId, { method: 'email', message: '   ' });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error).toMatchObject({ code: 'handover_missing', field: 'code' });
    const elsewhereWithCode = await send(booked.done.incentiveId, { method: 'elsewhere', code: 'GIFT-1' });
    expect(elsewhereWithCode.statusCode).toBe(422);
    expect(elsewhereWithCode.json().error.code).toBe('nothing_to_email');
    const badLink = await send(booked.done.incentiveId, { method: 'email', url: 'javascript:alert(1)' });
    expect(badLink.statusCode).toBe(400);
    expect(badLink.json().error.field).toBe('url');
    const badMethod = await send(booked.done.incentiveId, { method: 'pigeon', code: 'x' });
    expect(badMethod.statusCode).toBe(400);
    expect(badMethod.json().error.field).toBe('method');
    expect((await list('?status=due')).map((i) => i.id)).toEqual([booked.done.incentiveId]);
  });

  it('emails the code, link and message once; the code is sealed at rest; a second send is a 409', async () => {
    const { t, database } = suite;
    const response = await send(booked.done.incentiveId, { method: 'email', code: 'GIFT-1234-ABCD', url: 'https://gifts.example.test/redeem', message: 'Thanks again, Ada!' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: booked.done.incentiveId, status: 'sent', sentBy: 'email', due: false, bookingStatus: 'completed' });
    expect(Date.parse(response.json().sentAt)).toBeGreaterThan(Date.now() - 60_000);
    const [row] = await database.db.select().from(incentives).where(eq(incentives.id, booked.done.incentiveId));
    expect(row!.deliverySealed).toBeTruthy();
    expect(row!.deliverySealed).not.toContain('GIFT-1234');

    const again = await send(booked.done.incentiveId, { method: 'email', code: 'GIFT-2' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('incentive_already_sent');

    await t.app.worker.runOnce();
    await t.app.worker.runOnce();
    const mails = await incentiveMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual([booked.done.email]);
    expect(mails[0]!.subject).toBe('Your thank-you from Acme: a $25 gift card');
    expect(mails[0]!.text).toContain('GIFT-1234-ABCD');
    expect(mails[0]!.text).toContain('https://gifts.example.test/redeem');
    expect(mails[0]!.text).toContain('Thanks again, Ada!');
    expect((await list('?status=sent')).map((i) => i.id)).toEqual([booked.done.incentiveId]);
  });

  it('voids it for a no-show; done after all, it is owed again and can be given another way, with no email', async () => {
    const { t } = suite;
    expect((await outcome(booked.missed.bookingId, 'no-show')).statusCode).toBe(200);
    expect((await list('?status=void')).map((i) => i.id)).toEqual([booked.missed.incentiveId]);
    const refused = await send(booked.missed.incentiveId, { method: 'elsewhere' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('incentive_void');

    expect((await outcome(booked.missed.bookingId, 'complete')).statusCode).toBe(200);
    expect((await list('?status=due')).map((i) => i.id)).toEqual([booked.missed.incentiveId]);
    const given = await send(booked.missed.incentiveId, { method: 'elsewhere' });
    expect(given.statusCode).toBe(200);
    expect(given.json()).toMatchObject({ status: 'sent', sentBy: 'elsewhere' });
    await t.app.worker.runOnce();
    expect((await incentiveMails()).map((m) => m.to.join())).toEqual([booked.done.email]);
    expect((await list(`?status=sent&studyId=${studyId}`)).map((i) => i.id).sort()).toEqual([booked.done.incentiveId, booked.missed.incentiveId].sort());
  });

  it('keeps workspaces apart and names bad input', async () => {
    const { database } = suite;
    const other = await buildTestApp(database);
    try {
      const foreignList = await other.app.inject({ url: '/v1/admin/incentives', headers: other.auth });
      expect(foreignList.json().incentives).toEqual([]);
      const foreign = await other.app.inject({ method: 'POST', url: `/v1/admin/incentives/${booked.later.incentiveId}/send`, headers: other.auth, payload: { method: 'elsewhere' } });
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json().error.code).toBe('incentive_not_found');
    } finally {
      await other.app.close();
    }
    expect((await send('not-a-uuid', { method: 'elsewhere' })).statusCode).toBe(400);
    const badStatus = await suite.t.app.inject({ url: '/v1/admin/incentives?status=owed', headers: suite.t.auth });
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().error.field).toBe('status');
    expect((await suite.t.app.inject({ url: '/v1/admin/incentives' })).statusCode).toBe(401);
  });
});

describe(`incentive budgets on ${primaryKind}`, () => {
  const suite = useTestApp();

  it('refuses a booking that would owe more than the budget leaves, in all and per week, and shows spend against budget', async () => {
    const { t } = suite;
    const host = await createHost(t, { name: 'Budget Host', timeZone: 'UTC' });
    const study = await createLiveStudy(t, [host], {
      incentive: { kind: 'gift_card', amountCents: 2500, currency: 'USD', description: 'a $25 gift card', budgetCents: 7500, weeklyBudgetCents: 5000 },
    });
    const book = (date: string, time: string) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/w/${t.workspace.publicKey}/studies/${study.id}/bookings`,
        headers: { origin: TEST_ORIGIN },
        payload: { start: instantOf(date, time, 'UTC'), participant: participant(), consent: true },
      });
    const monday = upcomingDate('UTC', 1);
    const nextMonday = upcomingDate('UTC', 1, 2);
    expect((await book(monday, '09:00')).statusCode).toBe(201);
    const second = await book(monday, '10:00');
    expect(second.statusCode).toBe(201);
    const overWeek = await book(monday, '11:00');
    expect(overWeek.statusCode).toBe(422);
    expect(overWeek.json().error.code).toBe('weekly_incentive_budget_spent');
    expect((await book(nextMonday, '09:00')).statusCode).toBe(201);
    const overTotal = await book(nextMonday, '10:00');
    expect(overTotal.json().error.code).toBe('incentive_budget_spent');

    const listed = (await t.app.inject({ url: '/v1/admin/incentives', headers: t.auth })).json();
    expect(listed.budgets.find((b: { studyId: string }) => b.studyId === study.id)).toEqual({
      studyId: study.id,
      studyName: 'Onboarding interviews',
      currency: 'USD',
      budgetCents: 7500,
      weeklyBudgetCents: 5000,
      owedCents: 7500,
      sentCents: 0,
      thisWeekCents: 0,
    });

    // A cancellation voids its incentive and so frees its share of the budget.
    await t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${second.json().booking.id}/cancel`, headers: t.auth });
    expect((await book(nextMonday, '10:00')).statusCode).toBe(201);
  });
});
