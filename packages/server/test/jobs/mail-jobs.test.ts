// From booking to inbox through the jobs table: the worker sends what is due, retries through
// an SMTP outage without losing or doubling a mail, and never mails about a time that changed.
import { once } from 'node:events';
import { eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs, members, outboxMessages } from '../../src/db/schema.js';
import { ensureMembership, ensureUser } from '../../src/auth/accounts.js';
import { bookingDeps, markOutcome } from '../../src/services/booking.js';
import { createMailer } from '../../src/mail/index.js';
import { primaryKind } from '../support/database.js';
import { TEST_ORIGIN, useTestApp, type TestApp } from '../support/app.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';
import { payloadOf } from '../support/jobs.js';

const HOUR = 3600_000;

async function book(t: TestApp, studyId: string, start: string, who = participant()) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/v1/w/${t.workspace.publicKey}/studies/${studyId}/bookings`,
    headers: { origin: TEST_ORIGIN },
    payload: { start, participant: who, consent: true },
  });
  expect(response.statusCode).toBe(201);
  return response.json().booking as { id: string; manageUrl: string; start: string };
}

describe(`mail jobs through the development outbox on ${primaryKind}`, () => {
  const suite = useTestApp();
  let studyId: string;

  beforeAll(async () => {
    const { t } = suite;
    const host = await createHost(t, { name: 'Maya Chen', timeZone: 'America/New_York' });
    studyId = (await createLiveStudy(t, [host])).id;
  });

  const outbox = async (bookingId: string) => (await suite.database.db.select().from(outboxMessages)).filter((m) => m.messageId.includes(bookingId));

  it('sends the confirmation and the host note at once, and the reminders only when due', async () => {
    const { t } = suite;
    const start = instantOf(upcomingDate('America/New_York', 2), '10:00', 'America/New_York');
    const booking = await book(t, studyId, start, participant({ name: 'Ada Lovelace', email: 'ada@example.test', timeZone: 'Europe/Berlin' }));
    await t.app.worker.runOnce();
    const sent = await outbox(booking.id);
    expect(sent.map((m) => m.to.join())).toEqual(expect.arrayContaining(['ada@example.test', expect.stringMatching(/^maya\.chen\./)]));
    expect(sent).toHaveLength(2);
    const confirmation = sent.find((m) => m.to.includes('ada@example.test'))!;
    expect(confirmation.text).toContain(booking.manageUrl);
    expect(confirmation.ics).toMatch(/METHOD:REQUEST/);

    await t.app.worker.runOnce(new Date(Date.parse(start) - 23 * HOUR));
    expect((await outbox(booking.id)).filter((m) => /^(Reminder|Starting at)/.test(m.subject))).toHaveLength(1);
    await t.app.worker.runOnce(new Date(Date.parse(start) - 0.9 * HOUR)); // 6 minutes late: within its grace
    expect((await outbox(booking.id)).filter((m) => /^(Reminder|Starting at)/.test(m.subject))).toHaveLength(2);
  });

  it('sends no reminder for a cancelled interview, and reminders follow a rescheduled one', async () => {
    const { t, database } = suite;
    const date = upcomingDate('America/New_York', 3);
    const moved = await book(t, studyId, instantOf(date, '10:00', 'America/New_York'));
    const cancelled = await book(t, studyId, instantOf(date, '11:00', 'America/New_York'));
    const token = (url: string) => url.split('/').pop();
    const newStart = instantOf(date, '14:00', 'America/New_York');
    expect((await t.app.inject({ method: 'POST', url: `/v1/bookings/${token(moved.manageUrl)}/reschedule`, payload: { start: newStart } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/v1/bookings/${token(cancelled.manageUrl)}/cancel` })).statusCode).toBe(200);

    // Run everything due before the new time's 24-hour reminder's grace runs out.
    await t.app.worker.runOnce(new Date(Date.parse(newStart) - 23 * HOUR));
    await t.app.worker.runOnce(new Date(Date.parse(newStart) - 23 * HOUR));
    const movedMail = await outbox(moved.id);
    expect(movedMail.filter((m) => /^(Reminder|Starting at)/.test(m.subject))).toHaveLength(1); // the new 24 h one; the old ones did nothing
    const rescheduledIcs = movedMail.filter((m) => m.ics?.includes('SEQUENCE:1'));
    expect(rescheduledIcs.length).toBeGreaterThanOrEqual(1);
    const cancelledMail = await outbox(cancelled.id);
    expect(cancelledMail.filter((m) => /^(Reminder|Starting at)/.test(m.subject))).toHaveLength(0);
    expect(cancelledMail.some((m) => m.ics?.includes('METHOD:CANCEL'))).toBe(true);
    const leftover = (await database.db.select().from(jobs).where(eq(jobs.status, 'dead'))).length;
    expect(leftover).toBe(0);
  });
});

