// CalDAV against a real Radicale server: events put there by the test block exactly the slots
// they should, the interview is written there by the job worker, follows a reschedule, goes
// away on cancel, and survives the server being stopped mid-run.
import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventUrl } from '../../src/calendars/caldav.js';
import { connectCalDav, updateConnectionCalendars } from '../../src/calendars/connections.js';
import { createCalendarService, type BrokenConnection, type CalendarService } from '../../src/calendars/service.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { bookings, calendarConnections, jobs, members } from '../../src/db/schema.js';
import { SecretBox } from '../../src/security/secrets.js';
import { buildTestApp, TEST_ORIGIN, type TestApp } from '../support/app.js';
import { openTestDatabase, primaryKind } from '../support/database.js';
import { addDays, createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';
import { allDay, calendar, local, vevent } from './support/ics.js';
import { radicaleAvailable, startRadicale, type Radicale } from './support/radicale.js';
import { buildCalendarRoutesApp } from './support/routes-app.js';
import { payloadOf } from '../support/jobs.js';

const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;

// Like the PostgreSQL suites: skipped with one line where Radicale is missing, a failure in CI.
if (!radicaleAvailable) {
  const line = 'radicale not installed at /usr/bin/radicale: the CalDAV suite is skipped (apt-get install radicale)';
  if (process.env.BECKON_REQUIRE_SERVICES === '1') throw new Error(`BECKON_REQUIRE_SERVICES=1 but ${line}`);
  console.warn(`[skip] ${line}`);
}

describe.runIf(radicaleAvailable)(`CalDAV busy time and events on Radicale (${primaryKind})`, () => {
  let database: DatabaseHandle;
  let radicale: Radicale;
  let service: CalendarService;
  let t: TestApp;
  let workCal: string;
  let personalCal: string;
  let host: string;
  let hostEmail: string;
  let study: { id: string };
  const broken: BrokenConnection[] = [];
  // A Monday one to two weeks ahead; every scenario has its own day after it.
  const base = upcomingDate(ZONE, 1, 1);
  const day = (offset: number) => addDays(base, offset);

  const slotTimes = async (studyId: string, date: string): Promise<string[]> => {
    const from = instantOf(date, '00:00', ZONE);
    const to = instantOf(addDays(date, 1), '00:00', ZONE);
    const response = await t.app.inject({ url: `/v1/w/${t.workspace.publicKey}/studies/${studyId}/slots?from=${from}&to=${to}&tz=${ZONE}`, headers: { origin: TEST_ORIGIN } });
    expect(response.statusCode).toBe(200);
    return (response.json().slots as { start: string }[]).map((slot) => Temporal.Instant.from(slot.start).toZonedDateTimeISO(ZONE).toPlainTime().toString().slice(0, 5));
  };

  const book = (studyId: string, date: string, time: string) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/w/${t.workspace.publicKey}/studies/${studyId}/bookings`,
      headers: { origin: TEST_ORIGIN },
      payload: { start: instantOf(date, time, ZONE), participant: participant({ name: 'Ada Lovelace' }), consent: true },
    });

  const drainJobs = async (now?: Date) => {
    for (let i = 0; i < 10 && (await t.app.worker.runOnce(now)) > 0; i++);
  };

  const bookingRow = async (id: string) => (await database.db.select().from(bookings).where(eq(bookings.id, id)))[0]!;

  beforeAll(async () => {
    database = await openTestDatabase();
    radicale = await startRadicale();
    workCal = await radicale.makeCalendar('work', 'Work');
    personalCal = await radicale.makeCalendar('personal', 'Personal');
    const key = randomBytes(32);
    service = createCalendarService({
      caldavAllowPrivateNetworks: true, // Radicale runs on loopback
      db: database.db,
      secretBox: new SecretBox(key),
      fetchTimeoutMs: 3_000,
      cacheTtlMs: 60_000,
      publicUrl: 'http://beckon.test',
      onBroken: (info) => void broken.push(info),
    });
    t = await buildTestApp(database, { encryptionKey: key }, { calendarService: service });
    host = await createHost(t, { name: 'Maya', timeZone: ZONE, bufferAfterMinutes: 0 });
    hostEmail = (await database.db.select().from(members).where(eq(members.id, host)))[0]!.email;
    study = await createLiveStudy(t, [host], { slotStepMinutes: 30 });

    const tue = (offset: number) => day(offset); // readability below
    await radicale.put(workCal, 'single', calendar(vevent({ uid: 'single', date: day(0), start: '10:00', end: '11:00' })));
    // Tuesdays and Thursdays 12:00–13:00 since two weeks ago: week A's Tuesday moved to
    // Wednesday 15:00, week B's Tuesday removed (EXDATE), week B's Thursday cancelled.
    await radicale.put(
      workCal,
      'standup',
      calendar(
        vevent({
          uid: 'standup',
          date: tue(-13),
          start: '12:00',
          end: '13:00',
          extra: ['RRULE:FREQ=WEEKLY;BYDAY=TU,TH', `EXDATE;TZID=Europe/Berlin:${local(day(8), '12:00')}`],
        }),
        vevent({ uid: 'standup', date: day(2), start: '15:00', end: '16:00', recurrenceId: { date: day(1), time: '12:00' } }),
        vevent({ uid: 'standup', date: day(10), start: '12:00', end: '13:00', recurrenceId: { date: day(10), time: '12:00' }, extra: ['STATUS:CANCELLED'] }),
      ),
    );
    // Friday A: a free (transparent) event, one the host declined, one they accepted, and one
    // on their second (personal) calendar.
    await radicale.put(workCal, 'focus', calendar(vevent({ uid: 'focus', date: day(4), start: '10:00', end: '11:00', extra: ['TRANSP:TRANSPARENT'] })));
    await radicale.put(
      workCal,
      'declined',
      calendar(
        vevent({
          uid: 'declined',
          date: day(4),
          start: '13:00',
          end: '14:00',
          extra: ['ORGANIZER;CN=Boss:mailto:boss@acme.test', `ATTENDEE;CN=Maya;PARTSTAT=DECLINED:mailto:${hostEmail.toUpperCase()}`, 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:boss@acme.test'],
        }),
      ),
    );
    await radicale.put(
      workCal,
      'accepted',
      calendar(vevent({ uid: 'accepted', date: day(4), start: '15:00', end: '16:00', extra: ['ORGANIZER:mailto:boss@acme.test', `ATTENDEE;PARTSTAT=ACCEPTED:mailto:${hostEmail}`] })),
    );
    await radicale.put(personalCal, 'dentist', calendar(vevent({ uid: 'dentist', date: day(4), start: '09:00', end: '09:30' })));
    // Monday B: an all-day busy event; Tuesday B: an all-day free one (a reminder, not a meeting).
    await radicale.put(workCal, 'offsite', calendar(allDay('offsite', day(7))));
    await radicale.put(workCal, 'birthday', calendar(allDay('birthday', day(8), ['TRANSP:TRANSPARENT'])));

    await connectCalDav(service, { id: host, email: hostEmail }, { serverUrl: radicale.url, username: radicale.username, password: radicale.password, writeCalendarUrl: workCal });
  }, 60_000);

  afterAll(async () => {
    await t?.app.close();
    await radicale?.dispose();
    await database?.close();
  });

  it('discovers the calendars when connecting, and refuses a wrong password without storing anything', async () => {
    const other = await createHost(t, { name: 'Discovery', timeZone: ZONE });
    const wrong = connectCalDav(service, { id: other, email: 'd@acme.test' }, { serverUrl: radicale.url, username: radicale.username, password: 'not-it' });
    await expect(wrong).rejects.toMatchObject({ statusCode: 422, code: 'calendar_auth_failed' });
    const { connection, calendars } = await connectCalDav(service, { id: other, email: 'd@acme.test' }, { serverUrl: radicale.url, username: radicale.username, password: radicale.password });
    expect(calendars.map((c) => c.displayName).sort()).toEqual(['Personal', 'Work']);
    expect(connection.busyCalendarIds.sort()).toEqual([personalCal, workCal].sort());
    expect(connection.writeCalendarId).toBeNull(); // two calendars and none named: the PM chooses
    expect(connection.credentialsEncrypted).not.toContain(radicale.password);
    const rows = await database.db.select().from(calendarConnections).where(eq(calendarConnections.memberId, other));
    expect(rows).toHaveLength(1);
  });

  it('connects, lists and disconnects CalDAV through the admin API, never returning the password', async () => {
    const routes = await buildCalendarRoutesApp(database.db, service);
    try {
      const member = await createHost(t, { name: 'Api', timeZone: ZONE });
      const url = `/v1/admin/members/${member}/calendars`;
      const payload = { provider: 'caldav', serverUrl: radicale.url, username: radicale.username, password: radicale.password, busyCalendarUrls: [workCal], writeCalendarUrl: `/${radicale.username}/work/` };
      expect((await routes.inject({ method: 'POST', url, payload })).statusCode).toBe(401); // no secret key
      const wrong = await routes.inject({ method: 'POST', url, headers: t.auth, payload: { ...payload, password: 'nope' } });
      expect(wrong.statusCode).toBe(422);
      expect(wrong.json().error).toMatchObject({ code: 'calendar_auth_failed', field: 'password' });
      const missing = await routes.inject({ method: 'POST', url, headers: t.auth, payload: { ...payload, writeCalendarUrl: `${radicale.url}/${radicale.username}/nope/` } });
      expect(missing.json().error).toMatchObject({ code: 'calendar_not_found', field: 'writeCalendarUrl' });
      expect((await routes.inject({ method: 'POST', url, headers: t.auth, payload: { provider: 'exchange' } })).statusCode).toBe(400);

      const created = await routes.inject({ method: 'POST', url, headers: t.auth, payload });
      expect(created.statusCode).toBe(201);
      expect(created.json().calendar).toMatchObject({ provider: 'caldav', status: 'active', busyCalendarIds: [workCal], writeCalendarId: workCal });
      expect(created.json().discovered.map((c: { displayName: string }) => c.displayName).sort()).toEqual(['Personal', 'Work']);
      const listed = await routes.inject({ url, headers: t.auth });
      expect(listed.json().calendars).toHaveLength(1);
      for (const body of [created.body, listed.body]) expect(body).not.toContain(radicale.password);

      const other = await routes.inject({ url: `/v1/admin/members/${randomUUID()}/calendars`, headers: t.auth });
      expect(other.statusCode).toBe(404);
      const id = listed.json().calendars[0].id;
      expect((await routes.inject({ method: 'DELETE', url: `${url}/${id}`, headers: t.auth })).statusCode).toBe(204);
      expect((await routes.inject({ method: 'DELETE', url: `${url}/${id}`, headers: t.auth })).statusCode).toBe(404);
    } finally {
      await routes.close();
    }
  });

  it('changes which calendars a connection reads and writes to with its stored password; a wrong choice changes nothing', async () => {
    const routes = await buildCalendarRoutesApp(database.db, service);
    try {
      const member = await createHost(t, { name: 'Chooser', timeZone: ZONE });
      const url = `/v1/admin/members/${member}/calendars`;
      const created = await routes.inject({ method: 'POST', url, headers: t.auth, payload: { provider: 'caldav', serverUrl: radicale.url, username: radicale.username, password: radicale.password } });
      const id = created.json().calendar.id as string;
      expect(created.json().calendar).toMatchObject({ writeCalendarId: null });
      const patch = (payload: unknown) => routes.inject({ method: 'PATCH', url: `${url}/${id}`, headers: t.auth, payload: payload as object });
      const choices = await routes.inject({ url: `${url}/${id}/choices`, headers: t.auth });
      expect(choices.statusCode).toBe(200);
      expect(choices.json().calendars.map((c: { url: string; displayName: string }) => [c.displayName, c.url]).sort()).toEqual([['Personal', personalCal], ['Work', workCal]]);

      // By path, as the admin app's list shows them, or by full URL.
      const chosen = await patch({ busyCalendarIds: [`/${radicale.username}/work/`], writeCalendarId: personalCal });
      expect(chosen.statusCode).toBe(200);
      expect(chosen.json().calendar).toMatchObject({ busyCalendarIds: [workCal], writeCalendarId: personalCal });
      expect(chosen.json().discovered.map((c: { displayName: string }) => c.displayName).sort()).toEqual(['Personal', 'Work']);
      expect(chosen.body).not.toContain(radicale.password);

      const unknown = await patch({ busyCalendarIds: [workCal, `${radicale.url}/${radicale.username}/nope/`] });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json().error).toMatchObject({ code: 'calendar_not_found', field: 'busyCalendarIds.1' });
      expect((await patch({})).statusCode).toBe(400);
      expect((await patch({ busyCalendarIds: [] })).json().error.field).toBe('busyCalendarIds');
      expect((await routes.inject({ method: 'PATCH', url: `${url}/${randomUUID()}`, headers: t.auth, payload: { writeCalendarId: null } })).json().error.code).toBe('calendar_not_found');
      const [kept] = await database.db.select().from(calendarConnections).where(eq(calendarConnections.id, id));
      expect(kept).toMatchObject({ busyCalendarIds: [workCal], writeCalendarId: personalCal });

      expect((await patch({ writeCalendarId: null })).json().calendar).toMatchObject({ busyCalendarIds: [workCal], writeCalendarId: null });

      // A password revoked since: nothing to fix in the choice, so no field; reconnecting is the way.
      const box = new SecretBox(t.config.encryptionKey!);
      await database.db
        .update(calendarConnections)
        .set({ credentialsEncrypted: box.seal(JSON.stringify({ serverUrl: radicale.url, username: radicale.username, password: 'revoked' })) })
        .where(eq(calendarConnections.id, id));
      expect((await routes.inject({ url: `${url}/${id}/choices`, headers: t.auth })).json().error.code).toBe('calendar_auth_failed');
      const refused = await patch({ writeCalendarId: workCal });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error.code).toBe('calendar_auth_failed');
      expect(refused.json().error.field).toBeUndefined();
      expect(refused.json().error.message).toMatch(/Reconnect/);

      const builtin = await routes.inject({ method: 'POST', url, headers: t.auth, payload: { provider: 'builtin' } });
      const noChoice = await routes.inject({ method: 'PATCH', url: `${url}/${builtin.json().calendar.id}`, headers: t.auth, payload: { writeCalendarId: null } });
      expect(noChoice.statusCode).toBe(422);
      expect(noChoice.json().error.code).toBe('no_calendars');
    } finally {
      await routes.close();
    }
  });

  it('blocks the slots a single event takes, and only those', async () => {
    const times = await slotTimes(study.id, day(0));
    expect(times).toContain('09:30'); // ends 09:50, before the meeting
    expect(times).not.toContain('10:00');
    expect(times).not.toContain('10:30');
    expect(times).toContain('11:00');
    expect(times).toHaveLength(14); // 16 half-hour starts from 09:00 to 16:30, less two
  });

  it('blocks exactly the real times of a recurring event with a moved and cancelled instances', async () => {
    expect(await slotTimes(study.id, day(1))).toContain('12:00'); // Tuesday A: moved away
    const wednesday = await slotTimes(study.id, day(2));
    expect(wednesday).not.toContain('15:00'); // …to Wednesday 15:00
    expect(wednesday).not.toContain('15:30');
    expect(wednesday).toContain('12:00');
    const thursday = await slotTimes(study.id, day(3));
    expect(thursday).not.toContain('12:00'); // a regular instance
    expect(thursday).not.toContain('12:30');
    expect(thursday).toContain('11:30');
    expect(thursday).toContain('13:00');
    expect(await slotTimes(study.id, day(8))).toContain('12:00'); // EXDATE
    expect(await slotTimes(study.id, day(10))).toContain('12:00'); // STATUS:CANCELLED instance
    expect(await slotTimes(study.id, day(15))).not.toContain('12:00'); // Tuesday C: regular again
  });

  it('lets transparent and declined events through, and reads every busy calendar', async () => {
    const friday = await slotTimes(study.id, day(4));
    expect(friday).toContain('10:00'); // TRANSP:TRANSPARENT
    expect(friday).toContain('13:00'); // the host declined
    expect(friday).not.toContain('15:00'); // the host accepted
    expect(friday).not.toContain('09:00'); // on the personal calendar
    expect(friday).toContain('09:30');
  });

  it('blocks a whole day for an all-day busy event, but not for an all-day free one', async () => {
    expect(await slotTimes(study.id, day(7))).toEqual([]);
    expect(await slotTimes(study.id, day(8))).toHaveLength(16);
  });

  it('moves the upcoming interviews to the calendar chosen for them, and off the calendars when none is', async () => {
    const mover = await createHost(t, { name: 'Mover', timeZone: ZONE, bufferAfterMinutes: 0 });
    const moverStudy = await createLiveStudy(t, [mover], { slotStepMinutes: 30 });
    const { connection } = await connectCalDav(service, { id: mover, email: 'mover@acme.test' }, { serverUrl: radicale.url, username: radicale.username, password: radicale.password, writeCalendarUrl: workCal });
    const response = await book(moverStudy.id, day(10), '11:00');
    expect(response.statusCode).toBe(201);
    const row = await bookingRow(response.json().booking.id);
    await drainJobs();
    const status = async (calendarUrl: string) => (await radicale.get(eventUrl(calendarUrl, row.icalUid))).status;
    expect([await status(workCal), await status(personalCal)]).toEqual([200, 404]);

    await updateConnectionCalendars(service, { id: mover, email: 'mover@acme.test' }, connection.id, { writeCalendarId: personalCal });
    await drainJobs();
    expect([await status(workCal), await status(personalCal)]).toEqual([404, 200]);

    await updateConnectionCalendars(service, { id: mover, email: 'mover@acme.test' }, connection.id, { writeCalendarId: null });
    await drainJobs();
    expect([await status(workCal), await status(personalCal)]).toEqual([404, 404]);
    expect((await bookingRow(row.id)).status).toBe('confirmed'); // the interview itself is untouched
  });

  it('writes the booked interview to the write calendar, moves it on reschedule and removes it on cancel', async () => {
    const response = await book(study.id, day(9), '10:00');
    expect(response.statusCode).toBe(201);
    const { booking } = response.json();
    const row = await bookingRow(booking.id);
    // The booking enqueued its calendar write with its emails.
    await drainJobs();
    const url = eventUrl(workCal, row.icalUid);
    const unfolded = async () => {
      const { status, body } = await radicale.get(url);
      return { status, body: body.replace(/\r\n[ \t]/g, '') };
    };
    let stored = await unfolded();
    expect(stored.status).toBe(200);
    expect(stored.body).toContain(`UID:${row.icalUid}`);
    expect(stored.body).toContain(`DTSTART:${instantOf(day(9), '10:00', ZONE).replace(/[-:]/g, '')}`);
    // Beckon mails the participant itself; a scheduling server must not send a second invite.
    expect(stored.body).toMatch(/ATTENDEE;[^\r\n]*SCHEDULE-AGENT=CLIENT[^\r\n]*:mailto:participant/);
    expect(stored.body).toContain('Ada Lovelace');
    expect(stored.body).toContain('Reschedule or cancel: http://beckon.test/m/');

    // The host's own event must not make the booking look double-booked to the slot code.
    expect(await slotTimes(study.id, day(9))).not.toContain('10:00');

    const token = booking.manageUrl.split('/').pop();
    const moved = await t.app.inject({ method: 'POST', url: `/v1/bookings/${token}/reschedule`, payload: { start: instantOf(day(9), '14:00', ZONE) } });
    expect(moved.statusCode).toBe(200);
    await drainJobs();
    stored = await unfolded();
    expect(stored.body).toContain(`DTSTART:${instantOf(day(9), '14:00', ZONE).replace(/[-:]/g, '')}`);
    expect(stored.body).toContain('SEQUENCE:1');
    expect((await radicale.list(workCal)).filter((href) => href.includes(booking.id))).toHaveLength(1); // moved, not copied

    expect((await t.app.inject({ method: 'POST', url: `/v1/bookings/${token}/cancel` })).statusCode).toBe(200);
    await drainJobs();
    expect((await radicale.get(url)).status).toBe(404);
  });

  it("does not let the interview's own event block moving it to an overlapping time", async () => {
    const fine = await createLiveStudy(t, [host], { slotStepMinutes: 15 });
    const response = await book(fine.id, day(14), '10:00');
    expect(response.statusCode).toBe(201);
    const { booking } = response.json();
    await drainJobs();
    const url = eventUrl(workCal, (await bookingRow(booking.id)).icalUid);
    expect((await radicale.get(url)).body).toContain(`X-BECKON-HOST:${host}`);
    service.forget(host);
    const token = booking.manageUrl.split('/').pop();
    const moved = await t.app.inject({ method: 'POST', url: `/v1/bookings/${token}/reschedule`, payload: { start: instantOf(day(14), '10:15', ZONE) } });
    expect(moved.statusCode).toBe(200);
    await drainJobs();
    expect((await radicale.get(url)).body).toContain(`DTSTART:${instantOf(day(14), '10:15', ZONE).replace(/[-:]/g, '')}`);
  });

  it('reads busy time again just before booking: an event added since the slots were listed wins', async () => {
    expect(await slotTimes(study.id, day(11))).toContain('11:00');
    await radicale.put(workCal, 'late-addition', calendar(vevent({ uid: 'late-addition', date: day(11), start: '11:00', end: '11:30' })));
    expect(await slotTimes(study.id, day(11))).toContain('11:00'); // the short cache still has the old view
    const response = await book(study.id, day(11), '11:00');
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('slot_taken');
  });

  it('keeps the booking when Radicale stops mid-run: the write is retried and lands when it is back; meanwhile the host is not offered', async () => {
    const response = await book(study.id, day(10), '10:00');
    expect(response.statusCode).toBe(201);
    const { booking } = response.json();
    const row = await bookingRow(booking.id);
    await radicale.stop();
    try {
      await drainJobs();
      const mine = (await database.db.select().from(jobs).where(eq(jobs.kind, 'calendar.upsert'))).find((j) => payloadOf(j).bookingId === booking.id)!;
      expect(mine.status).toBe('pending');
      expect(mine.attempts).toBe(1);
      expect(mine.lastError).toMatch(/CalDAV PUT/);
      expect(mine.runAt.getTime()).toBeGreaterThan(Date.now());
      expect((await bookingRow(booking.id)).status).toBe('confirmed');

      // Fail closed: with the calendar unreadable the host is not offered, and we can say why.
      service.forget(host);
      expect(await slotTimes(study.id, day(10))).toEqual([]);
      expect(service.hostsLeftOut([host])[host]).toMatchObject({ reason: 'unreachable' });
      const answer = (await t.app.inject({ url: `/v1/w/${t.workspace.publicKey}/studies/${study.id}/slots?tz=${ZONE}`, headers: { origin: TEST_ORIGIN } })).json();
      expect(answer).toMatchObject({ slots: [], unavailableReason: 'calendars_unavailable', hostsLeftOut: [{ hostId: host, reason: 'unreachable' }] });
      // A host without an external calendar in another study is still offered.
      const other = await createHost(t, { name: 'Jonas', timeZone: ZONE, bufferAfterMinutes: 0 });
      const shared = await createLiveStudy(t, [host, other], { slotStepMinutes: 30 });
      expect(await slotTimes(shared.id, day(10))).toHaveLength(16);
    } finally {
      await radicale.start();
    }
    await drainJobs(new Date(Date.now() + 2 * HOUR));
    const mine = (await database.db.select().from(jobs).where(eq(jobs.kind, 'calendar.upsert'))).find((j) => payloadOf(j).bookingId === booking.id)!;
    expect(mine.status).toBe('done');
    expect((await radicale.get(eventUrl(workCal, row.icalUid))).status).toBe(200);
    service.forget(host);
    expect(await slotTimes(study.id, day(10))).toContain('11:00');
    expect(service.hostsLeftOut([host])).toEqual({});
  });

  it('marks a connection whose password stopped working as broken, tells the app, and stops offering the host', async () => {
    const revoked = await createHost(t, { name: 'Revoked', timeZone: ZONE, bufferAfterMinutes: 0 });
    const revokedStudy = await createLiveStudy(t, [revoked], { slotStepMinutes: 30 });
    const { connection } = await connectCalDav(service, { id: revoked, email: 'r@acme.test' }, { serverUrl: radicale.url, username: radicale.username, password: radicale.password, writeCalendarUrl: workCal });
    // The app-specific password is revoked on the provider's side.
    const box = new SecretBox(t.config.encryptionKey!);
    const sealed = box.seal(JSON.stringify({ serverUrl: radicale.url, username: radicale.username, password: 'revoked' }));
    await database.db.update(calendarConnections).set({ credentialsEncrypted: sealed }).where(eq(calendarConnections.id, connection.id));
    await service.connectionsChanged(revoked);

    expect(await slotTimes(revokedStudy.id, day(16))).toEqual([]);
    for (let i = 0; i < 50 && broken.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(broken).toEqual([expect.objectContaining({ connectionId: connection.id, memberId: revoked, provider: 'caldav' })]);
    const [row] = await database.db.select().from(calendarConnections).where(eq(calendarConnections.id, connection.id));
    expect(row!.status).toBe('broken');
    expect(row!.lastError).toMatch(/401/);
    service.forget(revoked);
    expect(await slotTimes(revokedStudy.id, day(16))).toEqual([]);
    expect(service.hostsLeftOut([revoked])[revoked]).toMatchObject({ reason: 'broken' });
  });
});
