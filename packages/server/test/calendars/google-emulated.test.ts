// The Google provider's real code through the real googleapis client, against a local
// emulation of the documented Calendar v3 and OAuth token endpoints: the consent flow, busy
// time, the event with its Meet link, patch, delete, and the faults (500, 429, invalid_grant,
// a hang past the deadline).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectGoogleOAuth } from '../../src/calendars/connections.js';
import { googleEventId, meetRequestId } from '../../src/calendars/google.js';
import { createCalendarService, type BrokenConnection, type CalendarService } from '../../src/calendars/service.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { bookings, calendarConnections, jobs, members, outboxMessages, participants } from '../../src/db/schema.js';
import { SecretBox } from '../../src/security/secrets.js';
import type { ClaimedJob } from '../../src/jobs/kinds.js';
import { enqueue } from '../../src/jobs/queue.js';
import { buildTestApp, TEST_ORIGIN, type TestApp } from '../support/app.js';
import { openTestDatabase, primaryKind } from '../support/database.js';
import { addDays, createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';
import { googleServiceOptions, startGoogleEmulator, type GoogleEmulator } from './support/google-emulator.js';

// A follow-up only this test enqueues, to see when the calendar job releases it.
declare module '../../src/jobs/kinds.js' {
  interface JobPayloads {
    'test.followup': { bookingId: string };
  }
}
import { buildCalendarRoutesApp } from './support/routes-app.js';
import { payloadOf } from '../support/jobs.js';

const ZONE = 'America/New_York';
const TIMEOUT_MS = 1_000;
const HOUR = 3_600_000;

describe(`Google Calendar through googleapis against the emulation (${primaryKind})`, () => {
  let database: DatabaseHandle;
  let google: GoogleEmulator;
  let service: CalendarService;
  let t: TestApp;
  let routes: FastifyInstance;
  const broken: BrokenConnection[] = [];
  const followed: ClaimedJob<'test.followup'>[] = [];
  const base = upcomingDate(ZONE, 1, 1);
  const day = (offset: number) => addDays(base, offset);

  beforeAll(async () => {
    database = await openTestDatabase();
    google = await startGoogleEmulator();
    const key = randomBytes(32);
    service = createCalendarService({
      db: database.db,
      secretBox: new SecretBox(key),
      fetchTimeoutMs: TIMEOUT_MS,
      cacheTtlMs: 60_000,
      ...googleServiceOptions(google),
      googleSendUpdates: 'externalOnly',
      publicUrl: 'http://beckon.test',
      onBroken: (info) => void broken.push(info),
    });
    t = await buildTestApp(
      database,
      { encryptionKey: key },
      { calendarService: service, jobHandlers: { 'test.followup': async (job) => void followed.push(job) } },
    );
    routes = await buildCalendarRoutesApp(database.db, service, { googleAuthUrl: google.authUrl });
  });

  afterEach(() => google.clearFaults());

  afterAll(async () => {
    await routes?.close();
    await t?.app.close();
    await google?.close();
    await database?.close();
  });

  async function googleHost(name: string) {
    const id = await createHost(t, { name, timeZone: ZONE, bufferAfterMinutes: 0 });
    const email = (await database.db.select().from(members).where(eq(members.id, id)))[0]!.email;
    const refreshToken = google.grant(email);
    const connection = await connectGoogleOAuth(service, { id, email }, { refreshToken, email });
    return { id, email, refreshToken, connectionId: connection.id };
  }

  const slotTimes = async (studyId: string, date: string): Promise<string[]> => {
    const from = instantOf(date, '00:00', ZONE);
    const to = instantOf(addDays(date, 1), '00:00', ZONE);
    const response = await t.app.inject({ url: `/v1/w/${t.workspace.publicKey}/studies/${studyId}/slots?from=${from}&to=${to}&tz=${ZONE}`, headers: { origin: TEST_ORIGIN } });
    expect(response.statusCode).toBe(200);
    return (response.json().slots as { start: string }[]).map((slot) =>
      new Date(slot.start).toLocaleTimeString('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit' }),
    );
  };

  const book = async (studyId: string, date: string, time: string) => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/w/${t.workspace.publicKey}/studies/${studyId}/bookings`,
      headers: { origin: TEST_ORIGIN },
      payload: { start: instantOf(date, time, ZONE), participant: participant({ name: 'Grace Hopper' }), consent: true },
    });
    expect(response.statusCode).toBe(201);
    const { booking } = response.json();
    return { ...booking, row: (await database.db.select().from(bookings).where(eq(bookings.id, booking.id)))[0]! } as { id: string; manageUrl: string; row: typeof bookings.$inferSelect };
  };

  const drainJobs = async (now?: Date) => {
    for (let i = 0; i < 10 && (await t.app.worker.runOnce(now)) > 0; i++);
  };

  const jobOf = async (kind: string, bookingId: string) => (await database.db.select().from(jobs).where(eq(jobs.kind, kind)).orderBy(jobs.id)).filter((job) => payloadOf(job).bookingId === bookingId).at(-1)!;

  const calls = (method: string, path: RegExp) => google.requests.filter((r) => r.method === method && path.test(r.path));

  it('connects an interviewer through the consent flow: signed state, refresh token sealed, never returned', async () => {
    const id = await createHost(t, { name: 'Consent', timeZone: ZONE });
    const email = (await database.db.select().from(members).where(eq(members.id, id)))[0]!.email;
    const start = await routes.inject({ url: `/v1/admin/members/${id}/calendars/google/connect`, headers: t.auth });
    expect(start.statusCode).toBe(200);
    const consent = new URL(start.json().url);
    expect(consent.origin + consent.pathname).toBe(google.authUrl);
    expect(consent.searchParams.get('client_id')).toBe(google.client.clientId);
    expect(consent.searchParams.get('access_type')).toBe('offline');
    expect(consent.searchParams.get('redirect_uri')).toBe('http://beckon.test/v1/calendars/google/callback');
    expect(consent.searchParams.get('scope')!.split(' ').sort()).toEqual(
      ['email', 'openid', 'https://www.googleapis.com/auth/calendar.events', 'https://www.googleapis.com/auth/calendar.freebusy'].sort(),
    );
    const state = consent.searchParams.get('state')!;

    const forged = await routes.inject({ url: `/v1/calendars/google/callback?state=${encodeURIComponent(state.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))}&code=x` });
    expect(forged.statusCode).toBe(400);

    // Google sends the browser back with a code.
    const code = google.authorize(email);
    const back = await routes.inject({ url: `/v1/calendars/google/callback?state=${encodeURIComponent(state)}&code=${encodeURIComponent(code)}` });
    expect(back.statusCode).toBe(200);
    expect(back.body).toContain('Calendar connected');

    const list = await routes.inject({ url: `/v1/admin/members/${id}/calendars`, headers: t.auth });
    expect(list.statusCode).toBe(200);
    expect(list.json().calendars).toEqual([
      expect.objectContaining({ provider: 'google', label: `${email} (Google)`, status: 'active', busyCalendarIds: ['primary'], writeCalendarId: 'primary' }),
    ]);
    expect(list.body).not.toMatch(/1\/\/|refresh|credentials/i);
    const [row] = await database.db.select().from(calendarConnections).where(eq(calendarConnections.memberId, id));
    expect(row!.credentialsEncrypted).toMatch(/^v1\./);
    expect(row!.credentialsEncrypted).not.toContain('1//');

    const removed = await routes.inject({ method: 'DELETE', url: `/v1/admin/members/${id}/calendars/${row!.id}`, headers: t.auth });
    expect(removed.statusCode).toBe(204);
    expect((await routes.inject({ url: `/v1/admin/members/${id}/calendars`, headers: t.auth })).json().calendars).toEqual([]);
  });

  it('reads busy time with freebusy.query and keeps those slots out', async () => {
    const host = await googleHost('Busy');
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30 });
    google.calendar(host.email).busy.push({ start: instantOf(day(0), '10:00', ZONE), end: instantOf(day(0), '11:00', ZONE) });
    const times = await slotTimes(study.id, day(0));
    expect(times).toContain('09:30');
    expect(times).not.toContain('10:00');
    expect(times).not.toContain('10:30');
    expect(times).toContain('11:00');
    const query = calls('POST', /\/freeBusy$/).at(-1)!;
    expect(query.user).toBe(host.email); // the access token came from this host's refresh token
    expect((query.body as { items: unknown }).items).toEqual([{ id: 'primary' }]);
  });

  it('writes the event with the participant and a Meet link whose request id comes from the booking; a retry makes no second event or meeting', async () => {
    const host = await googleHost('Meet');
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30, meetingLocation: { kind: 'google_meet' } });
    const booking = await book(study.id, day(1), '10:00');
    // The booking enqueued the calendar write, with the first emails waiting for its Meet link.
    await drainJobs();

    const events = google.calendar(host.email).events;
    const event = events.get(googleEventId(booking.id))!;
    expect(event).toBeDefined();
    expect(event.start.dateTime).toBe(booking.row.startsAt.toISOString());
    expect(event.attendees).toEqual([expect.objectContaining({ email: expect.stringMatching(/@example\.test$/), displayName: 'Grace Hopper' })]);
    // The participant is invited to this event: the public title, never the study's internal name.
    expect(event.summary).toMatch(/^A 20-minute conversation with .+: Grace Hopper and /);
    expect(`${event.summary}\n${event.description}`).not.toContain('Onboarding interviews');
    expect(event.description).toContain('A 20-minute conversation with');
    expect(event.description).toMatch(/Reschedule or cancel: http:\/\/beckon\.test\/m\/[\w-]{43}/);
    expect(event.conferenceData?.createRequest?.requestId).toBe(meetRequestId(booking.id, host.id));
    expect(event.hangoutLink).toMatch(/^https:\/\/meet\.google\.com\//);
    const insert = calls('POST', /\/events$/).at(-1)!;
    expect(insert.query.get('conferenceDataVersion')).toBe('1');
    expect(insert.query.get('sendUpdates')).toBe('externalOnly');

    // The Meet link is on the booking before the participant's email is written, and in it.
    const row = (await database.db.select().from(bookings).where(eq(bookings.id, booking.id)))[0]!;
    expect(row.meetingUrl).toBe(event.hangoutLink);
    const confirmation = (await database.db.select().from(outboxMessages)).find((m) => m.messageId.includes(booking.id) && m.subject.startsWith('Confirmed'));
    expect(confirmation?.text).toContain(event.hangoutLink!);

    // The same job again (a worker died after the write): insert → 409 → patch the same event.
    const link = event.hangoutLink;
    await enqueue(database.db, { kind: 'calendar.upsert', payload: { bookingId: booking.id, sequence: 0 } });
    await drainJobs();
    expect([...events.values()].filter((e) => e.id === googleEventId(booking.id))).toHaveLength(1);
    expect(events.size).toBe(1);
    expect(events.get(googleEventId(booking.id))!.hangoutLink).toBe(link);
    expect(calls('PATCH', /\/events\//).at(-1)!.query.get('sendUpdates')).toBe('externalOnly');
  });

  it('patches the event on reschedule and deletes it on cancel, with the same sendUpdates each time', async () => {
    const host = await googleHost('Patch');
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30, meetingLocation: { kind: 'google_meet' } });
    const booking = await book(study.id, day(2), '10:00');
    await drainJobs();
    const eventId = googleEventId(booking.id);
    const link = google.calendar(host.email).events.get(eventId)!.hangoutLink;

    const token = booking.manageUrl.split('/').pop();
    const newStart = instantOf(day(2), '14:00', ZONE);
    expect((await t.app.inject({ method: 'POST', url: `/v1/bookings/${token}/reschedule`, payload: { start: newStart } })).statusCode).toBe(200);
    await drainJobs();
    const event = google.calendar(host.email).events.get(eventId)!;
    expect(event.start.dateTime).toBe(new Date(newStart).toISOString());
    expect(event.hangoutLink).toBe(link);
    const patch = calls('PATCH', new RegExp(`/events/${eventId}$`)).at(-1)!;
    expect(patch.query.get('sendUpdates')).toBe('externalOnly');

    expect((await t.app.inject({ method: 'POST', url: `/v1/bookings/${token}/cancel` })).statusCode).toBe(200);
    // The cancel enqueued one delete; a second (a retry after a crash) finds the event gone.
    await enqueue(database.db, { kind: 'calendar.delete', payload: { bookingId: booking.id } });
    await drainJobs();
    expect(google.calendar(host.email).events.get(eventId)!.status).toBe('cancelled');
    const deletes = calls('DELETE', new RegExp(`/events/${eventId}$`));
    expect(deletes).toHaveLength(2); // the second got 410 Gone, which is fine
    expect(deletes.every((request) => request.query.get('sendUpdates') === 'externalOnly')).toBe(true);
    expect((await jobOf('calendar.delete', booking.id)).status).toBe('done');
  });

  it('removes the event of a participant erased on request, without Google emailing them about it', async () => {
    const host = await googleHost('Erasure');
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30 });
    const booking = await book(study.id, day(3), '10:00');
    await drainJobs();
    const eventId = googleEventId(booking.id);
    const [person] = await database.db.select().from(participants).where(eq(participants.id, booking.row.participantId));
    expect(google.calendar(host.email).events.get(eventId)!.attendees?.map((a) => a.email)).toContain(person!.email);

    const erased = await t.app.inject({ method: 'POST', url: '/v1/admin/participants/erase', headers: t.auth, payload: { email: person!.email } });
    expect(erased.json()).toMatchObject({ participants: 1, bookingsCancelled: 1 });
    await drainJobs();
    expect(google.calendar(host.email).events.get(eventId)!.status).toBe('cancelled');
    expect(calls('DELETE', new RegExp(`/events/${eventId}$`)).map((request) => request.query.get('sendUpdates'))).toEqual(['none']);
    expect((await jobOf('calendar.delete', booking.id)).status).toBe('done');
  });

  it('moves the upcoming interviews to a newly chosen calendar without Google telling the participant it was cancelled', async () => {
    const host = await googleHost('Mover');
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30 });
    const booking = await book(study.id, day(4), '10:00');
    await drainJobs();
    const eventId = googleEventId(booking.id);
    expect(google.calendar(host.email).events.get(eventId)!.status).toBe('confirmed');

    const research = `research-${host.id}@group.calendar.google.com`;
    google.calendar(research);
    const chosen = await routes.inject({ method: 'PATCH', url: `/v1/admin/members/${host.id}/calendars/${host.connectionId}`, headers: t.auth, payload: { writeCalendarId: research } });
    expect(chosen.statusCode).toBe(200);
    await drainJobs();
    expect(google.calendar(research).events.get(eventId)!.status).toBe('confirmed');
    expect(google.calendar(host.email).events.get(eventId)!.status).toBe('cancelled');
    expect(calls('DELETE', new RegExp(`/calendars/${encodeURIComponent(host.email)}/events/${eventId}$|/calendars/primary/events/${eventId}$`)).map((request) => request.query.get('sendUpdates'))).toEqual(['none']);
    expect((await jobOf('calendar.upsert', booking.id)).status).toBe('done');
  });

  it('moves an interview to a time overlapping its own: its event on Google does not block the move, other busy time does', async () => {
    const host = await googleHost('Overlap');
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30, durationMinutes: 60 });
    const booking = await book(study.id, day(9), '10:00');
    await drainJobs();
    expect(google.calendar(host.email).events.get(googleEventId(booking.id))!.status).not.toBe('cancelled');
    google.calendar(host.email).busy.push({ start: instantOf(day(9), '11:30', ZONE), end: instantOf(day(9), '12:30', ZONE) });
    const token = booking.manageUrl.split('/').pop();
    const reschedule = (time: string) => t.app.inject({ method: 'POST', url: `/v1/bookings/${token}/reschedule`, payload: { start: instantOf(day(9), time, ZONE) } });

    // 10:30–11:30 overlaps only the interview itself; 11:00–12:00 overlaps the 11:30 meeting.
    expect((await reschedule('11:00')).statusCode).toBe(409);
    expect((await reschedule('10:30')).statusCode).toBe(200);
    await drainJobs();
    expect(google.calendar(host.email).events.get(googleEventId(booking.id))!.start.dateTime).toBe(new Date(instantOf(day(9), '10:30', ZONE)).toISOString());
    // And back, overlapping the moved event the same way.
    expect((await reschedule('10:00')).statusCode).toBe(200);
  });

  it('retries a 429 on freebusy.query with backoff, and leaves a host out (fail closed) on a lasting 500', async () => {
    const host = await googleHost('Faults');
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30 });
    const before = calls('POST', /\/freeBusy$/).length;
    google.fail({ path: /\/freeBusy$/, status: 429, times: 1, retryAfter: 0 });
    expect(await slotTimes(study.id, day(3))).toHaveLength(16);
    expect(calls('POST', /\/freeBusy$/).length - before).toBe(2);
    expect(service.hostsLeftOut([host.id])).toEqual({});

    service.forget(host.id);
    google.fail({ path: /\/freeBusy$/, status: 500, times: 10 });
    const other = await createHost(t, { name: 'No calendar', timeZone: ZONE, bufferAfterMinutes: 0 });
    const shared = await createLiveStudy(t, [host.id, other], { slotStepMinutes: 30 });
    expect(await slotTimes(study.id, day(3))).toEqual([]);
    expect(service.hostsLeftOut([host.id, other])).toEqual({ [host.id]: expect.objectContaining({ reason: 'unreachable', message: expect.stringContaining('500') }) });
    expect(await slotTimes(shared.id, day(3))).toHaveLength(16); // the other host is still offered
  });

  it('gives up on a call that hangs past the deadline: the host is left out, and the write job is retried', async () => {
    const host = await googleHost('Hang');
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30 });
    google.hang({ path: /\/freeBusy$/, times: 1 });
    const started = Date.now();
    expect(await slotTimes(study.id, day(4))).toEqual([]);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_500);
    expect(service.hostsLeftOut([host.id])[host.id]).toMatchObject({ reason: 'unreachable', message: expect.stringMatching(/timed out/) });

    service.forget(host.id);
    const booking = await book(study.id, day(4), '13:00');
    // This test drives the write job by hand, with its own follow-up, instead of the booking's.
    await database.db.delete(jobs).where(and(eq(jobs.kind, 'calendar.upsert'), sql`${jobs.payload}->>'bookingId' = ${booking.id}`));
    google.hang({ method: 'POST', path: /\/events$/, times: 1 });
    const followUps = [{ kind: 'test.followup' as const, payload: { bookingId: booking.id } }];
    await enqueue(database.db, { kind: 'calendar.upsert', payload: { bookingId: booking.id, sequence: 0, followUps, releaseFollowUpsAfter: 1 } });
    await drainJobs();
    const job = await jobOf('calendar.upsert', booking.id);
    expect(job.status).toBe('pending');
    expect(job.lastError).toMatch(/timed out/);
    // The participant's email does not wait for the calendar: released after the first failure.
    expect(followed.filter((f) => f.payload.bookingId === booking.id)).toHaveLength(1);

    google.fail({ method: 'POST', path: /\/events$/, status: 429, times: 1 });
    await drainJobs(new Date(Date.now() + HOUR));
    expect((await jobOf('calendar.upsert', booking.id)).lastError).toMatch(/429/);
    await drainJobs(new Date(Date.now() + 3 * HOUR));
    expect((await jobOf('calendar.upsert', booking.id)).status).toBe('done');
    expect(google.calendar(host.email).events.has(googleEventId(booking.id))).toBe(true);
    expect((await database.db.select().from(bookings).where(eq(bookings.id, booking.id)))[0]!.status).toBe('confirmed');
    expect(followed.filter((f) => f.payload.bookingId === booking.id)).toHaveLength(1); // not again on success
  });

  it('marks the connection broken on invalid_grant, tells the app, stops offering the host, and keeps the booking', async () => {
    const host = await googleHost('Revoked');
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30 });
    expect(await slotTimes(study.id, day(7))).toHaveLength(16);
    const booking = await book(study.id, day(7), '10:00');

    google.revoke(host.refreshToken);
    service.forget(host.id);
    expect(await slotTimes(study.id, day(7))).toEqual([]);
    for (let i = 0; i < 50 && !broken.some((b) => b.connectionId === host.connectionId); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(broken).toContainEqual(expect.objectContaining({ connectionId: host.connectionId, memberId: host.id, provider: 'google', error: expect.stringMatching(/invalid_grant/) }));
    const [row] = await database.db.select().from(calendarConnections).where(eq(calendarConnections.id, host.connectionId));
    expect(row).toMatchObject({ status: 'broken', lastError: expect.stringMatching(/invalid_grant/) });
    expect(service.hostsLeftOut([host.id])[host.id]).toMatchObject({ reason: 'broken' });

    await enqueue(database.db, { kind: 'calendar.upsert', payload: { bookingId: booking.id } });
    await drainJobs();
    const job = await jobOf('calendar.upsert', booking.id);
    expect(job.status).toBe('pending');
    expect(job.lastError).toMatch(/broken/);
    expect((await database.db.select().from(bookings).where(eq(bookings.id, booking.id)))[0]!.status).toBe('confirmed');

    // Reconnecting the same account through the consent flow replaces the broken connection.
    const code = google.authorize(host.email);
    const state = new URL((await routes.inject({ url: `/v1/admin/members/${host.id}/calendars/google/connect`, headers: t.auth })).json().url).searchParams.get('state')!;
    expect((await routes.inject({ url: `/v1/calendars/google/callback?state=${encodeURIComponent(state)}&code=${encodeURIComponent(code)}` })).statusCode).toBe(200);
    const list = (await routes.inject({ url: `/v1/admin/members/${host.id}/calendars`, headers: t.auth })).json().calendars;
    expect(list).toEqual([expect.objectContaining({ provider: 'google', status: 'active' })]);
    await drainJobs(new Date(Date.now() + HOUR));
    expect((await jobOf('calendar.upsert', booking.id)).status).toBe('done');
    expect(await slotTimes(study.id, day(7))).not.toContain('10:00');
    expect(await slotTimes(study.id, day(7))).toHaveLength(15);
  });

  it('connects a Google Workspace user through a service account with domain-wide delegation', async () => {
    const id = await createHost(t, { name: 'Workspace', timeZone: ZONE, bufferAfterMinutes: 0 });
    const email = (await database.db.select().from(members).where(eq(members.id, id)))[0]!.email;
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const clientEmail = 'beckon-calendar@acme-project.iam.gserviceaccount.com';
    google.addServiceAccount(clientEmail, publicKey, [email]);

    const refused = await routes.inject({
      method: 'POST',
      url: `/v1/admin/members/${id}/calendars`,
      headers: t.auth,
      payload: { provider: 'google', mode: 'service_account', clientEmail, privateKey, subject: 'someone-else@acme.test' },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('calendar_auth_failed');

    const created = await routes.inject({ method: 'POST', url: `/v1/admin/members/${id}/calendars`, headers: t.auth, payload: { provider: 'google', mode: 'service_account', clientEmail, privateKey } });
    expect(created.statusCode).toBe(201);
    expect(created.json().calendar).toMatchObject({ provider: 'google', label: `${email} (Google Workspace)`, writeCalendarId: 'primary' });
    expect(created.body).not.toContain('PRIVATE KEY');
    expect(calls('POST', /^\/token$/).some((r) => (r.body as Record<string, string>).grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer')).toBe(true);

    const study = await createLiveStudy(t, [id], { slotStepMinutes: 30 });
    google.calendar(email).busy.push({ start: instantOf(day(8), '09:00', ZONE), end: instantOf(day(8), '12:00', ZONE) });
    const times = await slotTimes(study.id, day(8));
    expect(times[0]).toBe('12:00');
    expect(calls('POST', /\/freeBusy$/).at(-1)!.user).toBe(email);

    // Later, the team's research calendar counts too and takes the interviews: chosen with the same key.
    const choose = (payload: object) => routes.inject({ method: 'PATCH', url: `/v1/admin/members/${id}/calendars/${created.json().calendar.id}`, headers: t.auth, payload });
    const research = 'research@group.calendar.google.com';
    const listed = await routes.inject({ url: `/v1/admin/members/${id}/calendars/${created.json().calendar.id}/choices`, headers: t.auth });
    expect(listed.json()).toEqual({ calendars: [] }); // not listed with Beckon's scopes: ids are typed in
    const missing = await choose({ busyCalendarIds: ['primary', research], writeCalendarId: research });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.field).toBe('busyCalendarIds');
    expect(missing.json().error.message).toContain(research);
    google.calendar(research).busy.push({ start: instantOf(day(8), '12:00', ZONE), end: instantOf(day(8), '13:00', ZONE) });
    const chosen = await choose({ busyCalendarIds: ['primary', research], writeCalendarId: research });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json().calendar).toMatchObject({ busyCalendarIds: ['primary', research], writeCalendarId: research });
    expect((await slotTimes(study.id, day(8)))[0]).toBe('13:00');
  });
});
