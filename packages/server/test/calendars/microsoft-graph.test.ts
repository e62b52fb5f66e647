// Microsoft 365 and Outlook calendars: the provider's real code (plain fetch to the documented
// endpoints) wired by the app from its config, against a local emulation of the Microsoft
// identity platform's token endpoint and Microsoft Graph: the sign-in flow, calendar choice, busy
// time from calendarView (showAs, cancelled events, a recurring series with its exceptions, all-day
// events), the interview's event with its Teams link, reschedule, cancel, retries that make no
// second event, token refresh and rotation, and a revoked grant.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { connectMicrosoftOAuth } from '../../src/calendars/connections.js';
import { signOAuthState } from '../../src/calendars/oauth-state.js';
import { BOOKING_PROPERTY, HOST_PROPERTY, microsoftTransactionId, type MicrosoftCredentials } from '../../src/calendars/microsoft.js';
import type { CalendarService } from '../../src/calendars/service.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { bookings, calendarConnections, jobs, members, outboxMessages } from '../../src/db/schema.js';
import { enqueue } from '../../src/jobs/queue.js';
import { buildTestApp, TEST_ORIGIN, type TestApp } from '../support/app.js';
import { openTestDatabase, primaryKind } from '../support/database.js';
import { payloadOf } from '../support/jobs.js';
import { addDays, createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';
import { startGraphEmulator, type GraphEmulator } from './support/graph-emulator.js';

const ZONE = 'America/New_York';
const HOUR = 3_600_000;

describe(`Microsoft 365 calendars through Microsoft Graph against the emulation (${primaryKind})`, () => {
  let database: DatabaseHandle;
  let graph: GraphEmulator;
  let t: TestApp;
  let service: CalendarService;
  const base = upcomingDate(ZONE, 1, 1);
  const day = (offset: number) => addDays(base, offset);

  beforeAll(async () => {
    database = await openTestDatabase();
    graph = await startGraphEmulator();
    // The app builds its own calendar service from these settings, as in production.
    t = await buildTestApp(database, {
      microsoft: graph.client,
      microsoftEndpoints: { tenant: graph.tenant, authorityUrl: graph.authorityUrl, graphUrl: graph.graphUrl },
      microsoftInviteAttendees: true,
      calendarTimeoutMs: 2_000,
    });
    service = t.app.calendarService;
  });

  afterEach(() => {
    graph.clearFaults();
    graph.maxPageSize = 1000;
  });

  afterAll(async () => {
    await t?.app.close();
    await graph?.close();
    await database?.close();
  });

  const emailOf = async (id: string) => (await database.db.select().from(members).where(eq(members.id, id)))[0]!.email;

  async function outlookHost(name: string) {
    const id = await createHost(t, { name, timeZone: ZONE, bufferAfterMinutes: 0 });
    const email = await emailOf(id);
    const refreshToken = graph.grant(email);
    const connection = await connectMicrosoftOAuth(service, { id, email }, { refreshToken, email });
    return { id, email, refreshToken, connectionId: connection.id, calendarId: graph.defaultCalendarId(email) };
  }

  const slotTimes = async (studyId: string, date: string): Promise<string[]> => {
    const from = instantOf(date, '00:00', ZONE);
    const to = instantOf(addDays(date, 1), '00:00', ZONE);
    const response = await t.app.inject({ url: `/v1/w/${t.workspace.publicKey}/studies/${studyId}/slots?from=${from}&to=${to}&tz=${ZONE}`, headers: { origin: TEST_ORIGIN } });
    expect(response.statusCode).toBe(200);
    return (response.json().slots as { start: string }[]).map((slot) => new Date(slot.start).toLocaleTimeString('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit' }));
  };

  const book = async (studyId: string, date: string, time: string, who = participant({ name: 'Grace Hopper' })) => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/w/${t.workspace.publicKey}/studies/${studyId}/bookings`,
      headers: { origin: TEST_ORIGIN },
      payload: { start: instantOf(date, time, ZONE), participant: who, consent: true },
    });
    expect(response.statusCode, response.body).toBe(201);
    const { booking } = response.json() as { booking: { id: string; manageUrl: string } };
    return { id: booking.id, token: booking.manageUrl.split('/').pop()!, email: who.email as string };
  };

  const bookingRow = async (id: string) => (await database.db.select().from(bookings).where(eq(bookings.id, id)))[0]!;
  const connectionRow = async (id: string) => (await database.db.select().from(calendarConnections).where(eq(calendarConnections.id, id)))[0]!;
  const drainJobs = async (now?: Date) => {
    for (let i = 0; i < 10 && (await t.app.worker.runOnce(now)) > 0; i++);
  };
  const jobOf = async (kind: string, bookingId: string) => (await database.db.select().from(jobs).where(eq(jobs.kind, kind)).orderBy(jobs.id)).filter((job) => payloadOf(job).bookingId === bookingId).at(-1)!;
  const calls = (method: string, path: RegExp) => graph.requests.filter((r) => r.method === method && path.test(r.path));
  const tokenCalls = (grant: string) => calls('POST', /\/oauth2\/v2\.0\/token$/).filter((r) => (r.body as Record<string, string>).grant_type === grant);
  /**
   * Waits for a condition the app reaches in the background (no timing assumed): checks again
   * every 10 ms until it holds, for up to 20 s (the assertions after it then say what is missing).
   */
  const eventually = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 2_000 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('connects an interviewer through Microsoft sign-in: signed state, refresh token sealed, calendars listed and chosen', async () => {
    const id = await createHost(t, { name: 'Consent', timeZone: ZONE, bufferAfterMinutes: 0 });
    const email = await emailOf(id);
    const research = graph.addCalendar(email, 'Research interviews');
    const shared = graph.addCalendar(email, "Ana's calendar", { canEdit: false });
    const start = await t.app.inject({ url: `/v1/admin/members/${id}/calendars/microsoft/connect`, headers: t.auth });
    expect(start.statusCode, start.body).toBe(200);
    const consent = new URL(start.json().url);
    expect(consent.origin + consent.pathname).toBe(`${graph.authorityUrl}/common/oauth2/v2.0/authorize`);
    expect(Object.fromEntries(consent.searchParams)).toMatchObject({
      client_id: graph.client.clientId,
      response_type: 'code',
      response_mode: 'query',
      redirect_uri: 'http://beckon.test/v1/calendars/microsoft/callback',
      login_hint: email,
    });
    expect(consent.searchParams.get('scope')!.split(' ').sort()).toEqual(['Calendars.ReadWrite', 'email', 'offline_access', 'openid', 'profile']);
    const state = consent.searchParams.get('state')!;
    const callback = (query: Record<string, string>) => t.app.inject({ url: `/v1/calendars/microsoft/callback?${new URLSearchParams(query).toString()}` });

    expect((await callback({ state: state.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), code: 'x' })).statusCode).toBe(400);
    // A state signed for Google's flow is no good here.
    const member = { id, workspaceId: t.workspace.workspaceId };
    expect((await callback({ state: signOAuthState(service.options.secretBox, 'google-oauth-state', member, 60_000), code: graph.authorize(email) })).statusCode).toBe(400);
    const declined = await callback({ state, error: 'access_denied', error_description: 'AADSTS65004: User declined to consent to access the app.\r\nTrace ID: x' });
    expect(declined.statusCode).toBe(400);
    expect(declined.body).toContain('User declined to consent');
    expect(declined.body).not.toContain('Trace ID');

    const back = await callback({ state, code: graph.authorize(email) });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.body).toContain('Calendar connected');
    const exchange = tokenCalls('authorization_code').at(-1)!.body as Record<string, string>;
    expect(exchange).toMatchObject({ client_id: graph.client.clientId, client_secret: graph.client.clientSecret, redirect_uri: 'http://beckon.test/v1/calendars/microsoft/callback' });

    const list = await t.app.inject({ url: `/v1/admin/members/${id}/calendars`, headers: t.auth });
    const defaultId = graph.defaultCalendarId(email);
    expect(list.json().calendars).toEqual([
      expect.objectContaining({ provider: 'microsoft', label: `${email} (Microsoft)`, status: 'active', busyCalendarIds: [defaultId], writeCalendarId: defaultId }),
    ]);
    expect(list.body).not.toMatch(/0\.AX|refresh|credentials/i);
    const row = (await database.db.select().from(calendarConnections).where(eq(calendarConnections.memberId, id)))[0]!;
    expect(row.credentialsEncrypted).toMatch(/^v1\./);
    expect(row.credentialsEncrypted).not.toContain('0.AX');

    const choices = await t.app.inject({ url: `/v1/admin/members/${id}/calendars/${row.id}/choices`, headers: t.auth });
    expect(choices.statusCode).toBe(200);
    expect(choices.json().calendars).toEqual([
      { url: defaultId, displayName: 'Calendar', events: true },
      { url: research, displayName: 'Research interviews', events: true },
      { url: shared, displayName: "Ana's calendar", events: true },
    ]);
    const choose = (payload: object) => t.app.inject({ method: 'PATCH', url: `/v1/admin/members/${id}/calendars/${row.id}`, headers: t.auth, payload });
    const readOnly = await choose({ writeCalendarId: shared });
    expect(readOnly.statusCode).toBe(422);
    expect(readOnly.json().error).toMatchObject({ code: 'calendar_read_only', field: 'writeCalendarId' });
    const unknown = await choose({ busyCalendarIds: [defaultId, 'AAMkADnotthere='] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error).toMatchObject({ code: 'calendar_not_found', field: 'busyCalendarIds.1' });
    expect(unknown.json().error.message).toContain('Research interviews');
    const chosen = await choose({ busyCalendarIds: [defaultId, shared], writeCalendarId: research });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json().calendar).toMatchObject({ busyCalendarIds: [defaultId, shared], writeCalendarId: research });

    // Ana's calendar, shared read-only, now counts: her meeting keeps 10:00 out.
    const study = await createLiveStudy(t, [id], { slotStepMinutes: 30 });
    graph.addEvent(email, shared, { start: `${day(0)}T10:00:00`, end: `${day(0)}T10:30:00`, timeZone: ZONE });
    const times = await slotTimes(study.id, day(0));
    expect(times).not.toContain('10:00');
    expect(times).toHaveLength(15);
  });

  it('reads busy time with calendarView: busy, tentative and away block; free, working elsewhere and cancelled do not; a series blocks its real occurrences', async () => {
    const host = await outlookHost('Busy');
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30 });
    const add = (date: string, from: string, to: string, extra: Partial<Parameters<GraphEmulator['addEvent']>[2]> = {}) =>
      graph.addEvent(host.email, host.calendarId, { start: `${date}T${from}:00`, end: `${date}T${to}:00`, timeZone: ZONE, ...extra });
    add(day(0), '09:00', '09:30', { showAs: 'busy' });
    add(day(0), '10:00', '10:30', { showAs: 'tentative' });
    add(day(0), '11:00', '11:30', { showAs: 'oof' });
    add(day(0), '12:00', '12:30', { showAs: 'free' });
    add(day(0), '13:00', '13:30', { showAs: 'workingElsewhere' });
    add(day(0), '14:00', '14:30', { showAs: 'busy', isCancelled: true });
    // Written in Berlin's time: the same instant as 14:30 in New York.
    const berlin = Temporal.PlainDateTime.from(`${day(0)}T14:30`).toZonedDateTime(ZONE).withTimeZone('Europe/Berlin').toPlainDateTime();
    graph.addEvent(host.email, host.calendarId, { start: berlin.toString(), end: berlin.add({ minutes: 30 }).toString(), timeZone: 'Europe/Berlin' });
    // A daily stand-up at 15:00 since a week before: today's moved to 16:00, tomorrow's as usual, the day after's deleted.
    const standUp = graph.addEvent(host.email, host.calendarId, {
      subject: 'Stand-up',
      start: `${day(-7)}T15:00:00`,
      end: `${day(-7)}T15:30:00`,
      timeZone: ZONE,
      recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'noEnd', startDate: day(-7) } },
    });
    graph.changeOccurrence(host.email, host.calendarId, standUp, day(0), { start: `${day(0)}T16:00:00`, end: `${day(0)}T16:30:00` });
    graph.deleteOccurrence(host.email, host.calendarId, standUp, day(2));
    // A declined meeting stays on the calendar and leaves the time free; an all-day event takes the whole day.
    add(day(1), '09:00', '10:00', { responseStatus: 'declined' });
    graph.addEvent(host.email, host.calendarId, { start: `${day(3)}T00:00:00`, end: `${day(4)}T00:00:00`, timeZone: ZONE, isAllDay: true, subject: 'Offsite' });
    graph.maxPageSize = 3; // more events than a page holds: every page is read

    const before = calls('GET', /\/calendarView$/).length;
    const today = await slotTimes(study.id, day(0));
    expect(today).toEqual(['09:30', '10:30', '11:30', '12:00', '12:30', '13:00', '13:30', '14:00', '15:00', '15:30', '16:30']);
    const views = calls('GET', /\/calendarView$/).slice(before);
    expect(views.length).toBeGreaterThan(1);
    expect(views.some((request) => request.query.has('$skip'))).toBe(true);
    expect(views[0]!.user).toBe(host.email); // the token came from this host's grant
    expect(views[0]!.headers.prefer).toBe('outlook.timezone="UTC"');
    expect(views[0]!.path).toBe(`/v1.0/me/calendars/${host.calendarId}/calendarView`);

    expect(await slotTimes(study.id, day(1))).not.toContain('15:00'); // the series as usual
    expect(await slotTimes(study.id, day(1))).toContain('09:00'); // declined
    expect(await slotTimes(study.id, day(2))).toContain('15:00'); // the deleted occurrence
    expect(await slotTimes(study.id, day(3))).toEqual([]); // all day
  });

  it('writes the interview with the participant and a Teams link that reaches their email; a retry whose create answer was lost makes no second event', async () => {
    const host = await outlookHost('Teams');
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30, meetingLocation: { kind: 'microsoft_teams' } });
    const read = await t.app.inject({ url: `/v1/admin/studies/${study.id}`, headers: t.auth });
    expect(read.json().warnings).toEqual([]); // the Outlook calendar makes the Teams link
    const booking = await book(study.id, day(1), '10:00');
    await drainJobs();

    const event = graph.eventOf(host.email, host.calendarId, booking.id)!;
    expect(event).toBeDefined();
    const row = await bookingRow(booking.id);
    expect(event.start).toEqual({ dateTime: row.startsAt.toISOString().slice(0, 19), timeZone: 'UTC' });
    expect(event.end).toEqual({ dateTime: row.endsAt.toISOString().slice(0, 19), timeZone: 'UTC' });
    expect(event.attendees).toEqual([expect.objectContaining({ emailAddress: { address: booking.email, name: 'Grace Hopper' }, type: 'required' })]);
    expect(event.subject).toMatch(/^A 20-minute conversation with .+: Grace Hopper and /);
    expect(`${event.subject}\n${event.body.content}`).not.toContain('Onboarding interviews');
    expect(event.body.content).toMatch(/Reschedule or cancel: http:\/\/beckon\.test\/m\/[\w-]{43}/);
    expect(event).toMatchObject({ isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness', showAs: 'busy' });
    expect(event.transactionId).toBe(microsoftTransactionId(booking.id, host.id, host.calendarId));
    expect(event.singleValueExtendedProperties).toEqual([
      { id: BOOKING_PROPERTY, value: booking.id },
      { id: HOST_PROPERTY, value: host.id },
    ]);
    const joinUrl = event.onlineMeeting!.joinUrl;
    expect(joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);

    // The Teams link is on the booking before the participant's email is written, and in it.
    expect(row.meetingUrl).toBe(joinUrl);
    const confirmation = (await database.db.select().from(outboxMessages)).find((m) => m.messageId.includes(booking.id) && m.subject.startsWith('Confirmed'));
    expect(confirmation?.text).toContain(joinUrl);
    const view = await t.app.inject({ url: `/v1/bookings/${booking.token}` });
    expect(view.json().booking.meetingUrl).toBe(joinUrl);

    // The interview is Beckon's own booking: it is not the host's busy time from their calendar.
    const from = new Date(instantOf(day(1), '00:00', ZONE));
    const busy = await service.busyTimeSource.busy([host.id], from, new Date(from.getTime() + 24 * HOUR), { fresh: true });
    expect(busy[host.id]).toEqual([]);

    // The same job again (a worker died after the write): the event is found and updated, not made twice.
    const posts = calls('POST', /\/events$/).length;
    await enqueue(database.db, { kind: 'calendar.upsert', payload: { bookingId: booking.id, sequence: 0 } });
    await drainJobs();
    expect(calls('POST', /\/events$/).length).toBe(posts);
    expect([...graph.mailbox(host.email).get(host.calendarId)!.events.values()].filter((e) => e.singleValueExtendedProperties?.some((p) => p.value === booking.id))).toHaveLength(1);
    expect(graph.eventOf(host.email, host.calendarId, booking.id)!.onlineMeeting!.joinUrl).toBe(joinUrl);

    // A create that Exchange made but whose answer never arrived: the retry finds that event.
    graph.drop({ method: 'POST', path: /\/events$/, times: 1 });
    const second = await book(study.id, day(1), '11:00');
    await drainJobs();
    expect((await jobOf('calendar.upsert', second.id)).status).toBe('pending');
    expect(graph.eventOf(host.email, host.calendarId, second.id)).toBeDefined(); // made, though Beckon did not hear so
    await drainJobs(new Date(Date.now() + HOUR));
    expect((await jobOf('calendar.upsert', second.id)).status).toBe('done');
    expect(calls('POST', /\/events$/).length).toBe(posts + 1);
    expect((await bookingRow(second.id)).meetingUrl).toBe(graph.eventOf(host.email, host.calendarId, second.id)!.onlineMeeting!.joinUrl);
  });

  it('waits for a Teams link Exchange adds a moment later: the first emails carry it', async () => {
    const host = await outlookHost('Late link');
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30, meetingLocation: { kind: 'microsoft_teams' } });
    graph.delayMeetings(1);
    const booking = await book(study.id, day(2), '10:00');
    await drainJobs();
    const job = await jobOf('calendar.upsert', booking.id);
    expect(job.status).toBe('pending');
    expect(job.lastError).toMatch(/Teams meeting link not ready yet/);
    const mails = async () => (await database.db.select().from(outboxMessages)).filter((m) => m.messageId.includes(booking.id));
    expect(await mails()).toEqual([]); // the first mails wait for the link

    await drainJobs(new Date(Date.now() + HOUR));
    const joinUrl = graph.eventOf(host.email, host.calendarId, booking.id)!.onlineMeeting!.joinUrl;
    expect((await bookingRow(booking.id)).meetingUrl).toBe(joinUrl);
    expect((await mails()).find((m) => m.subject.startsWith('Confirmed'))?.text).toContain(joinUrl);
  });

  it('moves the event on reschedule (same event, same Teams link) and removes it on cancel', async () => {
    const host = await outlookHost('Mover');
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30, meetingLocation: { kind: 'microsoft_teams' } });
    const booking = await book(study.id, day(4), '10:00');
    await drainJobs();
    const first = graph.eventOf(host.email, host.calendarId, booking.id)!;
    const { id: eventId } = first;
    const joinUrl = first.onlineMeeting!.joinUrl;

    const newStart = instantOf(day(4), '14:00', ZONE);
    const moved = await t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.token}/reschedule`, payload: { start: newStart } });
    expect(moved.statusCode, moved.body).toBe(200);
    await drainJobs();
    const event = graph.eventOf(host.email, host.calendarId, booking.id)!;
    expect(event.id).toBe(eventId);
    expect(event.start.dateTime).toBe(new Date(newStart).toISOString().slice(0, 19));
    expect(event.onlineMeeting!.joinUrl).toBe(joinUrl);
    expect(graph.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/events/${eventId}`))).toHaveLength(1);
    const rescheduled = (await database.db.select().from(outboxMessages)).filter((m) => m.messageId.includes(booking.id) && m.to.includes(booking.email)).at(-1)!;
    expect(rescheduled.text).toContain(joinUrl);

    expect((await t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.token}/cancel` })).statusCode).toBe(200);
    await drainJobs();
    expect(graph.eventOf(host.email, host.calendarId, booking.id)).toBeUndefined();
    expect((await jobOf('calendar.delete', booking.id)).status).toBe('done');
    // Again (a retry after a crash): nothing left to find, nothing deleted twice.
    await enqueue(database.db, { kind: 'calendar.delete', payload: { bookingId: booking.id } });
    await drainJobs();
    expect(calls('DELETE', /\/events\//).filter((r) => r.path.endsWith(eventId))).toHaveLength(1);
    expect((await jobOf('calendar.delete', booking.id)).status).toBe('done');
  });

  it('refreshes an expired access token, and seals the refresh token Microsoft rotated', async () => {
    const host = await outlookHost('Refresh');
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30 });
    expect(await slotTimes(study.id, day(9))).toHaveLength(16);
    const refreshes = tokenCalls('refresh_token').length;
    service.forget(host.id);
    expect(await slotTimes(study.id, day(9))).toHaveLength(16);
    expect(tokenCalls('refresh_token').length).toBe(refreshes); // the access token is reused while it lasts

    graph.expireAccessTokens();
    graph.addEvent(host.email, host.calendarId, { start: `${day(9)}T09:00:00`, end: `${day(9)}T10:00:00`, timeZone: ZONE });
    service.forget(host.id);
    const views = calls('GET', /\/calendarView$/).length;
    expect(await slotTimes(study.id, day(9))).toHaveLength(14);
    expect(tokenCalls('refresh_token').length).toBe(refreshes + 1);
    expect(calls('GET', /\/calendarView$/).length - views).toBe(2); // 401, then again with the new token
    expect((tokenCalls('refresh_token').at(-1)!.body as Record<string, string>).scope).toContain('offline_access');

    // Microsoft rotates refresh tokens: the newest is sealed in place of the one Beckon was given.
    const stored = async () => JSON.parse(t.app.secretBox.open((await connectionRow(host.connectionId)).credentialsEncrypted!)) as MicrosoftCredentials;
    await eventually(async () => (await stored()).refreshToken !== host.refreshToken);
    expect(await stored()).toMatchObject({ kind: 'oauth', email: host.email, refreshToken: expect.stringMatching(/^0\.AX/) });
    expect((await stored()).refreshToken).not.toBe(host.refreshToken);
    expect((await connectionRow(host.connectionId)).status).toBe('active');
  });

  it('retries a throttled calendarView, and leaves a host out (fail closed) while Graph is unavailable', async () => {
    const host = await outlookHost('Throttled');
    const other = await createHost(t, { name: 'No calendar', timeZone: ZONE, bufferAfterMinutes: 0 });
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30 });
    const shared = await createLiveStudy(t, [host.id, other], { slotStepMinutes: 30 });
    const before = calls('GET', /\/calendarView$/).length;
    graph.fail({ path: /\/calendarView$/, status: 429, times: 1, retryAfter: 0 });
    expect(await slotTimes(study.id, day(10))).toHaveLength(16);
    expect(calls('GET', /\/calendarView$/).length - before).toBe(2);

    service.forget(host.id);
    graph.fail({ path: /\/calendarView$/, status: 503, times: 10 });
    expect(await slotTimes(study.id, day(10))).toEqual([]);
    expect(service.hostsLeftOut([host.id, other])).toEqual({ [host.id]: expect.objectContaining({ reason: 'unreachable', message: expect.stringContaining('503') }) });
    expect(await slotTimes(shared.id, day(10))).toHaveLength(16); // the other host is still offered
  });

  it('marks the connection broken on a revoked grant: the host is not offered, is emailed a sign-in link, and reconnecting replaces it', async () => {
    const host = await outlookHost('Revoked');
    const study = await createLiveStudy(t, [host.id], { slotStepMinutes: 30, meetingLocation: { kind: 'microsoft_teams' } });
    expect(await slotTimes(study.id, day(7))).toHaveLength(16);
    const booking = await book(study.id, day(7), '10:00');
    await drainJobs();
    expect(graph.eventOf(host.email, host.calendarId, booking.id)).toBeDefined();

    graph.revoke(host.email);
    service.forget(host.id);
    expect(await slotTimes(study.id, day(7))).toEqual([]);
    await eventually(async () => (await connectionRow(host.connectionId)).status === 'broken');
    expect(await connectionRow(host.connectionId)).toMatchObject({ status: 'broken', lastError: expect.stringMatching(/invalid_grant: AADSTS50173/) });
    expect((await connectionRow(host.connectionId)).lastError).not.toMatch(/Trace ID|Correlation/);
    expect(service.hostsLeftOut([host.id])[host.id]).toMatchObject({ reason: 'broken' });

    // The interviewer is asked, once, to sign in again: the link is Microsoft's, for them. The
    // email's job is queued after the connection is marked broken (in the background, as the
    // failed read saw it), so the jobs run until its email is there.
    const reconnectMails = async () => (await database.db.select().from(outboxMessages)).filter((m) => m.to.includes(host.email) && m.subject.startsWith('Action needed: reconnect'));
    await eventually(async () => {
      await drainJobs();
      return (await reconnectMails()).length > 0;
    });
    const reconnect = await reconnectMails();
    expect(reconnect).toHaveLength(1);
    expect(reconnect[0]!.text).toContain(`${host.email} (Microsoft)`);
    const link = /https?:\/\/\S+\/oauth2\/v2\.0\/authorize\?\S+/.exec(reconnect[0]!.text)?.[0];
    expect(link).toBeDefined();
    const signIn = new URL(link!);
    expect(signIn.origin).toBe(graph.authorityUrl);
    expect(signIn.searchParams.get('login_hint')).toBe(host.email);

    // The interview stays booked; its calendar write waits for the reconnection.
    const moved = await t.app.inject({ method: 'POST', url: `/v1/bookings/${booking.token}/reschedule`, payload: { start: instantOf(day(8), '11:00', ZONE) } });
    expect(moved.statusCode).toBe(409); // not offered while broken
    await enqueue(database.db, { kind: 'calendar.upsert', payload: { bookingId: booking.id } });
    await drainJobs();
    expect((await jobOf('calendar.upsert', booking.id)).lastError).toMatch(/broken/);
    expect((await bookingRow(booking.id)).status).toBe('confirmed');

    // Signing in again with the same account, from the emailed link, replaces the broken connection.
    const back = await t.app.inject({ url: `/v1/calendars/microsoft/callback?state=${encodeURIComponent(signIn.searchParams.get('state')!)}&code=${encodeURIComponent(graph.authorize(host.email))}` });
    expect(back.statusCode, back.body).toBe(200);
    const list = (await t.app.inject({ url: `/v1/admin/members/${host.id}/calendars`, headers: t.auth })).json().calendars;
    expect(list).toEqual([expect.objectContaining({ provider: 'microsoft', status: 'active', label: `${host.email} (Microsoft)` })]);
    await drainJobs(new Date(Date.now() + HOUR));
    expect((await jobOf('calendar.upsert', booking.id)).status).toBe('done');
    expect(await slotTimes(study.id, day(7))).toHaveLength(15);
  });
});
