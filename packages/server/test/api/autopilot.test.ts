// The week's health (GET /v1/admin/autopilot/week): counts per week from the bookings as stored,
// and this week's forecast from the pacing controller replaying the study's own history.
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { weekFrame } from '@beckon/shared/pacing';
import type { AutopilotWeek } from '@beckon/shared/api';
import { bookings, interceptEvents, participants } from '../../src/db/schema.js';
import { primaryKind } from '../support/database.js';
import { useTestApp } from '../support/app.js';
import { createHost, createLiveStudy } from '../support/studies.js';
import { personWithRole } from '../auth/support.js';

const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe(`the week's health on ${primaryKind}`, () => {
  const suite = useTestApp();

  const admin = (method: 'GET' | 'PATCH' | 'POST', url: string, payload?: object) => suite.t.app.inject({ method, url: `/v1/admin${url}`, headers: suite.t.auth, ...(payload ? { payload } : {}) });
  const week = async () => {
    const response = await admin('GET', '/autopilot/week');
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as AutopilotWeek;
  };

  it('keeps a weekly target on studies (1–50 or null) and a zone and target on the workspace', async () => {
    const { t } = suite;
    expect((await admin('GET', '/workspace')).json()).toMatchObject({ timeZone: 'UTC', weeklyTarget: 1 });
    expect((await admin('PATCH', '/workspace', { timeZone: 'Mars/Olympus' })).statusCode).toBe(400);
    expect((await admin('PATCH', '/workspace', { weeklyTarget: 0 })).statusCode).toBe(400);
    expect((await admin('PATCH', '/workspace', { timeZone: ZONE, weeklyTarget: 4 })).json()).toMatchObject({ timeZone: ZONE, weeklyTarget: 4 });

    const host = await createHost(t, { name: 'Target', timeZone: ZONE });
    const study = await createLiveStudy(t, [host]);
    expect((await admin('GET', `/studies/${study.id}`)).json().weeklyTarget).toBeNull();
    expect((await admin('PATCH', `/studies/${study.id}`, { weeklyTarget: 0 })).statusCode).toBe(400);
    expect((await admin('PATCH', `/studies/${study.id}`, { weeklyTarget: 51 })).statusCode).toBe(400);
    expect((await admin('PATCH', `/studies/${study.id}`, { weeklyTarget: 6 })).json().weeklyTarget).toBe(6);
    expect((await admin('PATCH', `/studies/${study.id}`, { weeklyTarget: null })).json().weeklyTarget).toBeNull();
    const created = await createLiveStudy(t, [host], { weeklyTarget: 3 });
    expect((await admin('GET', `/studies/${created.id}`)).json().weeklyTarget).toBe(3);
    // A live study without a target, and one with a target that is not live, are not reported.
    await admin('PATCH', `/studies/${created.id}`, { status: 'paused' });
    const report = await week();
    expect(report.studies.map((s) => s.studyId)).not.toContain(study.id);
    expect(report.studies.map((s) => s.studyId)).not.toContain(created.id);
  });

  it('counts booked, attended and no-shows per week, and forecasts this week from the replayed history', async () => {
    const { t } = suite;
    await admin('PATCH', '/workspace', { timeZone: ZONE, weeklyTarget: 4 });
    const host = await createHost(t, { name: 'Always', timeZone: ZONE, weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })) });
    const study = await createLiveStudy(t, [host], { name: 'Paced study', weeklyTarget: 5 });
    const workspaceId = t.workspace.workspaceId;
    const [person] = await t.app.db.insert(participants).values({ workspaceId, userId: `autopilot-${randomUUID()}`, email: 'paced@example.test', name: 'Paced' }).returning();

    const now = Date.now();
    const frames = [weekFrame(now, ZONE)];
    while (frames.length < 9) frames.unshift(weekFrame(frames[0]!.start - 1, ZONE));
    const thisWeek = frames[8]!;
    // Tuesday noon of a past week (week 8 is this one); this week, halfway between Monday and now.
    const pastAt = (index: number, hours = 0) => new Date(frames[index]!.start + DAY + 12 * HOUR + hours * HOUR);
    const thisWeekAt = (seconds: number) => new Date(thisWeek.start + (now - thisWeek.start) / 2 + seconds * 1000);

    const booking = (createdAt: Date, startsAt: Date, status: 'confirmed' | 'cancelled' | 'completed' | 'no_show') => {
      const endsAt = new Date(startsAt.getTime() + 20 * 60_000);
      return {
        workspaceId,
        studyId: study.id,
        hostId: host,
        participantId: person!.id,
        status,
        startsAt,
        endsAt,
        blockedFrom: startsAt,
        blockedUntil: endsAt,
        participantTimeZone: ZONE,
        manageTokenHash: randomBytes(32).toString('hex'),
        manageTokenExpiresAt: endsAt,
        icalUid: `${randomBytes(8).toString('hex')}@beckon.test`,
        createdAt,
        ...(status === 'cancelled' ? { cancelledAt: createdAt, cancelledBy: 'participant' as const } : {}),
      };
    };
    await t.app.db.insert(bookings).values([
      // Two weeks ago: three booked and held that week, two attended, one no-show.
      booking(pastAt(6, 0), pastAt(6, 24), 'completed'),
      booking(pastAt(6, 1), pastAt(6, 25), 'completed'),
      booking(pastAt(6, 2), pastAt(6, 26), 'no_show'),
      // Last week: two booked, one of them cancelled; the other held and attended.
      booking(pastAt(7, 0), pastAt(7, 24), 'completed'),
      booking(pastAt(7, 1), pastAt(7, 25), 'cancelled'),
      // This week: two booked so far, for interviews next week.
      booking(thisWeekAt(0), new Date(thisWeek.end + 2 * DAY), 'confirmed'),
      booking(thisWeekAt(1), new Date(thisWeek.end + 2 * DAY + 2 * HOUR), 'confirmed'),
    ]);

    // Intercept traffic in the past three weeks and this one.
    const events: (typeof interceptEvents.$inferInsert)[] = [];
    const add = (kind: (typeof interceptEvents.$inferInsert)['kind'], at: Date, anonymousId: string) => events.push({ workspaceId, studyId: study.id, kind, at, anonymousId });
    for (const index of [5, 6, 7]) {
      for (let i = 0; i < 120; i++) add('eligible', pastAt(index, (i % 48) - 12), `anon-${index}-${i}`);
      for (let i = 0; i < 60; i++) add('shown', pastAt(index, (i % 48) - 12), `anon-${index}-${i}`);
      for (let i = 0; i < 6; i++) add('opted_in', pastAt(index, i), `anon-${index}-${i}`);
      add('screened_out', pastAt(index, 1), `anon-${index}-1`);
    }
    for (let i = 0; i < 20; i++) add('eligible', thisWeekAt(-i), `anon-now-${i}`);
    await t.app.db.insert(interceptEvents).values(events);

    const report = await week();
    expect(report).toMatchObject({ timeZone: ZONE, weekKey: thisWeek.key });
    const paced = report.studies.find((s) => s.studyId === study.id)!;
    expect(paced).toMatchObject({ name: 'Paced study', target: 5 });
    expect(paced.weeks).toHaveLength(9);
    expect(paced.weeks.map((w) => w.weekKey)).toEqual(frames.map((f) => f.key));
    expect(paced.weeks.map((w) => [w.booked, w.attended, w.noShows])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [3, 2, 1],
      [1, 1, 0],
      [2, 0, 0],
    ]);
    expect(paced.weeks.every((w) => w.target === 5)).toBe(true);
    const { forecast } = paced;
    expect(forecast.goal).toBe(5);
    expect(['on_track', 'at_risk', 'will_miss']).toContain(forecast.status);
    expect(forecast.expected).toBeGreaterThanOrEqual(2);
    expect(forecast.low).toBeLessThanOrEqual(forecast.high);
    expect(forecast.chance).toBeGreaterThanOrEqual(0);
    expect(forecast.chance).toBeLessThanOrEqual(1);
    if (forecast.status === 'on_track') expect(forecast).toMatchObject({ reason: null, fix: null });
    else expect(forecast.reason).not.toBeNull();

    // The workspace counts every study's bookings against its own target.
    expect(report.workspace.target).toBe(4);
    expect(report.workspace.weeks[6]).toMatchObject({ booked: 3, attended: 2, noShows: 1 });
    expect(report.workspace.weeks[8]).toMatchObject({ booked: 2 });
    expect(report.workspace.forecast.goal).toBe(4);
  });

  it('reports a study whose hosts have no hours as short of capacity: add hours', async () => {
    const { t } = suite;
    const host = await createHost(t, { name: 'Nohours', timeZone: ZONE, weekly: [] });
    const study = await createLiveStudy(t, [host], { name: 'Empty calendar', weeklyTarget: 3 });
    const report = await week();
    const empty = report.studies.find((s) => s.studyId === study.id)!;
    expect(empty.weeks[8]!.booked).toBe(0);
    expect(empty.forecast).toMatchObject({ goal: 3, freeSlots: 0, reason: 'no_capacity', fix: 'add hours' });
    expect(['at_risk', 'will_miss']).toContain(empty.forecast.status);
  });

  it('is read by anyone who may read studies, and by nobody signed out', async () => {
    const { t } = suite;
    expect((await t.app.inject({ url: '/v1/admin/autopilot/week' })).statusCode).toBe(401);
    const viewer = await personWithRole(t, 'viewer');
    expect((await t.app.inject({ url: '/v1/admin/autopilot/week', headers: viewer.headers })).statusCode).toBe(200);
  });
});
