// A way to join, always: for every meeting location (Google Meet, Microsoft Teams, Zoom, a video link,
// phone, in person), with a host whose Google calendar is connected, one whose Microsoft 365
// calendar is, a host with none, and a host with none but a fallback of their own, the study warns when participants would get no way to join,
// the confirmation carries the way there is, and where there is none the participant was told it
// would follow: before their first reminder they get it (once the team has set one), or the
// interviewer and the workspace's admins are told nobody can give one.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JoinFallback, MeetingLocation } from '@beckon/shared/api';
import { ensureMembership, ensureUser } from '../../src/auth/accounts.js';
import { connectGoogleOAuth, connectMicrosoftOAuth } from '../../src/calendars/connections.js';
import { googleEventId } from '../../src/calendars/google.js';
import { createCalendarService } from '../../src/calendars/service.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { jobs, members, outboxMessages } from '../../src/db/schema.js';
import { SecretBox } from '../../src/security/secrets.js';
import { buildTestApp, TEST_ORIGIN, type TestApp } from '../support/app.js';
import { openTestDatabase, primaryKind } from '../support/database.js';
import { payloadOf } from '../support/jobs.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';
import { googleServiceOptions, startGoogleEmulator, type GoogleEmulator } from './support/google-emulator.js';
import { startGraphEmulator, type GraphEmulator } from './support/graph-emulator.js';

const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;
const PERSONAL_ROOM = 'https://rooms.example.test/priya';
const LOCATIONS: Record<MeetingLocation['kind'], MeetingLocation> = {
  google_meet: { kind: 'google_meet' },
  microsoft_teams: { kind: 'microsoft_teams' },
  // None of these hosts has Zoom connected (zoom-meetings.test.ts has those who do).
  zoom: { kind: 'zoom' },
  video_url: { kind: 'video_url', details: 'https://video.example.test/acme-research' },
  phone: { kind: 'phone', details: 'We call you on the number you gave us' },
  in_person: { kind: 'in_person', details: 'Acme, 1 Harbour Street, Hamburg' },
};
type HostKind = 'google' | 'microsoft' | 'none' | 'fallback';
/** The kinds whose link is made per interview, and which host here can make it (none can make Zoom's). */
const MADE_BY: Partial<Record<MeetingLocation['kind'], { host?: HostKind; words: RegExp }>> = {
  google_meet: { host: 'google', words: /has no Google calendar connected/ },
  microsoft_teams: { host: 'microsoft', words: /has no Microsoft 365 calendar connected/ },
  zoom: { words: /has no Zoom account connected/ },
};

