// Zoom as a meeting location, against a local emulation of Zoom's documented OAuth and REST
// endpoints (the same fetch calls the server makes to Zoom), with the hosts' Google calendars on
// the Google emulation: an interviewer connects Zoom through the consent flow; each interview
// gets one meeting, titled with the study's public title, whose join link reaches the
// participant's and the host's mails, the host's calendar event and the manage page; a new time
// moves it, a cancellation deletes it (one already gone is fine), a move to another interviewer
// deletes it and makes one in the new interviewer's account. Zoom failing for a while keeps the
// booking and makes the meeting later; an answer lost after Zoom made the meeting makes no second
// one; a revoked grant breaks the connection, emails the interviewer, and the participant is told
// a link will follow, which comes once Zoom is connected again.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectGoogleOAuth } from '../../src/calendars/connections.js';
import { googleEventId } from '../../src/calendars/google.js';
import { signOAuthState } from '../../src/calendars/oauth-state.js';
import { createCalendarService } from '../../src/calendars/service.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { bookings, jobs, members, outboxMessages, zoomConnections } from '../../src/db/schema.js';
import { enqueue } from '../../src/jobs/queue.js';
import { SecretBox } from '../../src/security/secrets.js';
import { buildTestApp, TEST_ORIGIN, type TestApp } from '../support/app.js';
import { availableKinds, openTestDatabase } from '../support/database.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';
import { googleServiceOptions, startGoogleEmulator, type GoogleEmulator } from './support/google-emulator.js';
import { startZoomEmulator, type EmulatedMeeting, type ZoomEmulator } from './support/zoom-emulator.js';

const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;
const PUBLIC_TITLE = 'Your first week with Acme';
const INTERNAL_NAME = 'Onboarding churn-risk interviews (internal)';
const CREATE = /^\/v2\/users\/me\/meetings$/;
const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start, end }));

