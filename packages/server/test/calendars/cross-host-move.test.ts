// An interview that changes interviewer, by the participant (a new time that round robin gives
// to someone else) or by the team (the admin move): the first interviewer's event goes from
// their calendar without the participant being told it was cancelled, the new one's calendar
// gets the event, and the three emails say what happened: the participant's names the new
// interviewer, the first interviewer is told it is no longer theirs (with a CANCEL), the new
// one gets a new interview (with a REQUEST), not "moved from". On the Google emulation (through
// googleapis) and on a real Radicale server; and the participant's own move, in Chromium on
// their manage page, on both.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventUrl } from '../../src/calendars/caldav.js';
import { connectCalDav, connectGoogleOAuth } from '../../src/calendars/connections.js';
import { googleEventId } from '../../src/calendars/google.js';
import { createCalendarService, type CalendarService } from '../../src/calendars/service.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { bookings, members, outboxMessages } from '../../src/db/schema.js';
import { SecretBox } from '../../src/security/secrets.js';
import { buildTestApp, TEST_ORIGIN, type TestApp } from '../support/app.js';
import { openTestDatabase, primaryKind } from '../support/database.js';
import { addDays, createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';
import { googleServiceOptions, startGoogleEmulator, type GoogleEmulator } from './support/google-emulator.js';
import { radicaleAvailable, startRadicale, type Radicale } from './support/radicale.js';

const ZONE = 'Europe/Berlin';
const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start, end }));

interface Scenario {
  t: TestApp;
  database: DatabaseHandle;
  /** Ada hosts mornings (09–12), Ben from 11 to 17: at 09:00 only Ada is free, at 14:00 only Ben, at 11:00 both. */
  ada: { id: string; email: string };
  ben: { id: string; email: string };
  study: { id: string };
}

async function hostsAndStudy(t: TestApp, database: DatabaseHandle, extra: Record<string, unknown> = {}) {
  const host = async (name: string, start: string, end: string) => {
    const id = await createHost(t, { name, timeZone: ZONE, weekly: weekdays(start, end), bufferAfterMinutes: 0 });
    const [row] = await database.db.select().from(members).where(eq(members.id, id));
    return { id, email: row!.email };
  };
  const ada = await host('Ada Ross', '09:00', '12:00');
  const ben = await host('Ben Okafor', '11:00', '17:00');
  return { ada, ben, make: () => createLiveStudy(t, [ada.id, ben.id], { slotStepMinutes: 30, ...extra }) };
}

const drain = async (t: TestApp) => {
  for (let i = 0; i < 20 && (await t.app.worker.runOnce()) > 0; i++);
};

async function book(s: Scenario, date: string, time: string, who = participant({ name: 'Grace Hopper' })) {
  const response = await s.t.app.inject({
    method: 'POST',
    url: `/v1/w/${s.t.workspace.publicKey}/studies/${s.study.id}/bookings`,
    headers: { origin: TEST_ORIGIN },
    payload: { start: instantOf(date, time, ZONE), participant: who, consent: true },
  });
  expect(response.statusCode, response.body).toBe(201);
  const { booking } = response.json();
  return { id: booking.id as string, token: (booking.manageUrl as string).split('/').pop()!, email: who.email as string };
}

const row = async (s: Scenario, id: string) => (await s.database.db.select().from(bookings).where(eq(bookings.id, id)))[0]!;
const mailsOf = async (s: Scenario, bookingId: string) => (await s.database.db.select().from(outboxMessages).orderBy(outboxMessages.id)).filter((m) => m.messageId.includes(bookingId));

