// Every class of client mistake gets a 4xx naming the problem; nothing already accepted is lost;
// an unexpected failure is a 500 that says nothing about internals.
import { beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, primaryKind } from '../support/database.js';
import { buildTestApp, TEST_ORIGIN, useTestApp } from '../support/app.js';

const ZERO_UUID = '00000000-0000-4000-8000-000000000000';

describe(`bad input on ${primaryKind}`, () => {
  const suite = useTestApp();
  let memberId: string;
  let studyId: string;

  beforeAll(async () => {
    const { t } = suite;
    const member = await t.app.inject({ method: 'POST', url: '/v1/admin/members', headers: t.auth, payload: { email: 'maya@acme.test', name: 'Maya', timeZone: 'America/New_York' } });
    memberId = member.json().id;
    const study = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/studies',
      headers: t.auth,
      payload: { name: 'Onboarding', intercept: { title: 'Got 20 minutes?', body: 'Tell us.' }, hostIds: [memberId] },
    });
    studyId = study.json().id;
  });

  const admin = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    suite.t.app.inject({ method, url: `/v1/admin${url}`, headers: { ...suite.t.auth, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });

  it.each([
    ['a wrong type', { name: 42, intercept: { title: 't', body: 'b' }, hostIds: [] }, 'name', /must be string/],
    ['a missing field', { name: 'X', hostIds: [ZERO_UUID] }, 'intercept', /intercept is required/],
    ['a nested missing field', { name: 'X', intercept: { title: 't' }, hostIds: [ZERO_UUID] }, 'intercept.body', /intercept\.body is required/],
    ['an unknown field', { name: 'X', intercept: { title: 't', body: 'b' }, hostIds: [ZERO_UUID], colour: 'red' }, 'colour', /not a known field/],
    ['a number as a string', { name: 'X', intercept: { title: 't', body: 'b' }, hostIds: [ZERO_UUID], durationMinutes: '20' }, 'durationMinutes', /must be integer/],
    ['an out-of-range number', { name: 'X', intercept: { title: 't', body: 'b' }, hostIds: [ZERO_UUID], samplingPercent: 101 }, 'samplingPercent', /<= 100/],
    ['an unknown rule operator', { name: 'X', intercept: { title: 't', body: 'b' }, hostIds: [ZERO_UUID], targeting: { trait: 'plan', op: 'resembles', value: 'pro' } }, 'targeting.op', /targeting.op does not match any of the allowed forms/],
    ['a malformed trigger', { name: 'X', intercept: { title: 't', body: 'b' }, hostIds: [ZERO_UUID], triggers: [{ kind: 'delay', seconds: 'soon' }] }, 'triggers.0', /triggers.0 does not match any of the allowed forms/],
    ['a malformed id', { name: 'X', intercept: { title: 't', body: 'b' }, hostIds: ['nope'] }, 'hostIds.0', /valid uuid/],
  ])('400 for %s, naming the field', async (_label, payload, field, message) => {
    const response = await admin('POST', '/studies', payload);
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error).toMatchObject({ code: 'invalid_request', field });
    expect(body.error.message).toMatch(message);
  });

  it('400 for an unknown IANA time zone', async () => {
    const response = await admin('POST', '/members', { email: 'x@acme.test', name: 'X', timeZone: 'Mars/Olympus_Mons' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ field: 'timeZone', message: 'timeZone must be a valid time zone' });
  });

  it('400 for a malformed path parameter and a malformed query', async () => {
    const response = await admin('GET', '/studies/not-a-uuid');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'invalid_request', field: 'id' });
  });

  it('404 for an unknown study, 422 for an unknown host or an unknown study in an event batch', async () => {
    const { t } = suite;
    const missing = await admin('GET', `/studies/${ZERO_UUID}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('study_not_found');

    const unknownHost = await admin('POST', '/studies', { name: 'X', intercept: { title: 't', body: 'b' }, hostIds: [memberId, ZERO_UUID] });
    expect(unknownHost.statusCode).toBe(422);
    expect(unknownHost.json().error).toMatchObject({ code: 'member_not_found', field: 'hostIds.1' });

    const event = { studyId, kind: 'shown', at: '2026-03-02T10:00:00Z', anonymousId: 'anon-1' };
    const batch = await t.app.inject({
      method: 'POST',
      url: `/v1/w/${t.workspace.publicKey}/events`,
      headers: { origin: TEST_ORIGIN },
      payload: { events: [event, { ...event, studyId: ZERO_UUID }] },
    });
    expect(batch.statusCode).toBe(422);
    expect(batch.json().error).toMatchObject({ code: 'study_not_found', field: 'events.1.studyId' });
  });

  it('400 for malformed JSON, 415 for a non-JSON body, 413 for an oversized body', async () => {
    const { t } = suite;
    const malformed = await t.app.inject({ method: 'POST', url: '/v1/admin/members', headers: { ...t.auth, 'content-type': 'application/json' }, payload: '{"email": ' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('malformed_json');

    const text = await t.app.inject({ method: 'POST', url: '/v1/admin/members', headers: { ...t.auth, 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('unsupported_media_type');

    const huge = await admin('PATCH', `/studies/${studyId}`, { interviewGuide: 'x'.repeat(t.config.bodyLimitBytes + 1) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('body_too_large');
  });

  it('422 for intervals that run backwards, and the earlier availability is kept', async () => {
    const good = { timeZone: 'America/New_York', weekly: [{ weekday: 1, start: '09:00', end: '17:00' }], overrides: [], bufferBeforeMinutes: 0, bufferAfterMinutes: 10, minimumNoticeMinutes: 60, bookingWindowDays: 14, maxPerDay: null, maxPerWeek: null };
    expect((await admin('PUT', `/members/${memberId}/availability`, good)).statusCode).toBe(200);
    const backwards = await admin('PUT', `/members/${memberId}/availability`, { ...good, weekly: [...good.weekly, { weekday: 2, start: '17:00', end: '09:00' }] });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().error).toMatchObject({ code: 'invalid_availability', field: 'weekly.1.end', message: 'End must be after start' });
    const kept = await admin('GET', `/members/${memberId}/availability`);
    expect(kept.json().weekly).toEqual(good.weekly);
  });

  it('409 for a duplicate email, and the first member is unchanged', async () => {
    const duplicate = await admin('POST', '/members', { email: 'MAYA@acme.test', name: 'Other', timeZone: 'Europe/Berlin' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('email_taken');
    const list = await admin('GET', '/members');
    expect(list.json().members.map((m: { name: string }) => m.name)).toEqual(['Maya']);
  });

  it('401 without a key or with a wrong one, 404 for an unknown route', async () => {
    const { t } = suite;
    const none = await t.app.inject({ url: '/v1/admin/studies' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('unauthenticated');
    const wrong = await t.app.inject({ url: '/v1/admin/studies', headers: { authorization: 'Bearer sk_wrong' } });
    expect(wrong.statusCode).toBe(401);
    const route = await t.app.inject({ url: '/v1/nothing-here' });
    expect(route.statusCode).toBe(404);
    expect(route.json().error.code).toBe('route_not_found');
  });

  it('404 for an unknown public key, 403 for an origin the workspace does not allow', async () => {
    const { t } = suite;
    const unknown = await t.app.inject({ url: '/v1/w/pk_doesnotexist123/config' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('workspace_not_found');
    const foreign = await t.app.inject({ url: `/v1/w/${t.workspace.publicKey}/config`, headers: { origin: 'https://evil.test' } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('origin_not_allowed');
  });

  describe('input PostgreSQL or the scheduler could not take stops at the edge with a 400 naming the field', () => {
    const study = (extra: Record<string, unknown>) => ({ name: 'X', intercept: { title: 't', body: 'b' }, hostIds: [memberId], ...extra });
    const nested = (depth: number) => `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;

    it.each([
      ['a NUL character in a text field', () => admin('POST', '/studies', study({ name: 'a\u0000b' })), 'name', 'invalid_text'],
      ['a NUL character in a key', () => admin('POST', '/studies', study({ traitsOfNobody: undefined, targeting: { 'pl\u0000an': 'exists' } })), 'targeting', 'invalid_text'],
      ['a lone UTF-16 surrogate bound for jsonb', () => admin('POST', '/studies', study({ intercept: { title: 't', body: 'b\uD800' } })), 'intercept.body', 'invalid_text'],
      ['JSON nested deeper than any body needs', () => suite.t.app.inject({ method: 'POST', url: '/v1/admin/studies', headers: { ...suite.t.auth, 'content-type': 'application/json' }, payload: `{"name":"X","intercept":{"title":"t","body":"b"},"hostIds":["${memberId}"],"interviewGuide":${nested(5000)}}` }), `interviewGuide${'.0'.repeat(31)}`, 'too_deep'],
      ['a number JSON turns into Infinity', () => suite.t.app.inject({ method: 'POST', url: '/v1/admin/studies', headers: { ...suite.t.auth, 'content-type': 'application/json' }, payload: `{"name":"X","intercept":{"title":"t","body":"b"},"hostIds":["${memberId}"],"durationMinutes":1e309}` }), 'durationMinutes', 'invalid_number'],
      ['a slot step that does not divide a day', () => admin('POST', '/studies', study({ slotStepMinutes: 7 })), 'slotStepMinutes', 'invalid_request'],
      ['a daily cap beyond any column', () => admin('PUT', `/members/${memberId}/availability`, { timeZone: 'UTC', weekly: [], overrides: [], bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minimumNoticeMinutes: 0, bookingWindowDays: 30, maxPerDay: 2 ** 40 }), 'maxPerDay', 'invalid_request'],
      ['a date before 1970', () => suite.t.app.inject({ url: `/v1/w/${suite.t.workspace.publicKey}/studies/${studyId}/slots?tz=UTC&from=0000-01-01T00:00:00Z`, headers: { origin: TEST_ORIGIN } }), 'from', 'invalid_request'],
      ['a date that does not exist', () => suite.t.app.inject({ url: `/v1/w/${suite.t.workspace.publicKey}/studies/${studyId}/slots?tz=UTC&from=2026-02-31T00:00:00Z`, headers: { origin: TEST_ORIGIN } }), 'from', 'invalid_request'],
      ['a NUL character in a query string', () => suite.t.app.inject({ url: `/v1/w/${suite.t.workspace.publicKey}/studies/${studyId}/slots?tz=UTC%00`, headers: { origin: TEST_ORIGIN } }), 'tz', 'invalid_text'],
      ['an id beyond any integer column', () => suite.t.app.inject({ url: '/dev/outbox/1e309' }), 'id', 'invalid_request'],
      ['a javascript: link as the privacy notice', () => admin('PATCH', '/workspace', { privacyUrl: 'javascript:alert(1)' }), 'privacyUrl', 'invalid_request'],
      ['a plain-http privacy notice on another host', () => admin('PATCH', '/workspace', { privacyUrl: 'http://example.com/privacy' }), 'privacyUrl', 'invalid_request'],
      ['a data: URL as the video link', () => admin('PATCH', `/studies/${studyId}`, { meetingLocation: { kind: 'video_url', details: 'data:text/html,<script>alert(1)</script>' } }), 'meetingLocation.details', 'invalid_request'],
    ])('%s', async (_label, send, field, code) => {
      const response = await send();
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error).toMatchObject({ code, field });
    });

    it('takes https links, and http to localhost for development', async () => {
      expect((await admin('PATCH', '/workspace', { privacyUrl: 'https://acme.test/privacy' })).statusCode).toBe(200);
      expect((await admin('PATCH', '/workspace', { privacyUrl: 'http://localhost:3000/privacy' })).statusCode).toBe(200);
      expect((await admin('PATCH', `/studies/${studyId}`, { meetingLocation: { kind: 'video_url', details: 'https://meet.acme.test/research' } })).statusCode).toBe(200);
    });

    it('refuses a targeting rule nested deeper than the widget evaluates, and keeps the study as it was', async () => {
      let rule: Record<string, unknown> = { trait: 'plan', op: 'exists' };
      for (let i = 0; i < 9; i++) rule = { not: rule };
      const response = await admin('PATCH', `/studies/${studyId}`, { targeting: rule });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'rule_too_deep', field: 'targeting' });
      expect((await admin('GET', `/studies/${studyId}`)).json().targeting).toBeNull();
    });

    it('still takes a booking form from the no-JavaScript page with a NUL in it as a 400, and an ordinary one', async () => {
      const slug = (await admin('GET', `/studies/${studyId}`)).json().slug as string;
      const response = await suite.t.app.inject({ method: 'POST', url: `/b/${slug}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=Ada%00&email=ada%40example.com&consent=yes' });
      expect(response.statusCode).toBe(400);
    });
  });

  it('answers an unexpected failure with a 500 that leaks nothing', async () => {
    const broken = await openTestDatabase();
    const other = await buildTestApp(broken);
    await broken.close(); // The database disappears under a running app.
    try {
      const response = await other.app.inject({ url: '/v1/admin/studies', headers: other.auth });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ error: { code: 'internal', message: expect.any(String) } });
      expect(response.body).not.toMatch(/pglite|postgres|pool|select|stack|at \w+ \(/i);
    } finally {
      await other.app.close();
    }
  });
});
