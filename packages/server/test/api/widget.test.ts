import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { interceptEvents, participants } from '../../src/db/schema.js';
import { primaryKind } from '../support/database.js';
import { buildTestApp, TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost, createLiveStudy } from '../support/studies.js';

describe(`widget routes on ${primaryKind}`, () => {
  const suite = useTestApp();
  let studyId: string;

  beforeAll(async () => {
    const { t } = suite;
    const host = (await t.app.inject({ method: 'POST', url: '/v1/admin/members', headers: t.auth, payload: { email: 'maya@acme.test', name: 'Maya', timeZone: 'America/New_York' } })).json();
    const study = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/studies',
      headers: t.auth,
      payload: { name: 'Onboarding', status: 'live', intercept: { title: 'Got 20 minutes?', body: 'Tell us.' }, hostIds: [host.id], weeklyQuota: 2 },
    });
    studyId = study.json().id;
  });

  const configUrl = () => `/v1/w/${suite.t.workspace.publicKey}/config`;

  it('serves live studies with CORS for an allowed origin, ETag and Cache-Control', async () => {
    const { t } = suite;
    const response = await t.app.inject({ url: configUrl(), headers: { origin: TEST_ORIGIN } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(TEST_ORIGIN);
    expect(response.headers['cache-control']).toMatch(/max-age=\d+/);
    const body = response.json();
    expect(body.workspace).toEqual({ recontactDays: 30, identityVerificationRequired: false, privacyUrl: null, locale: 'en', theme: {} });
    expect(body.studies).toHaveLength(1);
    expect(body.studies[0]).toMatchObject({ id: studyId, intercept: { title: 'Got 20 minutes?' }, durationMinutes: 20, samplingPercent: 100 });
    // Its host has no working hours yet: nobody may be invited to an empty calendar.
    expect(body.studies[0].bookable).toBe(false);

    const again = await t.app.inject({ url: configUrl(), headers: { origin: TEST_ORIGIN, 'if-none-match': response.headers.etag as string } });
    expect(again.statusCode).toBe(304);
  });

  it('marks a study bookable when a host has free time in its window', async () => {
    const { t } = suite;
    const host = await createHost(t, { name: 'Free', timeZone: 'Europe/Berlin', weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })) });
    const open = await createLiveStudy(t, [host]);
    const studies = (await t.app.inject({ url: configUrl(), headers: { origin: TEST_ORIGIN } })).json().studies as { id: string; bookable: boolean }[];
    expect(studies.find((study) => study.id === open.id)?.bookable).toBe(true);
    expect(studies.find((study) => study.id === studyId)?.bookable).toBe(false);
  });

  it('answers a CORS preflight from an allowed origin and not from others', async () => {
    const { t } = suite;
    const preflight = (origin: string) =>
      t.app.inject({ method: 'OPTIONS', url: `/v1/w/${t.workspace.publicKey}/events`, headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const allowed = await preflight(TEST_ORIGIN);
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(TEST_ORIGIN);
    const denied = await preflight('https://evil.test');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('records a batch of events and remembers identified users who were shown or opted out', async () => {
    const { t, database } = suite;
    const at = '2026-03-02T10:00:00Z';
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/w/${t.workspace.publicKey}/events`,
      headers: { origin: TEST_ORIGIN },
      payload: {
        events: [
          { studyId, kind: 'shown', at, anonymousId: 'anon-1', userId: 'user-42', url: 'https://app.acme.test/dashboard' },
          { studyId, kind: 'opted_out', at, anonymousId: 'anon-1', userId: 'user-42' },
          { studyId, kind: 'shown', at, anonymousId: 'anon-2' },
        ],
      },
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 3 });
    const stored = await database.db.select().from(interceptEvents).where(eq(interceptEvents.studyId, studyId));
    expect(stored.map((event) => event.kind).sort()).toEqual(['opted_out', 'shown', 'shown']);
    const [participant] = await database.db.select().from(participants).where(eq(participants.userId, 'user-42'));
    expect(participant?.optedOutAt).toBeInstanceOf(Date);
    expect(participant?.lastShownAt).toBeInstanceOf(Date);
  });

  it('rate-limits public routes per IP with a clear 429', async () => {
    const { database } = suite;
    const limited = await buildTestApp(database, { publicRateLimit: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.app.inject({ url: `/v1/w/${limited.workspace.publicKey}/config`, remoteAddress: '10.9.8.7' })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const other = await limited.app.inject({ url: `/v1/w/${limited.workspace.publicKey}/config`, remoteAddress: '10.9.8.8' });
      expect(other.statusCode).toBe(200);
      const last = await limited.app.inject({ url: `/v1/w/${limited.workspace.publicKey}/config`, remoteAddress: '10.9.8.7' });
      expect(last.json().error.code).toBe('rate_limited');
    } finally {
      await limited.app.close();
    }
  });
});