/** The three emails a move to another interviewer sends, checked for what each must and must not say. */
async function expectHandoverMails(s: Scenario, bookingId: string, participantEmail: string, from: { email: string; name: string }, to: { email: string; name: string }, sentBefore: number) {
  const mails = (await mailsOf(s, bookingId)).slice(sentBefore);
  const forParticipant = mails.filter((m) => m.to.includes(participantEmail));
  const forFirst = mails.filter((m) => m.to.includes(from.email));
  const forNew = mails.filter((m) => m.to.includes(to.email));
  expect(forParticipant).toHaveLength(1);
  expect(forParticipant[0]!.text).toContain(`You'll now talk with ${to.name}, who takes over from ${from.name}`);
  expect(forParticipant[0]!.text).toContain(`${to.name} from Acme`);
  expect(forParticipant[0]!.ics).toMatch(/METHOD:REQUEST/);
  expect(forParticipant[0]!.ics).toContain(`ORGANIZER;CN="${to.name}"`);
  expect(forFirst).toHaveLength(1);
  expect(forFirst[0]!.subject).toMatch(/^No longer yours: Grace Hopper/);
  expect(forFirst[0]!.text).toContain(`has moved to ${to.name}`);
  expect(forFirst[0]!.ics).toMatch(/METHOD:CANCEL/);
  expect(forNew).toHaveLength(1);
  expect(forNew[0]!.subject).toMatch(/^New interview: Grace Hopper/);
  expect(forNew[0]!.text).not.toMatch(/moved from|Rescheduled/i);
  expect(forNew[0]!.ics).toMatch(/METHOD:REQUEST/);
  return mails.length;
}

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env.BECKON_REQUIRE_SERVICES === '1') throw new Error(`BECKON_REQUIRE_SERVICES=1 but ${CHROMIUM} is missing`);
  console.warn(`[skip] no ${CHROMIUM}: the participant's move in a browser is not tested (apt-get install chromium)`);
}

/**
 * The participant moves their interview in Chromium, as they would from the link in their email:
 * the manage page, the day's tab, the time (that only the other interviewer has), "Move my interview".
 */
async function moveOnManagePage(origin: string, token: string, date: string, time: string, hosts: { from: string; to: string }) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await (await browser.newContext({ locale: 'en-US', timezoneId: ZONE, javaScriptEnabled: true })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    let started = performance.now();
    await page.goto(`${origin}/m/${token}`, { waitUntil: 'load' });
    const opened = Math.round(performance.now() - started);
    expect(await page.locator('main p', { hasText: /^With / }).textContent()).toContain(`With ${hosts.from} from Acme`);
    await page.locator(`nav.days a.day[href*="day=${date}"]`).click();
    await page.waitForLoadState('load');
    expect(await page.locator('nav.days a.day[aria-current]').getAttribute('href')).toContain(`day=${date}`);
    await page.locator('.slots label', { hasText: new RegExp(`^\\s*${time}\\s*$`) }).click();
    started = performance.now();
    await page.getByRole('button', { name: 'Move my interview' }).click();
    await page.waitForLoadState('load');
    const moved = Math.round(performance.now() - started);
    expect(await page.getByRole('status').textContent()).toContain('your interview has a new time');
    expect(await page.locator('main p', { hasText: /^With / }).textContent()).toContain(`With ${hosts.to} from Acme`);
    expect(errors).toEqual([]);
    console.log(`participant's move in Chromium: manage page ${opened} ms, the move (post, redirect, page) ${moved} ms`);
  } finally {
    await browser.close();
  }
}

