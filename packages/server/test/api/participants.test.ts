// Erasing a participant on request: upcoming interviews cancelled as the team would (calendar
// event removed, team told, the person mailed nothing more), then the person gone from every
// table, while the counts and the "never ask again" remain. Nobody else is touched.
import { eq } from 'drizzle-orm';
import { DEFAULT_CONTACT_RULES } from '@beckon/shared/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookings, idempotencyKeys, interceptEvents, jobs, outboxMessages, participants } from '../../src/db/schema.js';
import { ERASED_PARTICIPANT } from '../../src/mail/context.js';
import { primaryKind } from '../support/database.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';
import { payloadOf } from '../support/jobs.js';

const HOUR = 3600_000;
const SCREENER = { questions: [{ id: 'role', kind: 'single', prompt: 'Your role?', required: true, options: [{ id: 'pm', label: 'Product manager', effect: 'qualify' }] }] };

describe(`erasing a participant on ${primaryKind}`, () => {
  const suite = useTestApp();
  let studyId: string;
  const ada = { email: 'ada@example.test', userId: 'user-ada' };
  const ids: Record<'adaPast' | 'adaUpcoming' | 'grace', string> = {} as never;

  const erase = (payload: unknown) => suite.t.app.inject({ method: 'POST', url: '/v1/admin/participants/erase', headers: suite.t.auth, payload: payload as object });
  const book = async (time: string, who: Record<string, unknown>) => {
    const { t } = suite;
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/w/${t.workspace.publicKey}/studies/${studyId}/bookings`,
      headers: { origin: TEST_ORIGIN, 'idempotency-key': `key-${time}` },
      payload: { start: instantOf(upcomingDate('America/New_York', 3), time, 'America/New_York'), participant: participant(who), consent: true, answers: { role: 'pm' } },
    });
    expect(response.statusCode).toBe(201);
    return response.json().booking.id as string;
  };

  beforeAll(async () => {
    const { t, database } = suite;
    // Ada interviews twice within the default limit's 90 days.
    expect((await t.app.inject({ method: 'PATCH', url: '/v1/admin/workspace', headers: t.auth, payload: { contactRules: { ...DEFAULT_CONTACT_RULES, interviews: { max: 3, days: 90 } } } })).statusCode).toBe(200);
    const host = await createHost(t, { name: 'Maya Chen', timeZone: 'America/New_York' });
    studyId = (await createLiveStudy(t, [host], { screener: SCREENER })).id;
    ids.adaPast = await book('09:00', { ...ada, name: 'Ada Lovelace', traits: { plan: 'pro' } });
    // That interview took place; she booked a follow-up.
    const start = new Date(Date.now() - 3 * HOUR);
    await database.db.update(bookings).set({ startsAt: start, endsAt: new Date(start.getTime() + HOUR / 3), blockedFrom: start, blockedUntil: new Date(start.getTime() + HOUR / 2), status: 'completed' }).where(eq(bookings.id, ids.adaPast));
    ids.adaUpcoming = await book('10:00', { ...ada, name: 'Ada Lovelace' });
    ids.grace = await book('11:00', { email: 'grace@example.test', name: 'Grace Hopper', userId: 'user-grace' });
    const at = new Date().toISOString();
    const events = [
      ...['user-ada', 'user-grace'].map((userId) => ({ studyId, kind: 'shown', at, anonymousId: `anon-${userId}`, userId, url: `https://app.acme.test/settings?user=${userId}` })),
      // The same browser, before identify() named her.
      { studyId, kind: 'eligible', at, anonymousId: 'anon-user-ada', url: 'https://app.acme.test/welcome?email=ada%40example.test' },
    ];
    expect((await t.app.inject({ method: 'POST', url: `/v1/w/${t.workspace.publicKey}/events`, headers: { origin: TEST_ORIGIN }, payload: { events } })).statusCode).toBeLessThan(300);
    await t.app.worker.runOnce(); // the confirmations
  });

  it('refuses to guess: bad input names the field, and an unknown person is a 404', async () => {
    const nobody = await erase({});
    expect(nobody.statusCode).toBe(400);
    expect(nobody.json().error).toMatchObject({ code: 'invalid_request', field: 'email' });
    const badEmail = await erase({ email: 'not-an-email' });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json().error.field).toBe('email');
    expect((await erase({ email: ada.email, userId: ada.userId })).json().error).toMatchObject({ code: 'invalid_request', field: 'userId' });
    expect((await erase({ name: 'Ada' })).statusCode).toBe(400);
    const unknown = await erase({ email: 'nobody@example.test' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('participant_not_found');
    expect((await suite.t.app.inject({ method: 'POST', url: '/v1/admin/participants/erase', payload: { email: ada.email } })).statusCode).toBe(401);
  });

  it('cancels the upcoming interview, then erases the person everywhere, whatever the email’s case', async () => {
    const { t, database } = suite;
    const response = await erase({ email: 'ADA@Example.test' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ participants: 1, bookingsCancelled: 1, bookingsErased: 2 });

    const [person] = await database.db.select().from(participants).where(eq(participants.userId, ada.userId));
    expect(person).toMatchObject({ email: null, name: null, traits: {}, anonymousId: null, timeZone: null });
    expect(person!.optedOutAt).toBeInstanceOf(Date); // never invited again
    const rows = await database.db.select().from(bookings).where(eq(bookings.participantId, person!.id));
    expect(rows.map((row) => [row.id, row.status, row.answers]).sort()).toEqual(
      [
        [ids.adaPast, 'completed', {}],
        [ids.adaUpcoming, 'cancelled', {}],
      ].sort(),
    );
    const adaEvents = await database.db.select().from(interceptEvents).where(eq(interceptEvents.anonymousId, 'anon-user-ada'));
    expect(adaEvents.map((event) => [event.userId, event.url])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(await database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'key-10:00'))).toEqual([]);
    expect(await database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'key-11:00'))).toHaveLength(1); // Grace's
    const outbox = await database.db.select().from(outboxMessages);
    expect(JSON.stringify(outbox)).not.toContain(ada.email);
    expect(JSON.stringify(outbox)).not.toContain('Ada Lovelace');

    // The cancellation's side effects: the calendar event goes, the team is told without her name, she is mailed nothing.
    const cancelJobs = (await database.db.select().from(jobs)).filter((job) => payloadOf(job).bookingId === ids.adaUpcoming && /cancel|delete/.test(job.kind));
    expect(cancelJobs.map((job) => job.kind).sort()).toEqual(['calendar.delete', 'mail.cancelled', 'mail.cancelled']);
    await t.app.worker.runOnce();
    const after = await database.db.select().from(outboxMessages);
    const cancelMails = after.filter((mail) => mail.messageId.includes(ids.adaUpcoming));
    expect(cancelMails).toHaveLength(1);
    expect(cancelMails[0]!.to.join()).toMatch(/^maya\.chen\./);
    expect(cancelMails[0]!.subject).toContain(`Cancelled: ${ERASED_PARTICIPANT}`);
    expect(JSON.stringify(after)).not.toContain(ada.email);

    // Her completed interview still owes the incentive, but there is no address to email it to.
    const [incentive] = (await t.app.inject({ url: '/v1/admin/incentives?status=due', headers: t.auth })).json().incentives as { id: string }[];
    const byEmail = await t.app.inject({ method: 'POST', url: `/v1/admin/incentives/${incentive!.id}/send`, headers: t.auth, payload: { method: 'email', code: 'GIFT-1' } });
    expect(byEmail.statusCode).toBe(422);
    expect(byEmail.json().error).toMatchObject({ code: 'no_email_address', field: 'method' });
    expect((await t.app.inject({ method: 'POST', url: `/v1/admin/incentives/${incentive!.id}/send`, headers: t.auth, payload: { method: 'elsewhere' } })).statusCode).toBe(200);

    const listed = (await t.app.inject({ url: `/v1/admin/bookings?studyId=${studyId}`, headers: t.auth })).json().bookings as { id: string; participant: { name: string | null; email: string | null } }[];
    expect(listed.find((booking) => booking.id === ids.adaPast)!.participant).toMatchObject({ name: null, email: null });
  });

  it('leaves everyone else as they were, and erases by user id too', async () => {
    const { database } = suite;
    const [grace] = await database.db.select().from(participants).where(eq(participants.userId, 'user-grace'));
    expect(grace).toMatchObject({ email: 'grace@example.test', name: 'Grace Hopper', optedOutAt: null });
    const [graceBooking] = await database.db.select().from(bookings).where(eq(bookings.id, ids.grace));
    expect(graceBooking).toMatchObject({ status: 'confirmed', answers: { role: 'pm' } });
    expect((await database.db.select().from(interceptEvents).where(eq(interceptEvents.anonymousId, 'anon-user-grace')))[0]!.userId).toBe('user-grace');

    expect((await erase({ email: ada.email })).statusCode).toBe(404); // already erased
    expect(JSON.stringify(await database.db.select().from(outboxMessages))).toContain('grace@example.test');
    const byUserId = await erase({ userId: 'user-grace' });
    expect(byUserId.json()).toEqual({ participants: 1, bookingsCancelled: 1, bookingsErased: 1 });
    const outbox = JSON.stringify(await database.db.select().from(outboxMessages));
    expect(outbox).not.toContain('grace@example.test');
    expect(outbox).not.toContain('Grace Hopper');
  });
});