describe(`emails that follow what really happened, on ${primaryKind}`, () => {
  const suite = useTestApp();
  let studyId: string;
  let hostEmail: string;
  const ZONE = 'America/New_York';

  beforeAll(async () => {
    const { t, database } = suite;
    const host = await createHost(t, { name: 'Rui Costa', timeZone: ZONE });
    hostEmail = (await database.db.select().from(members).where(eq(members.id, host)))[0]!.email;
    studyId = (await createLiveStudy(t, [host])).id;
    // The workspace's owner and an admin, asked when an interviewer does not mark an interview; a researcher is not.
    for (const [email, role] of [['olivia.owner@acme.test', 'owner'], ['adam.admin@acme.test', 'admin'], ['rita.researcher@acme.test', 'researcher']] as const) {
      const { user } = await ensureUser(database.db, { email, name: email.split('@')[0]! });
      await ensureMembership(database.db, { userId: user.id, workspaceId: t.workspace.workspaceId, role });
    }
  });

  const mailsOf = async (bookingId: string) => (await suite.database.db.select().from(outboxMessages).orderBy(outboxMessages.id)).filter((m) => m.messageId.includes(bookingId));
  const reminders = async (bookingId: string) => (await mailsOf(bookingId)).filter((m) => /^(Reminder|Starting at)/.test(m.subject)).map((m) => (m.subject.startsWith('Reminder') ? '24h' : '1h'));
  const at = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * HOUR);

  it('after a worker outage, drops the reminders whose moment passed beyond their grace instead of sending them late', async () => {
    const { t, database } = suite;
    const date = upcomingDate(ZONE, 2);
    const late = await book(t, studyId, instantOf(date, '10:00', ZONE));
    const onTime = await book(t, studyId, instantOf(date, '13:00', ZONE));
    await t.app.worker.runOnce();
    // The worker is down from before the 24-hour reminders until 14 hours before the 10:00
    // interview (10 hours past its reminder, 2 hours is the grace), 11 hours before the 13:00 one (13 hours past).
    await t.app.worker.runOnce(at(late.start, -14));
    expect(await reminders(late.id)).toEqual([]);
    expect(await reminders(onTime.id)).toEqual([]);
    const dropped = (await database.db.select().from(jobs).where(eq(jobs.kind, 'mail.reminder'))).filter((job) => payloadOf(job).bookingId === late.id && payloadOf(job).before === '24h');
    expect(dropped.map((job) => job.status)).toEqual(['done']); // handled: not retried, not sent
    // The 1-hour ones: 10:00's runs 20 minutes late (past its 15), 13:00's 10 minutes late.
    await t.app.worker.runOnce(at(late.start, -1 + 20 / 60));
    await t.app.worker.runOnce(at(onTime.start, -1 + 10 / 60));
    expect(await reminders(late.id)).toEqual([]);
    expect(await reminders(onTime.id)).toEqual(['1h']);
    // And one within the 24-hour grace still goes: 1 h 50 min late.
    const third = await book(t, studyId, instantOf(date, '15:00', ZONE));
    await t.app.worker.runOnce(at(third.start, -24 + 110 / 60));
    expect(await reminders(third.id)).toEqual(['24h']);
  });

  it('thanks (and promises the incentive to) only a participant marked done; a no-show and an unmarked interview get nothing', async () => {
    const { t } = suite;
    const date = upcomingDate(ZONE, 3);
    const came = await book(t, studyId, instantOf(date, '10:00', ZONE));
    const noShow = await book(t, studyId, instantOf(date, '11:00', ZONE));
    const unmarked = await book(t, studyId, instantOf(date, '13:00', ZONE));
    const thanks = async (id: string) => (await mailsOf(id)).filter((m) => m.subject.startsWith('Thank you for talking with us'));
    const deps = bookingDeps(t.app);
    await markOutcome(deps, t.workspace.workspaceId, came.id, 'completed', at(came.start, 0.5));
    await markOutcome(deps, t.workspace.workspaceId, noShow.id, 'no_show', at(noShow.start, 0.5));
    await t.app.worker.runOnce(at(unmarked.start, 5));
    await t.app.worker.runOnce(at(unmarked.start, 5));
    const thanked = await thanks(came.id);
    expect(thanked).toHaveLength(1);
    expect(thanked[0]!.text).toContain('a $25 gift card is on its way');
    expect(await thanks(noShow.id)).toEqual([]);
    expect(await thanks(unmarked.id)).toEqual([]);
    // Marked done twice (the team page, then the admin app): thanked once.
    await markOutcome(deps, t.workspace.workspaceId, came.id, 'no_show', at(came.start, 1));
    await markOutcome(deps, t.workspace.workspaceId, came.id, 'completed', at(came.start, 1));
    await t.app.worker.runOnce(at(unmarked.start, 6));
    expect(await thanks(came.id)).toHaveLength(1);
    expect((await mailsOf(noShow.id)).some((m) => /gift card is on its way/.test(m.text))).toBe(false);
  });

  it('done, no-show, done again before the thank-you went: thanked once (not zero, not twice), whichever way the jobs run', async () => {
    const { t } = suite;
    const date = upcomingDate(ZONE, 5);
    const thanks = async (id: string) => (await mailsOf(id)).filter((m) => m.subject.startsWith('Thank you for talking with us'));
    const deps = bookingDeps(t.app);
    // All three marks before the worker runs: two thank-you jobs wait; the first thanks, the second finds it done.
    const quick = await book(t, studyId, instantOf(date, '10:00', ZONE));
    for (const outcome of ['completed', 'no_show', 'completed'] as const) await markOutcome(deps, t.workspace.workspaceId, quick.id, outcome, at(quick.start, 1));
    // The worker runs between: the first thank-you finds a no-show and leaves it; done again thanks.
    const slow = await book(t, studyId, instantOf(date, '11:00', ZONE));
    await markOutcome(deps, t.workspace.workspaceId, slow.id, 'completed', at(slow.start, 1));
    await markOutcome(deps, t.workspace.workspaceId, slow.id, 'no_show', at(slow.start, 1));
    await t.app.worker.runOnce(at(slow.start, 2));
    expect(await thanks(slow.id)).toEqual([]);
    await markOutcome(deps, t.workspace.workspaceId, slow.id, 'completed', at(slow.start, 3));
    for (let i = 0; i < 3; i++) await t.app.worker.runOnce(at(slow.start, 4));
    expect(await thanks(quick.id)).toHaveLength(1);
    expect(await thanks(slow.id)).toHaveLength(1);
    // Marked again afterwards: still once.
    await markOutcome(deps, t.workspace.workspaceId, slow.id, 'no_show', at(slow.start, 5));
    await markOutcome(deps, t.workspace.workspaceId, slow.id, 'completed', at(slow.start, 5));
    await t.app.worker.runOnce(at(slow.start, 6));
    expect(await thanks(slow.id)).toHaveLength(1);
  });

  it('asks the interviewer again after two days unmarked, then the workspace owner and admins; marking it stops the asking', async () => {
    const { t } = suite;
    const date = upcomingDate(ZONE, 4);
    const forgotten = await book(t, studyId, instantOf(date, '10:00', ZONE));
    const marked = await book(t, studyId, instantOf(date, '11:00', ZONE));
    const asks = async (id: string) => (await mailsOf(id)).filter((m) => /^(Did it happen|Still to mark|Not marked yet)/.test(m.subject)).map((m) => [m.subject.split(':')[0]!.split('?')[0], m.to.slice().sort()]);
    await t.app.worker.runOnce(at(marked.start, 1));
    await t.app.worker.runOnce(at(marked.start, 1));
    expect(await asks(forgotten.id)).toEqual([['Did it happen', [hostEmail]]]);
    await markOutcome(bookingDeps(t.app), t.workspace.workspaceId, marked.id, 'completed', at(marked.start, 2));
    await t.app.worker.runOnce(at(marked.start, 49));
    expect(await asks(forgotten.id)).toEqual([['Did it happen', [hostEmail]], ['Still to mark', [hostEmail]]]);
    await t.app.worker.runOnce(at(marked.start, 73));
    await t.app.worker.runOnce(at(marked.start, 73));
    const all = await asks(forgotten.id);
    expect(all).toHaveLength(3);
    expect(all[2]).toEqual(['Not marked yet', ['adam.admin@acme.test', 'olivia.owner@acme.test']]);
    const escalation = (await mailsOf(forgotten.id)).find((m) => m.subject.startsWith('Not marked yet'))!;
    expect(escalation.text).toMatch(/http:\/\/beckon\.test\/t\//); // the team page, where anyone with the link marks it
    expect(await asks(marked.id)).toEqual([['Did it happen', [hostEmail]]]);
  });
});

