// Logs never carry the personal data or secrets that pass through requests.
import { describe, expect, it } from 'vitest';
import { safeUrl } from '../src/logging.js';
import { TEST_ORIGIN, useTestApp } from './support/app.js';

describe('logs', () => {
  const suite = useTestApp({ overrides: { logLevel: 'trace' } });

  it('hold no emails, names, user ids, tokens or keys from requests, even at trace level', async () => {
    const { t } = suite;
    const secrets = ['grace.hopper@navy.test', 'Grace Hopper', 'user-secret-77', 'tok_abcdefghijklmnop', t.workspace.secretKey];
    const member = await t.app.inject({ method: 'POST', url: '/v1/admin/members', headers: t.auth, payload: { email: secrets[0], name: secrets[1], timeZone: 'America/New_York' } });
    expect(member.statusCode).toBe(201);
    await t.app.inject({ method: 'POST', url: '/v1/admin/members', headers: t.auth, payload: { email: secrets[0], name: secrets[1], timeZone: 'America/New_York' } }); // 409
    await t.app.inject({ method: 'POST', url: '/v1/admin/members', headers: t.auth, payload: { email: secrets[0], name: 7, timeZone: 'nowhere' } }); // 400
    await t.app.inject({ method: 'POST', url: `/v1/w/${t.workspace.publicKey}/events?email=${secrets[0]}`, headers: { origin: TEST_ORIGIN }, payload: { events: [{ studyId: '00000000-0000-4000-8000-000000000000', kind: 'shown', at: '2026-01-01T00:00:00Z', anonymousId: 'a', userId: secrets[2] }] } });
    await t.app.inject({ url: `/v1/bookings/${secrets[3]}` });

    const logs = t.logs.join('\n');
    expect(t.logs.length).toBeGreaterThan(5); // the requests were logged…
    for (const secret of secrets) expect(logs).not.toContain(secret); // …without what they carried
    expect(logs).toContain('/v1/bookings/:redacted');
  });

  it('censor fields that may hold personal data at any depth, and keep errors whole', () => {
    const { t } = suite;
    const before = t.logs.length;
    t.app.log.warn({ job: { payload: { participant: { contact: { email: 'deep@acme.test', Name: 'Ada' } } }, count: 3 }, err: new Error('calendar down') }, 'a job failed');
    const line = t.logs.slice(before).join('\n');
    expect(line).not.toContain('deep@acme.test');
    expect(line).not.toContain('Ada');
    expect(line).toContain('[redacted]');
    expect(line).toContain('"count":3');
    expect(line).toContain('calendar down'); // the error kept its message and stack
    expect(line).toContain('"stack"');
  });

  it('strip query strings and secret path segments from URLs', () => {
    expect(safeUrl('/v1/bookings/abc123/cancel?x=1')).toBe('/v1/bookings/:redacted/cancel');
    expect(safeUrl('/v1/admin/studies?email=a@b.c')).toBe('/v1/admin/studies');
    // The intercept preview's token is its credential.
    expect(safeUrl('/preview/tok_en-123/v1/w/pk_abc/config?userId=u')).toBe('/preview/:redacted/v1/w/pk_abc/config');
  });
});