describe(`a move to another interviewer on the Google emulation (${primaryKind})`, () => {
  let google: GoogleEmulator;
  let service: CalendarService;
  const s = {} as Scenario;

  beforeAll(async () => {
    s.database = await openTestDatabase();
    google = await startGoogleEmulator();
    const key = randomBytes(32);
    service = createCalendarService({
      db: s.database.db,
      secretBox: new SecretBox(key),
      fetchTimeoutMs: 2_000,
      ...googleServiceOptions(google),
      googleSendUpdates: 'all',
      publicUrl: 'http://beckon.test',
    });
    s.t = await buildTestApp(s.database, { encryptionKey: key }, { calendarService: service });
    const { ada, ben, make } = await hostsAndStudy(s.t, s.database, { meetingLocation: { kind: 'google_meet' } });
    for (const host of [ada, ben]) await connectGoogleOAuth(service, host, { refreshToken: google.grant(host.email), email: host.email });
    Object.assign(s, { ada, ben, study: await make() });
  });

  afterAll(async () => {
    await s.t?.app.close();
    await google?.close();
    await s.database?.close();
  });

  const names = () => ({ ada: { email: s.ada.email, name: 'Ada Ross' }, ben: { email: s.ben.email, name: 'Ben Okafor' } });
  const deletes = (email: string, eventId: string) =>
    google.requests.filter((r) => r.method === 'DELETE' && r.user === email && r.path.endsWith(`/events/${eventId}`)).map((r) => r.query.get('sendUpdates'));

  it('a participant moving to a time only another interviewer has: both calendars true, three emails right, a new Meet link', async () => {
    const date = upcomingDate(ZONE, 2, 1);
    const booking = await book(s, date, '09:00');
    await drain(s.t);
    expect((await row(s, booking.id)).hostId).toBe(s.ada.id);
    const eventId = googleEventId(booking.id);
    const firstLink = google.calendar(s.ada.email).events.get(eventId)!.hangoutLink;
    expect(firstLink).toMatch(/^https:\/\/meet\.google\.com\//);
    const before = (await mailsOf(s, booking.id)).length;

    const moved = await s.t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.token}/reschedule`, payload: { start: instantOf(date, '14:00', ZONE) } });
    expect(moved.statusCode, moved.body).toBe(200);
    await drain(s.t);

    const after = await row(s, booking.id);
    expect(after.hostId).toBe(s.ben.id);
    // Ada's calendar: the event is gone, and Google did not tell the participant it was cancelled.
    expect(google.calendar(s.ada.email).events.get(eventId)!.status).toBe('cancelled');
    expect(deletes(s.ada.email, eventId)).toEqual(['none']);
    // Ben's calendar: the interview at its new time, with the participant and a Meet link of its own.
    const event = google.calendar(s.ben.email).events.get(eventId)!;
    expect(event.status).toBe('confirmed');
    expect(event.start.dateTime).toBe(new Date(instantOf(date, '14:00', ZONE)).toISOString());
    expect(event.attendees?.map((a) => a.email)).toEqual([booking.email]);
    expect(event.hangoutLink).toMatch(/^https:\/\/meet\.google\.com\//);
    expect(event.hangoutLink).not.toBe(firstLink);
    expect(after.meetingUrl).toBe(event.hangoutLink);

    await expectHandoverMails(s, booking.id, booking.email, names().ada, names().ben, before);
    const participantMail = (await mailsOf(s, booking.id)).filter((m) => m.to.includes(booking.email)).at(-1)!;
    expect(participantMail.text).toContain(event.hangoutLink!); // the mail waited for the new link
    expect(participantMail.text).not.toContain(firstLink!);
  });

  it.runIf(haveChromium)('the participant moves on their manage page in Chromium to a time only the other interviewer has: both calendars and the three emails true', async () => {
    const origin = await s.t.app.listen({ port: 0, host: '127.0.0.1' });
    const date = upcomingDate(ZONE, 5, 1);
    const booking = await book(s, date, '09:00');
    await drain(s.t);
    expect((await row(s, booking.id)).hostId).toBe(s.ada.id);
    const eventId = googleEventId(booking.id);
    const before = (await mailsOf(s, booking.id)).length;

    await moveOnManagePage(origin, booking.token, date, '2:00 PM', { from: 'Ada Ross', to: 'Ben Okafor' });
    await drain(s.t);

    const after = await row(s, booking.id);
    expect(after).toMatchObject({ hostId: s.ben.id, startsAt: new Date(instantOf(date, '14:00', ZONE)) });
    expect(google.calendar(s.ada.email).events.get(eventId)!.status).toBe('cancelled');
    expect(deletes(s.ada.email, eventId)).toEqual(['none']);
    const event = google.calendar(s.ben.email).events.get(eventId)!;
    expect(event).toMatchObject({ status: 'confirmed', start: { dateTime: new Date(instantOf(date, '14:00', ZONE)).toISOString() } });
    expect(event.attendees?.map((a) => a.email)).toEqual([booking.email]);
    await expectHandoverMails(s, booking.id, booking.email, names().ada, names().ben, before);
  });

  it('the team moves a booking to the other interviewer at the same time (admin route): the same truth', async () => {
    const date = upcomingDate(ZONE, 3, 1);
    const booking = await book(s, date, '11:00');
    await drain(s.t);
    const first = (await row(s, booking.id)).hostId;
    const [from, to] = first === s.ada.id ? [s.ada, s.ben] : [s.ben, s.ada];
    const eventId = googleEventId(booking.id);
    expect(google.calendar(from.email).events.get(eventId)!.status).toBe('confirmed');
    const before = (await mailsOf(s, booking.id)).length;

    // Ada has no 16:00: the team is told she is not free, and nothing changes.
    const busy = await s.t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${booking.id}/move`, headers: s.t.auth, payload: { hostId: s.ada.id, start: instantOf(date, '16:00', ZONE) } });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error).toMatchObject({ code: 'host_busy', field: 'hostId' });
    expect((await row(s, booking.id)).hostId).toBe(first);
    const moved = await s.t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${booking.id}/move`, headers: s.t.auth, payload: { hostId: to.id } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ hostId: to.id, start: instantOf(date, '11:00', ZONE), status: 'confirmed' });
    await drain(s.t);
    expect(google.calendar(from.email).events.get(eventId)!.status).toBe('cancelled');
    expect(deletes(from.email, eventId)).toEqual(['none']);
    expect(google.calendar(to.email).events.get(eventId)!).toMatchObject({ status: 'confirmed', start: { dateTime: new Date(instantOf(date, '11:00', ZONE)).toISOString() } });
    const n = names();
    const [fromName, toName] = from.id === s.ada.id ? [n.ada, n.ben] : [n.ben, n.ada];
    await expectHandoverMails(s, booking.id, booking.email, fromName, toName, before);
    const participantMail = (await mailsOf(s, booking.id)).filter((m) => m.to.includes(booking.email)).at(-1)!;
    expect(participantMail.subject).toMatch(/^New interviewer:/);

    const audit = await s.t.app.inject({ url: '/v1/admin/audit-log?action=booking.move', headers: s.t.auth });
    expect(audit.json().entries[0]).toMatchObject({ action: 'booking.move', changes: { hostId: { before: from.id, after: to.id } } });
  });

  describe('moved twice before its mails run', () => {
    const people = () => ({ [s.ada.id]: { email: s.ada.email, name: 'Ada Ross' }, [s.ben.id]: { email: s.ben.email, name: 'Ben Okafor' }, [cy.id]: { email: cy.email, name: 'Cy Twombly' } });
    let cy: { id: string; email: string };
    let study: { id: string };

    beforeAll(async () => {
      const id = await createHost(s.t, { name: 'Cy Twombly', timeZone: ZONE, weekly: weekdays('09:00', '17:00'), bufferAfterMinutes: 0 });
      const [member] = await s.database.db.select().from(members).where(eq(members.id, id));
      cy = { id, email: member!.email };
      await connectGoogleOAuth(service, cy, { refreshToken: google.grant(cy.email), email: cy.email });
      study = await createLiveStudy(s.t, [s.ada.id, s.ben.id, cy.id], { slotStepMinutes: 30, meetingLocation: { kind: 'google_meet' } });
    });

    /** Books at 11:00 (all three are free), sends its mails, and names the first host and the two others. */
    async function booked(weekday: number) {
      const date = upcomingDate(ZONE, weekday, 2);
      const booking = await book({ ...s, study }, date, '11:00');
      await drain(s.t);
      const first = (await row(s, booking.id)).hostId;
      const [middle, last] = [s.ada.id, s.ben.id, cy.id].filter((id) => id !== first) as [string, string];
      return { date, booking, first, middle, last, before: (await mailsOf(s, booking.id)).length };
    }
    const move = async (bookingId: string, payload: { hostId: string; start?: string }) => {
      const response = await s.t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${bookingId}/move`, headers: s.t.auth, payload });
      expect(response.statusCode, response.body).toBe(200);
    };

    it('first → middle → last: the first is told it is gone, the middle nothing, the last of a new interview, the participant once', async () => {
      const { booking, first, middle, last, before } = await booked(2);
      await move(booking.id, { hostId: middle });
      await move(booking.id, { hostId: last });
      await drain(s.t);

      const mails = (await mailsOf(s, booking.id)).slice(before);
      const to = (hostId: string) => mails.filter((m) => m.to.includes(people()[hostId]!.email));
      expect(to(first).map((m) => m.subject)).toEqual([expect.stringMatching(/^No longer yours: Grace Hopper/)]);
      expect(to(first)[0]!.text).toContain(`has moved to ${people()[last]!.name}`);
      expect(to(first)[0]!.ics).toMatch(/METHOD:CANCEL/);
      expect(to(middle)).toEqual([]);
      expect(to(last).map((m) => m.subject)).toEqual([expect.stringMatching(/^New interview: Grace Hopper/)]);
      const forParticipant = mails.filter((m) => m.to.includes(booking.email));
      expect(forParticipant).toHaveLength(1);
      expect(forParticipant[0]!.text).toContain(`You'll now talk with ${people()[last]!.name}, who takes over from ${people()[first]!.name}`);
      // And the calendars: only the last one holds it.
      const eventId = googleEventId(booking.id);
      const event = (hostId: string) => google.calendar(people()[hostId]!.email).events.get(eventId);
      expect(event(first)!.status).toBe('cancelled');
      expect(event(middle)?.status ?? 'none').not.toBe('confirmed');
      expect(event(last)!.status).toBe('confirmed');
    });

    it('first → middle → first at a new time: the middle hears nothing, the first only of the new time', async () => {
      const { date, booking, first, middle, before } = await booked(3);
      await move(booking.id, { hostId: middle });
      await move(booking.id, { hostId: first, start: instantOf(date, '11:30', ZONE) });
      await drain(s.t);

      const mails = (await mailsOf(s, booking.id)).slice(before);
      const to = (hostId: string) => mails.filter((m) => m.to.includes(people()[hostId]!.email));
      expect(to(middle)).toEqual([]);
      expect(to(first).map((m) => m.subject)).toEqual([expect.stringMatching(/^Rescheduled: Grace Hopper/)]);
      const forParticipant = mails.filter((m) => m.to.includes(booking.email));
      expect(forParticipant.map((m) => m.subject)).toEqual([expect.stringMatching(/^New time:/)]);
      expect(forParticipant[0]!.text).not.toMatch(/takes over/);
      const eventId = googleEventId(booking.id);
      expect(google.calendar(people()[first]!.email).events.get(eventId)).toMatchObject({ status: 'confirmed', start: { dateTime: new Date(instantOf(date, '11:30', ZONE)).toISOString() } });
      expect(google.calendar(people()[middle]!.email).events.get(eventId)?.status ?? 'none').not.toBe('confirmed');
    });

    it('moved to another and cancelled before the mails run: whoever was told it was theirs hears it is cancelled, nobody else', async () => {
      const { booking, first, middle, before } = await booked(4);
      await move(booking.id, { hostId: middle });
      expect((await s.t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${booking.id}/cancel`, headers: s.t.auth })).statusCode).toBe(200);
      await drain(s.t);

      const mails = (await mailsOf(s, booking.id)).slice(before);
      const to = (hostId: string) => mails.filter((m) => m.to.includes(people()[hostId]!.email));
      expect(to(first).map((m) => m.subject)).toEqual([expect.stringMatching(/^Cancelled: Grace Hopper/)]);
      expect(to(first)[0]!.ics).toMatch(/METHOD:CANCEL/);
      expect(to(middle)).toEqual([]);
      expect(mails.filter((m) => m.to.includes(booking.email)).map((m) => m.subject)).toEqual([expect.stringMatching(/^Cancelled:/)]);
    });
  });

  it('refuses a move to someone who does not host the study, and a move of a cancelled booking', async () => {
    const date = upcomingDate(ZONE, 4, 1);
    const booking = await book(s, date, '09:30');
    const stranger = await createHost(s.t, { name: 'Stranger', timeZone: ZONE });
    const notHost = await s.t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${booking.id}/move`, headers: s.t.auth, payload: { hostId: stranger } });
    expect(notHost.statusCode).toBe(422);
    expect(notHost.json().error).toMatchObject({ code: 'not_a_host', field: 'hostId' });
    expect((await s.t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${booking.id}/move`, headers: s.t.auth, payload: {} })).statusCode).toBe(400);
    expect((await s.t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${booking.id}/cancel`, headers: s.t.auth })).statusCode).toBe(200);
    const cancelled = await s.t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${booking.id}/move`, headers: s.t.auth, payload: { hostId: s.ben.id } });
    expect(cancelled.statusCode).toBe(422);
    expect(cancelled.json().error.code).toBe('booking_not_confirmed');
  });
});

describe.runIf(radicaleAvailable)(`a move to another interviewer on Radicale (${primaryKind})`, () => {
  let radicale: Radicale;
  let service: CalendarService;
  const calendars: Record<string, string> = {};
  const s = {} as Scenario;

  beforeAll(async () => {
    s.database = await openTestDatabase();
    radicale = await startRadicale();
    const key = randomBytes(32);
    service = createCalendarService({ caldavAllowPrivateNetworks: true, db: s.database.db, secretBox: new SecretBox(key), fetchTimeoutMs: 3_000, publicUrl: 'http://beckon.test' });
    s.t = await buildTestApp(s.database, { encryptionKey: key }, { calendarService: service });
    const { ada, ben, make } = await hostsAndStudy(s.t, s.database);
    for (const [name, host] of [['ada', ada], ['ben', ben]] as const) {
      calendars[host.id] = await radicale.makeCalendar(name, name);
      await connectCalDav(service, host, { serverUrl: radicale.url, username: radicale.username, password: radicale.password, writeCalendarUrl: calendars[host.id] });
    }
    Object.assign(s, { ada, ben, study: await make() });
  }, 60_000);

  afterAll(async () => {
    await s.t?.app.close();
    await radicale?.dispose();
    await s.database?.close();
  });

  /** The booking's event in a host's Radicale calendar, its folded lines unfolded; or the status when it is not there. */
  const eventIn = async (hostId: string, uid: string) => {
    const { status, body } = await radicale.get(eventUrl(calendars[hostId]!, uid));
    return status === 200 ? body.replace(/\r\n[ \t]/g, '') : status;
  };

  it('a participant moving to a time only another interviewer has, then the team moving it back: each calendar holds it only while it is theirs', async () => {
    const date = upcomingDate(ZONE, 2, 1);
    const booking = await book(s, date, '09:00');
    await drain(s.t);
    const uid = (await row(s, booking.id)).icalUid;
    const at = (hostId: string) => eventIn(hostId, uid);
    expect(await at(s.ada.id)).toContain(`DTSTART:${instantOf(date, '09:00', ZONE).replace(/[-:]/g, '')}`);
    expect(await at(s.ben.id)).toBe(404);
    let before = (await mailsOf(s, booking.id)).length;

    const moved = await s.t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.token}/reschedule`, payload: { start: instantOf(date, '14:00', ZONE) } });
    expect(moved.statusCode, moved.body).toBe(200);
    await drain(s.t);
    expect(await at(s.ada.id)).toBe(404);
    const onBen = await at(s.ben.id);
    expect(onBen).toContain(`DTSTART:${instantOf(date, '14:00', ZONE).replace(/[-:]/g, '')}`);
    expect(onBen).toContain(`X-BECKON-HOST:${s.ben.id}`);
    expect(onBen).toContain('Grace Hopper');
    const ada = { email: s.ada.email, name: 'Ada Ross' };
    const ben = { email: s.ben.email, name: 'Ben Okafor' };
    before += await expectHandoverMails(s, booking.id, booking.email, ada, ben, before);

    // The team gives it back to Ada at a time she has.
    const back = await s.t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${booking.id}/move`, headers: s.t.auth, payload: { hostId: s.ada.id, start: instantOf(date, '10:00', ZONE) } });
    expect(back.statusCode, back.body).toBe(200);
    await drain(s.t);
    expect(await at(s.ben.id)).toBe(404);
    expect(await at(s.ada.id)).toContain(`DTSTART:${instantOf(date, '10:00', ZONE).replace(/[-:]/g, '')}`);
    await expectHandoverMails(s, booking.id, booking.email, ben, ada, before);
    // Slots follow: Ben's 14:00 is free again.
    const slots = await s.t.app.inject({ url: `/v1/w/${s.t.workspace.publicKey}/studies/${s.study.id}/slots?from=${instantOf(date, '00:00', ZONE)}&to=${instantOf(addDays(date, 1), '00:00', ZONE)}&tz=${ZONE}`, headers: { origin: TEST_ORIGIN } });
    expect(slots.json().slots.map((slot: { start: string }) => slot.start)).toContain(instantOf(date, '14:00', ZONE));
  });

  it.runIf(haveChromium)('the participant moves on their manage page in Chromium to a time only the other interviewer has: both calendars and the three emails true', async () => {
    const origin = await s.t.app.listen({ port: 0, host: '127.0.0.1' });
    const date = upcomingDate(ZONE, 3, 1);
    const booking = await book(s, date, '09:00');
    await drain(s.t);
    const uid = (await row(s, booking.id)).icalUid;
    const at = (hostId: string) => eventIn(hostId, uid);
    expect(await at(s.ada.id)).toContain('Grace Hopper');
    const before = (await mailsOf(s, booking.id)).length;

    await moveOnManagePage(origin, booking.token, date, '2:00 PM', { from: 'Ada Ross', to: 'Ben Okafor' });
    await drain(s.t);

    expect(await at(s.ada.id)).toBe(404);
    const onBen = await at(s.ben.id);
    expect(onBen).toContain(`DTSTART:${instantOf(date, '14:00', ZONE).replace(/[-:]/g, '')}`);
    expect(onBen).toContain(`X-BECKON-HOST:${s.ben.id}`);
    await expectHandoverMails(s, booking.id, booking.email, { email: s.ada.email, name: 'Ada Ross' }, { email: s.ben.email, name: 'Ben Okafor' }, before);
  });
});