describe.each(availableKinds)('Zoom meetings per interview on %s', (kind) => {
  let database: DatabaseHandle;
  let google: GoogleEmulator;
  let zoom: ZoomEmulator;
  let t: TestApp;
  let studyId = '';
  /** Ada hosts 09–12, Ben 11–17: at 09:00 only Ada is free, at 14:00 only Ben. */
  const hosts = {} as Record<'ada' | 'ben', { id: string; email: string; name: string }>;

  const drain = async (now?: Date) => {
    for (let i = 0; i < 30 && (await t.app.worker.runOnce(now)) > 0; i++);
  };
  /** Runs the worker an hour later each round (past any backoff) until `done` holds. */
  const drainUntil = async (done: () => Promise<boolean>, rounds = 10) => {
    for (let round = 0; round < rounds && !(await done()); round++) await drain(new Date(Date.now() + round * HOUR));
    expect(await done()).toBe(true);
  };
  const row = async (id: string) => (await database.db.select().from(bookings).where(eq(bookings.id, id)))[0]!;
  const mailsTo = async (email: string) => (await database.db.select().from(outboxMessages).orderBy(outboxMessages.id)).filter((m) => m.to.includes(email));
  const meetingsFor = (email: string, bookingId: string): EmulatedMeeting[] => [...zoom.meetings(email).values()].filter((m) => m.agenda.includes(bookingId));
  const creates = (bookingId: string) => zoom.requests.filter((r) => r.method === 'POST' && CREATE.test(r.path) && JSON.stringify(r.body).includes(bookingId));

  async function connectZoom(host: { id: string; email: string }) {
    const link = await t.app.inject({ url: `/v1/admin/members/${host.id}/zoom/connect`, headers: t.auth });
    expect(link.statusCode, link.body).toBe(200);
    const consent = new URL(link.json().url);
    expect(`${consent.origin}${consent.pathname}`).toBe(`${zoom.url}/oauth/authorize`);
    expect(consent.searchParams.get('client_id')).toBe(zoom.client.clientId);
    expect(consent.searchParams.get('redirect_uri')).toBe('http://beckon.test/v1/zoom/callback');
    // The member allows the app on Zoom's page; Zoom sends their browser back with a code.
    const code = zoom.authorize(host.email, consent.searchParams.get('redirect_uri')!);
    const back = await t.app.inject({ url: `/v1/zoom/callback?state=${encodeURIComponent(consent.searchParams.get('state')!)}&code=${code}` });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.body).toContain('Zoom connected');
  }

  async function book(date: string, time: string) {
    const who = participant({ name: 'Grace Hopper' });
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/w/${t.workspace.publicKey}/studies/${studyId}/bookings`,
      headers: { origin: TEST_ORIGIN },
      payload: { start: instantOf(date, time, ZONE), participant: who, consent: true },
    });
    expect(response.statusCode, response.body).toBe(201);
    const { booking } = response.json();
    return { id: booking.id as string, token: (booking.manageUrl as string).split('/').pop()!, email: who.email as string, start: booking.start as string };
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    google = await startGoogleEmulator();
    zoom = await startZoomEmulator();
    const key = randomBytes(32);
    const calendarService = createCalendarService({
      db: database.db,
      secretBox: new SecretBox(key),
      fetchTimeoutMs: 2_000,
      ...googleServiceOptions(google),
      publicUrl: 'http://beckon.test',
    });
    t = await buildTestApp(
      database,
      { encryptionKey: key, calendarTimeoutMs: 1_500, zoom: { ...zoom.client, oauthUrl: zoom.url, apiUrl: zoom.apiUrl } },
      { calendarService },
    );
    for (const [name, who, start, end] of [['Ada Ross', 'ada', '09:00', '12:00'], ['Ben Okafor', 'ben', '11:00', '17:00']] as const) {
      const id = await createHost(t, { name, timeZone: ZONE, weekly: weekdays(start, end), bufferAfterMinutes: 0 });
      const [member] = await database.db.select().from(members).where(eq(members.id, id));
      hosts[who] = { id, email: member!.email, name };
      await connectGoogleOAuth(calendarService, hosts[who], { refreshToken: google.grant(member!.email), email: member!.email });
    }
    studyId = (await createLiveStudy(t, [hosts.ada.id, hosts.ben.id], { name: INTERNAL_NAME, publicTitle: PUBLIC_TITLE, slotStepMinutes: 30, meetingLocation: { kind: 'zoom' } })).id;
    for (const host of [hosts.ada, hosts.ben]) await connectZoom(host);
  }, 120_000);

  afterAll(async () => {
    await t?.app.close();
    await google?.close();
    await zoom?.close();
    await database?.close();
  });

  it('connects an interviewer through Zoom’s consent page, keeps the tokens sealed, and refuses a forged state', async () => {
    const cleo = await createHost(t, { name: 'Cleo Novak', timeZone: ZONE });
    const before = await t.app.inject({ url: `/v1/admin/members/${cleo}/zoom`, headers: t.auth });
    expect(before.json()).toEqual({ zoom: null, configured: true });
    const cleosStudy = await createLiveStudy(t, [cleo], { meetingLocation: { kind: 'zoom' } });
    const read = await t.app.inject({ url: `/v1/admin/studies/${cleosStudy.id}`, headers: t.auth });
    expect(read.json().warnings).toEqual([expect.objectContaining({ code: 'no_way_to_join', message: expect.stringMatching(/Cleo Novak has no Zoom account connected/) })]);

    const link = new URL((await t.app.inject({ url: `/v1/admin/members/${cleo}/zoom/connect`, headers: t.auth })).json().url);
    const forged = link.searchParams.get('state')!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const refused = await t.app.inject({ url: `/v1/zoom/callback?state=${encodeURIComponent(forged)}&code=${zoom.authorize('cleo@acme.test', 'http://beckon.test/v1/zoom/callback')}` });
    expect(refused.statusCode).toBe(400);
    // A state signed for another provider's flow, with our key, is no good here either.
    for (const purpose of ['google-oauth-state', 'microsoft-oauth-state'] as const) {
      const otherFlow = signOAuthState(t.app.secretBox, purpose, { id: cleo, workspaceId: t.workspace.workspaceId }, 60_000);
      const elsewhere = await t.app.inject({ url: `/v1/zoom/callback?state=${encodeURIComponent(otherFlow)}&code=${zoom.authorize('cleo@acme.test', 'http://beckon.test/v1/zoom/callback')}` });
      expect(elsewhere.statusCode).toBe(400);
    }
    expect((await t.app.inject({ url: `/v1/admin/members/${cleo}/zoom`, headers: t.auth })).json().zoom).toBeNull();

    const after = await t.app.inject({ url: `/v1/admin/members/${hosts.ada.id}/zoom`, headers: t.auth });
    expect(after.json()).toMatchObject({ configured: true, zoom: { label: hosts.ada.email, status: 'active', lastError: null } });
    const [stored] = await database.db.select().from(zoomConnections).where(eq(zoomConnections.memberId, hosts.ada.id));
    const [refreshToken] = zoom.liveRefreshTokens(hosts.ada.email);
    expect(stored!.credentialsEncrypted).toMatch(/^v1\./);
    expect(stored!.credentialsEncrypted).not.toContain(refreshToken!);
    const warnings = await t.app.inject({ url: `/v1/admin/studies/${studyId}`, headers: t.auth });
    expect(warnings.json().warnings).toEqual([]);
  });

  it('a booking gets one meeting, titled for the participant, whose link reaches both mails, the host’s calendar event and the manage page', async () => {
    const date = upcomingDate(ZONE, 2, 1);
    const booking = await book(date, '09:00');
    await drain();
    const [meeting, ...more] = meetingsFor(hosts.ada.email, booking.id);
    expect(more).toEqual([]);
    expect(meeting).toMatchObject({ topic: PUBLIC_TITLE, type: 2, start_time: instantOf(date, '09:00', ZONE), duration: 20 });
    const stored = await row(booking.id);
    expect(stored).toMatchObject({ hostId: hosts.ada.id, zoomMeetingId: String(meeting!.id), zoomHostId: hosts.ada.id, meetingUrl: meeting!.join_url });

    const [confirmation] = (await mailsTo(booking.email)).filter((m) => m.subject.startsWith('Confirmed'));
    expect(confirmation!.text).toContain(meeting!.join_url);
    expect(confirmation!.text).not.toContain(INTERNAL_NAME);
    const [notice] = (await mailsTo(hosts.ada.email)).filter((m) => m.messageId.includes(booking.id));
    expect(notice!.text).toContain(meeting!.join_url);
    expect(google.calendar(hosts.ada.email).events.get(googleEventId(booking.id))!.location).toBe(meeting!.join_url);
    const view = await t.app.inject({ url: `/v1/bookings/${booking.token}` });
    expect(view.json().booking.meetingUrl).toBe(meeting!.join_url);

    // A sync that runs again (a retry, a second worker) keeps the one meeting.
    await enqueue(database.db, { kind: 'zoom.sync', payload: { bookingId: booking.id } });
    await drain();
    expect(meetingsFor(hosts.ada.email, booking.id)).toHaveLength(1);
    expect(creates(booking.id)).toHaveLength(1);
  });

  it('a new time moves the meeting (refreshing the expired token, which Zoom rotates); the link stays', async () => {
    const date = upcomingDate(ZONE, 3, 1);
    const booking = await book(date, '09:00');
    await drain();
    const [meeting] = meetingsFor(hosts.ada.email, booking.id);
    const rotatedAway = zoom.liveRefreshTokens(hosts.ada.email);
    zoom.expireAccessTokens();

    const moved = await t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.token}/reschedule`, payload: { start: instantOf(date, '10:00', ZONE) } });
    expect(moved.statusCode, moved.body).toBe(200);
    await drain();
    const patches = zoom.requests.filter((r) => r.method === 'PATCH' && r.path === `/v2/meetings/${meeting!.id}`);
    // Refused with the expired token (401), then sent again with the refreshed one.
    expect(patches.map((r) => r.user)).toEqual([undefined, hosts.ada.email]);
    expect(patches[1]!.body).toMatchObject({ start_time: instantOf(date, '10:00', ZONE), duration: 20, topic: PUBLIC_TITLE });
    expect(meetingsFor(hosts.ada.email, booking.id)).toEqual([expect.objectContaining({ id: meeting!.id, start_time: instantOf(date, '10:00', ZONE) })]);
    expect((await row(booking.id)).meetingUrl).toBe(meeting!.join_url);
    // The refresh token used is dead now; the one Zoom gave in its place works.
    expect(zoom.liveRefreshTokens(hosts.ada.email)).toHaveLength(1);
    expect(rotatedAway).not.toContain(zoom.liveRefreshTokens(hosts.ada.email)[0]);
    const [rescheduled] = (await mailsTo(booking.email)).filter((m) => m.subject.startsWith('New time'));
    expect(rescheduled!.text).toContain(meeting!.join_url);
  });

  it('a cancellation deletes the meeting, and one already deleted in Zoom is fine', async () => {
    const date = upcomingDate(ZONE, 4, 1);
    const first = await book(date, '09:00');
    const second = await book(date, '10:00');
    await drain();
    const [meeting] = meetingsFor(hosts.ada.email, first.id);
    const [gone] = meetingsFor(hosts.ada.email, second.id);
    zoom.meetings(hosts.ada.email).delete(gone!.id); // the host deleted it in Zoom

    for (const booking of [first, second]) expect((await t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.token}/cancel` })).statusCode).toBe(200);
    await drain();
    expect(zoom.requests.filter((r) => r.method === 'DELETE' && r.path === `/v2/meetings/${meeting!.id}`)).toHaveLength(1);
    expect(zoom.requests.filter((r) => r.method === 'DELETE' && r.path === `/v2/meetings/${gone!.id}`)).toHaveLength(1);
    expect(meetingsFor(hosts.ada.email, first.id)).toEqual([]);
    for (const booking of [first, second]) expect(await row(booking.id)).toMatchObject({ status: 'cancelled', zoomMeetingId: null, zoomHostId: null, meetingUrl: null });
    const syncs = (await database.db.select().from(jobs).where(eq(jobs.kind, 'zoom.sync'))).filter((job) => [first.id, second.id].includes((job.payload as { bookingId: string }).bookingId));
    expect(syncs.map((job) => job.status)).toEqual(syncs.map(() => 'done'));
  });

  it('a move to another interviewer deletes the first one’s meeting and makes one in the new one’s Zoom; the mails carry the new link', async () => {
    const date = upcomingDate(ZONE, 5, 1);
    const booking = await book(date, '11:00');
    await drain();
    const first = (await row(booking.id)).hostId;
    const [from, to] = first === hosts.ada.id ? [hosts.ada, hosts.ben] : [hosts.ben, hosts.ada];
    const [old] = meetingsFor(from.email, booking.id);
    expect(old).toBeDefined();
    const sent = (await mailsTo(booking.email)).length;

    const moved = await t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${booking.id}/move`, headers: t.auth, payload: { hostId: to.id } });
    expect(moved.statusCode, moved.body).toBe(200);
    await drain();
    expect(meetingsFor(from.email, booking.id)).toEqual([]);
    const [fresh, ...more] = meetingsFor(to.email, booking.id);
    expect(more).toEqual([]);
    expect(fresh).toMatchObject({ topic: PUBLIC_TITLE, start_time: instantOf(date, '11:00', ZONE) });
    expect(await row(booking.id)).toMatchObject({ hostId: to.id, zoomHostId: to.id, zoomMeetingId: String(fresh!.id), meetingUrl: fresh!.join_url });
    const told = (await mailsTo(booking.email)).slice(sent);
    expect(told).toHaveLength(1);
    expect(told[0]!.subject).toMatch(/^New interviewer:/);
    expect(told[0]!.text).toContain(fresh!.join_url);
    expect(told[0]!.text).not.toContain(old!.join_url);
    expect(google.calendar(to.email).events.get(googleEventId(booking.id))!.location).toBe(fresh!.join_url);
    expect(google.calendar(from.email).events.get(googleEventId(booking.id))!.status).toBe('cancelled');
  });

  it('Zoom failing for a while: the booking stays, the mails go with "link to follow", the meeting is made later and its link follows', async () => {
    const date = upcomingDate(ZONE, 1, 2);
    zoom.fail({ method: 'POST', path: CREATE, times: 4, status: 503 });
    const booking = await book(date, '14:00');
    const confirmed = async () => (await mailsTo(booking.email)).some((m) => m.subject.startsWith('Confirmed'));
    await drainUntil(confirmed);
    expect(meetingsFor(hosts.ben.email, booking.id)).toEqual([]);
    expect((await row(booking.id)).status).toBe('confirmed');
    const [confirmation] = (await mailsTo(booking.email)).filter((m) => m.subject.startsWith('Confirmed'));
    expect(confirmation!.text).toContain("We'll send the link before the call");

    await drainUntil(async () => meetingsFor(hosts.ben.email, booking.id).length > 0);
    const [meeting, ...more] = meetingsFor(hosts.ben.email, booking.id);
    expect(more).toEqual([]);
    expect(creates(booking.id)).toHaveLength(5); // four refused, one made
    expect((await row(booking.id)).meetingUrl).toBe(meeting!.join_url);
    await drain();
    expect(google.calendar(hosts.ben.email).events.get(googleEventId(booking.id))!.location).toBe(meeting!.join_url);

    // The link that was to follow goes out before the first reminder.
    await drain(new Date(Date.parse(booking.start) - 25 * HOUR + 60_000));
    const howTo = (await mailsTo(booking.email)).filter((m) => m.subject.startsWith('How to join'));
    expect(howTo).toHaveLength(1);
    expect(howTo[0]!.text).toContain(meeting!.join_url);
  });

  it('an answer lost after Zoom made the meeting makes no second one: the retry finds it by its agenda', async () => {
    const date = upcomingDate(ZONE, 2, 2);
    zoom.loseAnswer({ method: 'POST', path: CREATE });
    const booking = await book(date, '09:30');
    await drain();
    expect(meetingsFor(hosts.ada.email, booking.id)).toHaveLength(1); // made, but Beckon never heard
    expect((await row(booking.id)).zoomMeetingId).toBeNull();

    await drainUntil(async () => (await row(booking.id)).zoomMeetingId !== null);
    const [meeting, ...more] = meetingsFor(hosts.ada.email, booking.id);
    expect(more).toEqual([]);
    expect(creates(booking.id)).toHaveLength(1);
    expect(await row(booking.id)).toMatchObject({ zoomMeetingId: String(meeting!.id), meetingUrl: meeting!.join_url });
    const [confirmation] = (await mailsTo(booking.email)).filter((m) => m.subject.startsWith('Confirmed'));
    expect(confirmation!.text).toContain(meeting!.join_url);
  });

  it('a revoked grant breaks the connection and emails the interviewer; the participant is told a link will follow, and it does once Zoom is connected again', async () => {
    const date = upcomingDate(ZONE, 3, 2);
    zoom.revoke(hosts.ben.email);
    zoom.expireAccessTokens();
    const booking = await book(date, '15:00');
    await drain();

    const state = await t.app.inject({ url: `/v1/admin/members/${hosts.ben.id}/zoom`, headers: t.auth });
    expect(state.json().zoom).toMatchObject({ status: 'broken', lastError: expect.stringMatching(/Zoom refused the stored grant/) });
    const [reconnect, ...again] = (await mailsTo(hosts.ben.email)).filter((m) => m.subject.startsWith('Action needed: connect Zoom again'));
    expect(again).toEqual([]);
    expect(reconnect!.text).toContain(`${zoom.url}/oauth/authorize?`);
    const [confirmation] = (await mailsTo(booking.email)).filter((m) => m.subject.startsWith('Confirmed'));
    expect(confirmation!.text).toContain("We'll send the link before the call");
    expect((await row(booking.id)).status).toBe('confirmed');
    const study = await t.app.inject({ url: `/v1/admin/studies/${studyId}`, headers: t.auth });
    expect(study.json().warnings).toEqual([expect.objectContaining({ code: 'no_way_to_join', hostId: hosts.ben.id })]);

    await connectZoom(hosts.ben);
    await drain();
    const [meeting] = meetingsFor(hosts.ben.email, booking.id);
    expect(meeting).toBeDefined();
    expect(await database.db.select().from(zoomConnections).where(and(eq(zoomConnections.memberId, hosts.ben.id), eq(zoomConnections.status, 'active')))).toHaveLength(1);
    expect((await row(booking.id)).meetingUrl).toBe(meeting!.join_url);
    expect(google.calendar(hosts.ben.email).events.get(googleEventId(booking.id))!.location).toBe(meeting!.join_url);
    await drain(new Date(Date.parse(booking.start) - 25 * HOUR + 60_000));
    const howTo = (await mailsTo(booking.email)).filter((m) => m.subject.startsWith('How to join'));
    expect(howTo).toHaveLength(1);
    expect(howTo[0]!.text).toContain(meeting!.join_url);
  });
});
