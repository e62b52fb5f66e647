import { describe, expect, it } from 'vitest';
import { primaryKind } from '../support/database.js';
import { buildTestApp, useTestApp } from '../support/app.js';

describe(`admin API on ${primaryKind}`, () => {
  const suite = useTestApp();

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    suite.t.app.inject({ method, url: `/v1/admin${url}`, headers: suite.t.auth, ...(payload ? { payload } : {}) });

  it('creates, reads, changes and deletes a study with its team', async () => {
    const maya = (await call('POST', '/members', { email: 'Maya@Acme.test', name: 'Maya', timeZone: 'America/New_York' })).json();
    expect(maya).toMatchObject({ email: 'maya@acme.test', role: 'interviewer', active: true });
    const priya = (await call('POST', '/members', { email: 'priya@acme.test', name: 'Priya', timeZone: 'Europe/London', role: 'pm' })).json();

    const created = await call('POST', '/studies', {
      name: 'Why people churn',
      intercept: { title: 'Got 20 minutes to talk to us?', body: 'We would love to hear why you left.' },
      incentive: { kind: 'gift_card', amountCents: 5000, currency: 'USD', description: 'a $50 gift card' },
      hostIds: [maya.id],
      observerIds: [priya.id],
      weeklyQuota: 3,
    });
    expect(created.statusCode).toBe(201);
    const study = created.json();
    expect(study).toMatchObject({
      name: 'Why people churn',
      status: 'draft',
      durationMinutes: 20,
      samplingPercent: 100,
      assignmentMode: 'round_robin',
      hostIds: [maya.id],
      observerIds: [priya.id],
      weeklyQuota: 3,
      totalQuota: null,
    });
    expect(study.slug).toMatch(/^why-people-churn-[0-9a-f]{6}$/);
    expect(study.bookingUrl).toBe(`http://beckon.test/b/${study.slug}`);

    const patched = await call('PATCH', `/studies/${study.id}`, { status: 'live', priority: 5, observerIds: [] });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ status: 'live', priority: 5, hostIds: [maya.id], observerIds: [] });

    const list = (await call('GET', '/studies')).json();
    expect(list.studies.map((s: { id: string }) => s.id)).toEqual([study.id]);

    expect((await call('DELETE', `/studies/${study.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/studies/${study.id}`)).statusCode).toBe(404);
  });

  it('refuses a slug another study has', async () => {
    const host = (await call('POST', '/members', { email: 'jonas@acme.test', name: 'Jonas', timeZone: 'Europe/Berlin' })).json();
    const base = { name: 'A', intercept: { title: 't', body: 'b' }, hostIds: [host.id], slug: 'taken-slug' };
    expect((await call('POST', '/studies', base)).statusCode).toBe(201);
    const again = await call('POST', '/studies', base);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('slug_taken');
  });

  it('stores and returns availability in the member zone, with 24:00 and a day off', async () => {
    const member = (await call('POST', '/members', { email: 'kai@acme.test', name: 'Kai', timeZone: 'Asia/Kathmandu' })).json();
    const availability = {
      timeZone: 'Asia/Kathmandu',
      weekly: [
        { weekday: 1, start: '09:00', end: '12:00' },
        { weekday: 1, start: '13:00', end: '17:30' },
        { weekday: 5, start: '20:00', end: '24:00' },
      ],
      overrides: [{ date: '2026-03-02', intervals: [] }],
      bufferBeforeMinutes: 5,
      bufferAfterMinutes: 10,
      minimumNoticeMinutes: 120,
      bookingWindowDays: 30,
      maxPerDay: 2,
      maxPerWeek: 6,
    };
    const put = await call('PUT', `/members/${member.id}/availability`, availability);
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual(availability);
    expect((await call('GET', `/members/${member.id}/availability`)).json()).toEqual(availability);
  });

  it('keeps workspaces apart: another workspace cannot see or change this one', async () => {
    const { database } = suite;
    const other = await buildTestApp(database);
    try {
      const mine = (await call('GET', '/studies')).json().studies as { id: string }[];
      expect(mine.length).toBeGreaterThan(0);
      const theirs = await other.app.inject({ url: `/v1/admin/studies/${mine[0]!.id}`, headers: other.auth });
      expect(theirs.statusCode).toBe(404);
    } finally {
      await other.app.close();
    }
  });

  it('documents every route in the OpenAPI document at /docs', async () => {
    const { t } = suite;
    const document = (await t.app.inject({ url: '/docs/json' })).json();
    expect(document.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/admin/studies',
      '/v1/admin/studies/{id}',
      '/v1/admin/members/{id}/availability',
      '/v1/admin/members/{id}/calendars/{connectionId}',
      '/v1/admin/members/{id}/calendars/{connectionId}/choices',
      '/v1/admin/incentives',
      '/v1/admin/incentives/{id}/send',
      '/v1/admin/participants/erase',
      '/v1/w/{publicKey}/config',
      '/v1/w/{publicKey}/events',
      '/readyz',
    ]) {
      expect(document.paths, path).toHaveProperty([path]);
    }
    // Every operation says what it does.
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, { summary?: string }>>)) {
      for (const [method, operation] of Object.entries(operations)) expect(operation.summary, `${method.toUpperCase()} ${path}`).toBeTruthy();
    }
    expect((await t.app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
  });
});