describe(`mail jobs through a real SMTP server on ${primaryKind}`, () => {
  const received: string[] = [];
  let smtp: SMTPServer;
  let port: number;

  const startSmtp = async (listenPort = 0) => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, done) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on('end', () => {
          received.push(raw);
          done();
        });
      },
    });
    smtp.listen(listenPort, '127.0.0.1');
    await once(smtp.server, 'listening');
    port = (smtp.server.address() as { port: number }).port;
  };

  beforeAll(() => startSmtp());
  afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
  // Registered after the SMTP server's hooks: built once its port is known, closed before it stops.
  const suite = useTestApp(() => ({
    appOptions: { mailer: createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Beckon <research@acme.test>', timeouts: { connectionMs: 1000, greetingMs: 1000, socketMs: 2000 } }) },
  }));

  it('keeps mails in the jobs table while SMTP is down and sends each once, same Message-ID, when it is back', async () => {
    const { t, database } = suite;
    const host = await createHost(t, { name: 'Jonas', timeZone: 'Europe/Berlin' });
    const study = await createLiveStudy(t, [host]);
    await new Promise<void>((resolve) => smtp.close(() => resolve())); // the mail server goes away
    const booking = await book(t, study.id, instantOf(upcomingDate('Europe/Berlin', 2), '10:00', 'Europe/Berlin'));

    await t.app.worker.runOnce();
    const waiting = (await database.db.select().from(jobs)).filter((job) => payloadOf(job).bookingId === booking.id && ['mail.confirmation', 'mail.host_notice'].includes(job.kind));
    expect(waiting.map((job) => [job.status, job.attempts])).toEqual([['pending', 1], ['pending', 1]]);
    expect(waiting.every((job) => job.lastError && job.runAt > new Date())).toBe(true);

    await startSmtp(port); // back, on the same port
    await t.app.worker.runOnce(new Date(Date.now() + 5 * 60_000)); // the retry is due
    const mine = await Promise.all(received.filter((raw) => raw.includes(booking.id)).map((raw) => simpleParser(raw)));
    expect(mine).toHaveLength(2); // each mail once, none lost, none twice
    // The Message-ID is the job's, fixed before the first attempt: a retry is the same message.
    expect(mine.map((mail) => mail.messageId)).toEqual(expect.arrayContaining(waiting.map((job) => expect.stringContaining(`job-${job.id}.${booking.id}`))));
    for (const mail of mine) {
      expect(mail.text).toMatch(/\S/);
      expect(mail.html).toMatch(/<html/i);
    }
    const invite = mine.flatMap((mail) => mail.attachments).find((part) => part.contentType === 'text/calendar');
    expect(invite?.content.toString()).toMatch(/BEGIN:VEVENT[\s\S]*UID:[\s\S]*END:VEVENT/);
    expect(invite?.content.toString()).toContain(`UID:${booking.id}@beckon`);
  });
});