describe(`a way to join, for every location and host (${primaryKind})`, () => {
  let database: DatabaseHandle;
  let google: GoogleEmulator;
  let graph: GraphEmulator;
  let t: TestApp;
  const hosts = {} as Record<HostKind | 'late', { id: string; email: string; name: string }>;
  const date = upcomingDate(ZONE, 3, 1);

  beforeAll(async () => {
    database = await openTestDatabase();
    google = await startGoogleEmulator();
    graph = await startGraphEmulator();
    const key = randomBytes(32);
    const service = createCalendarService({
      db: database.db,
      secretBox: new SecretBox(key),
      fetchTimeoutMs: 2_000,
      ...googleServiceOptions(google),
      microsoft: { authorityUrl: graph.authorityUrl, tenant: graph.tenant, graphUrl: graph.graphUrl, oauth: { ...graph.client, redirectUri: 'http://beckon.test/v1/calendars/microsoft/callback' } },
      publicUrl: 'http://beckon.test',
    });
    t = await buildTestApp(database, { encryptionKey: key }, { calendarService: service });
    for (const [kind, name] of [['google', 'Gita'], ['microsoft', 'Mira'], ['none', 'Nils'], ['fallback', 'Priya'], ['late', 'Lena']] as const) {
      const id = await createHost(t, { name, timeZone: ZONE, bufferAfterMinutes: 0 });
      const [row] = await database.db.select().from(members).where(eq(members.id, id));
      hosts[kind] = { id, email: row!.email, name };
    }
    await connectGoogleOAuth(service, hosts.google, { refreshToken: google.grant(hosts.google.email), email: hosts.google.email });
    await connectMicrosoftOAuth(service, hosts.microsoft, { refreshToken: graph.grant(hosts.microsoft.email), email: hosts.microsoft.email });
    const fallback: JoinFallback = { kind: 'video_url', details: PERSONAL_ROOM };
    const set = await t.app.inject({ method: 'PATCH', url: `/v1/admin/members/${hosts.fallback.id}`, headers: t.auth, payload: { joinFallback: fallback } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().joinFallback).toEqual(fallback);
    const { user } = await ensureUser(database.db, { email: 'olivia.owner@acme.test', name: 'Olivia' });
    await ensureMembership(database.db, { userId: user.id, workspaceId: t.workspace.workspaceId, role: 'owner' });
  });

  afterAll(async () => {
    await t?.app.close();
    await google?.close();
    await graph?.close();
    await database?.close();
  });

  const drain = async (now?: Date) => {
    for (let i = 0; i < 10 && (await t.app.worker.runOnce(now)) > 0; i++);
  };
  const mailsTo = async (email: string) => (await database.db.select().from(outboxMessages).orderBy(outboxMessages.id)).filter((m) => m.to.includes(email));

  async function bookWith(location: MeetingLocation, host: HostKind | 'late', time: string) {
    const study = await createLiveStudy(t, [hosts[host].id], { slotStepMinutes: 30, meetingLocation: location });
    const read = await t.app.inject({ url: `/v1/admin/studies/${study.id}`, headers: t.auth });
    const who = participant({ name: 'Grace Hopper' });
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/w/${t.workspace.publicKey}/studies/${study.id}/bookings`,
      headers: { origin: TEST_ORIGIN },
      payload: { start: instantOf(date, time, ZONE), participant: who, consent: true },
    });
    expect(response.statusCode, response.body).toBe(201);
    await drain();
    const [confirmation] = (await mailsTo(who.email)).filter((m) => m.subject.startsWith('Confirmed'));
    return { study, warnings: read.json().warnings as { code: string; hostId: string; message: string }[], booking: response.json().booking as { id: string; start: string; manageUrl: string }, email: who.email, confirmation: confirmation! };
  }

  // One booking per host and location: each host's at its own hour (9:00, 10:00, …), half past for every other host.
  const HOST_KINDS = ['google', 'microsoft', 'none', 'fallback'] as const;
  const cases = (Object.keys(LOCATIONS) as MeetingLocation['kind'][]).flatMap((kind, k) => HOST_KINDS.map((host, h) => ({ kind, host, time: `${String(9 + k).padStart(2, '0')}:${h % 2 ? '30' : '00'}` })));

  it.each(cases)('$kind with a host whose calendar is $host: a way to join, or a warning', async ({ kind, host, time }) => {
    const { warnings, booking, confirmation } = await bookWith(LOCATIONS[kind], host, time);
    const text = confirmation.text;
    const madeBy = MADE_BY[kind];
    const makesLink = madeBy?.host === host;
    const noWay = Boolean(madeBy) && !makesLink && host !== 'fallback';
    expect(warnings.map((w) => w.code)).toEqual(noWay ? ['no_way_to_join'] : madeBy && host === 'fallback' ? ['join_fallback'] : []);
    if (noWay) expect(warnings[0]!.message).toMatch(new RegExp(`${hosts[host].name} ${madeBy!.words.source}.*no fallback`));
    if (madeBy && makesLink) {
      const link =
        kind === 'google_meet'
          ? google.calendar(hosts.google.email).events.get(googleEventId(booking.id))!.hangoutLink!
          : graph.eventOf(hosts.microsoft.email, graph.defaultCalendarId(hosts.microsoft.email), booking.id)!.onlineMeeting!.joinUrl;
      expect(link).toMatch(kind === 'google_meet' ? /^https:\/\/meet\.google\.com\// : /^https:\/\/teams\.microsoft\.com\//);
      expect(text).toContain(link);
    } else if (madeBy && host === 'fallback') {
      expect(text).toContain(PERSONAL_ROOM);
      // The participant's view of the booking gives the same link.
      const view = await t.app.inject({ url: `/v1/bookings/${booking.manageUrl.split('/').pop()}` });
      expect(view.json().booking.meetingUrl).toBe(PERSONAL_ROOM);
    } else if (madeBy) {
      expect(text).toContain("We'll send the link before the call");
      if (kind === 'zoom') return; // Zoom's link follows a connection (zoom-meetings.test.ts)
      const [pending] = (await database.db.select().from(jobs).where(eq(jobs.kind, 'mail.join_details'))).filter((job) => payloadOf(job).bookingId === booking.id);
      expect(pending).toMatchObject({ status: 'pending' });
      // An hour before the first (24-hour) reminder.
      expect(pending!.runAt.toISOString()).toBe(new Date(Date.parse(booking.start) - 25 * HOUR).toISOString());
    } else {
      expect(text).toContain(LOCATIONS[kind].details);
    }
    if (!noWay) expect(text).not.toContain("We'll send the link before the call");
  });

  it('with nobody able to give a way to join, the interviewer and the owner are told before the first reminder; the participant gets no empty "how to join"', async () => {
    const { booking, email } = await bookWith(LOCATIONS.google_meet, 'none', '16:00');
    await drain(new Date(Date.parse(booking.start) - 25 * HOUR + 60_000));
    const warned = (await mailsTo(hosts.none.email)).filter((m) => m.subject.startsWith('No way to join yet') && m.messageId.includes(booking.id));
    expect(warned).toHaveLength(1);
    expect(warned[0]!.to.sort()).toEqual([hosts.none.email, 'olivia.owner@acme.test'].sort());
    expect(warned[0]!.text).toContain('Members: a personal meeting link, a phone number or an address');
    expect((await mailsTo(email)).filter((m) => m.subject.startsWith('How to join'))).toEqual([]);
  });

  it('a link that was to follow is sent before the first reminder once the team has set one, and the reminder carries it', async () => {
    const { booking, email, confirmation } = await bookWith(LOCATIONS.google_meet, 'late', '16:30');
    expect(confirmation.text).toContain("We'll send the link before the call");
    const phone: JoinFallback = { kind: 'phone', details: '+49 40 555 0100' };
    expect((await t.app.inject({ method: 'PATCH', url: `/v1/admin/members/${hosts.late.id}`, headers: t.auth, payload: { joinFallback: phone } })).statusCode).toBe(200);
    await drain(new Date(Date.parse(booking.start) - 25 * HOUR + 60_000));
    const howTo = (await mailsTo(email)).filter((m) => m.subject.startsWith('How to join'));
    expect(howTo).toHaveLength(1);
    expect(howTo[0]!.text).toContain('By phone: +49 40 555 0100');
    expect((await mailsTo(hosts.late.email)).filter((m) => m.subject.startsWith('No way to join'))).toEqual([]);
    await drain(new Date(Date.parse(booking.start) - 24 * HOUR + 60_000));
    const [reminder] = (await mailsTo(email)).filter((m) => m.subject.startsWith('Reminder'));
    expect(reminder?.text).toContain('By phone: +49 40 555 0100');
  });

  it('refuses a personal meeting link that is not https, naming the field', async () => {
    const bad = await t.app.inject({ method: 'PATCH', url: `/v1/admin/members/${hosts.none.id}`, headers: t.auth, payload: { joinFallback: { kind: 'video_url', details: 'http://rooms.example.test/x' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('joinFallback.details');
    const empty = await t.app.inject({ method: 'PATCH', url: `/v1/admin/members/${hosts.none.id}`, headers: t.auth, payload: { joinFallback: { kind: 'phone', details: '' } } });
    expect(empty.statusCode).toBe(400);
  });
});
