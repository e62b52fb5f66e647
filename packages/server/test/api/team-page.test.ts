// The interviewer's "did it happen?" loop: a mail just after the interview links to the booking's
// team page, where one POST marks it done (the incentive becomes due) or a no-show (no thank-you).
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookings, incentives, jobs, outboxMessages } from '../../src/db/schema.js';
import { primaryKind } from '../support/database.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';
import { payloadOf } from '../support/jobs.js';

const MINUTE = 60_000;

describe(`the team's booking page on ${primaryKind}`, () => {
  const suite = useTestApp();
  let booking: { id: string; start: string; end: string };
  let teamPath: string;

  const form = (outcome: string) => ({ 'content-type': 'application/x-www-form-urlencoded', payload: `outcome=${outcome}` });
  const post = (path: string, outcome: string) => {
    const { payload, ...headers } = form(outcome);
    return suite.t.app.inject({ method: 'POST', url: `${path}/outcome`, headers, payload });
  };
  const status = async () => (await suite.database.db.select().from(bookings).where(eq(bookings.id, booking.id)))[0]!.status;
  const incentiveStatus = async () => (await suite.database.db.select().from(incentives).where(eq(incentives.bookingId, booking.id)))[0]!.status;

  beforeAll(async () => {
    const { t } = suite;
    const host = await createHost(t, { name: 'Maya Chen', timeZone: 'America/New_York' });
    const study = await createLiveStudy(t, [host]);
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/w/${t.workspace.publicKey}/studies/${study.id}/bookings`,
      headers: { origin: TEST_ORIGIN },
      payload: { start: instantOf(upcomingDate('America/New_York', 2), '10:00', 'America/New_York'), participant: participant({ name: 'Ada Lovelace' }), consent: true },
    });
    booking = response.json().booking;
  });

  it('asks the interviewer ten minutes after the end, once, with a link to the team page', async () => {
    const { t, database } = suite;
    const [job] = (await database.db.select().from(jobs).where(eq(jobs.kind, 'mail.attendance'))).filter((j) => payloadOf(j).bookingId === booking.id);
    expect(job!.runAt.getTime()).toBe(Date.parse(booking.end) + 10 * MINUTE);
    await t.app.worker.runOnce(new Date(Date.parse(booking.end) + 11 * MINUTE));
    const mails = (await database.db.select().from(outboxMessages)).filter((m) => m.subject.startsWith('Did it happen? Ada Lovelace'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to.join()).toMatch(/^maya\.chen\./);
    const link = /https?:\/\/[^\s]+\/t\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{43}/.exec(mails[0]!.text)?.[0];
    expect(link).toBeDefined();
    teamPath = new URL(link!).pathname;
    expect(teamPath.startsWith(`/t/${booking.id}/`)).toBe(true);
  });

  it('shows the booking; before it starts there is nothing to mark, and a wrong token is a 404', async () => {
    const { t } = suite;
    const page = await t.app.inject({ url: teamPath });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("form-action 'self'");
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('Interview with Ada Lovelace');
    expect(page.body).toContain('Once it has started');
    expect((await post(teamPath, 'completed')).body).toContain('Mark the outcome after the interview has started');
    expect(await status()).toBe('confirmed');

    const forged = teamPath.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await t.app.inject({ url: forged })).statusCode).toBe(404);
    expect((await post(forged, 'completed')).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/t/not-a-booking/${'a'.repeat(43)}` })).statusCode).toBe(404);
  });

  it('marks it done with one POST (a GET changes nothing), which makes the incentive due; a no-show after all voids it', async () => {
    const { t, database } = suite;
    const start = new Date(Date.now() - 2 * 60 * MINUTE);
    await database.db.update(bookings).set({ startsAt: start, endsAt: new Date(start.getTime() + 20 * MINUTE), blockedFrom: start, blockedUntil: new Date(start.getTime() + 30 * MINUTE) }).where(eq(bookings.id, booking.id));
    const page = await t.app.inject({ url: teamPath });
    expect(page.body).toContain('How did it go?');
    expect(page.body).toContain('Ada Lovelace did not come');
    expect(await status()).toBe('confirmed');

    expect((await post(teamPath, 'maybe')).statusCode).toBe(400);
    const done = await post(teamPath, 'completed');
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(teamPath);
    expect(await status()).toBe('completed');
    expect(await incentiveStatus()).toBe('pending');
    expect((await t.app.inject({ url: '/v1/admin/incentives?status=due', headers: t.auth })).json().incentives).toHaveLength(1);
    expect((await t.app.inject({ url: teamPath })).body).toContain('Marked as done. The incentive, a $25 gift card, is now due');

    expect((await post(teamPath, 'no_show')).statusCode).toBe(303);
    expect(await status()).toBe('no_show');
    expect(await incentiveStatus()).toBe('void');
    expect((await t.app.inject({ url: teamPath })).body).toContain('It happened after all');
  });
});
