import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { identityMessage } from '@beckon/shared/identity';
import { participants } from '../../src/db/schema.js';
import { primaryKind } from '../support/database.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';

describe(`workspace settings and identity verification on ${primaryKind}`, () => {
  const suite = useTestApp();

  const admin = (method: 'GET' | 'PATCH' | 'POST', url: string, payload?: object) => suite.t.app.inject({ method, url: `/v1/admin${url}`, headers: suite.t.auth, ...(payload ? { payload } : {}) });

  it('changes allowed origins, and the widget routes follow at once', async () => {
    const { t } = suite;
    const config = () => t.app.inject({ url: `/v1/w/${t.workspace.publicKey}/config`, headers: { origin: 'https://shop.acme.test' } });
    expect((await config()).statusCode).toBe(403);
    const patched = await admin('PATCH', '/workspace', { allowedOrigins: [TEST_ORIGIN, 'https://shop.acme.test'] });
    expect(patched.json()).toMatchObject({ publicKey: t.workspace.publicKey, allowedOrigins: [TEST_ORIGIN, 'https://shop.acme.test'] });
    expect((await config()).statusCode).toBe(200);
    const bad = await admin('PATCH', '/workspace', { allowedOrigins: ['https://shop.acme.test/path'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('allowedOrigins.0');
  });

  it('refuses unsigned or wrongly signed bookings when identity verification is on, and accepts signed ones', async () => {
    const { t } = suite;
    const host = await createHost(t, { name: 'Verify', timeZone: 'Europe/Berlin' });
    const study = await createLiveStudy(t, [host], { targeting: { trait: 'plan', op: 'equals', value: 'enterprise' } });
    await admin('PATCH', '/workspace', { requireIdentityVerification: true });
    const secret = (await admin('GET', '/workspace/identity-secret')).json().identitySecret as string;
    expect(secret).toMatch(/^whsec_/);
    const sign = (key: string, userId: string, traits: Record<string, unknown>) => createHmac('sha256', key).update(identityMessage(userId, traits)).digest('hex');
    const start = instantOf(upcomingDate('Europe/Berlin', 2), '10:00', 'Europe/Berlin');
    const book = (who: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/v1/w/${t.workspace.publicKey}/studies/${study.id}/bookings`, headers: { origin: TEST_ORIGIN }, payload: { start, consent: true, participant: participant(who) } });

    const unsigned = await book({ userId: 'u-1', traits: { plan: 'enterprise' } });
    expect(unsigned.statusCode).toBe(422);
    expect(unsigned.json().error).toMatchObject({ code: 'identity_not_verified', field: 'participant.signature' });
    // Signed as a free user, then the traits edited in the browser: the signature no longer fits.
    const forged = await book({ userId: 'u-1', traits: { plan: 'enterprise' }, signature: sign(secret, 'u-1', { plan: 'free' }) });
    expect(forged.json().error.code).toBe('identity_not_verified');

    const rotated = (await admin('POST', '/workspace/identity-secret/rotate')).json().identitySecret as string;
    const stale = await book({ userId: 'u-1', traits: { plan: 'enterprise' }, signature: sign(secret, 'u-1', { plan: 'enterprise' }) });
    expect(stale.json().error.code).toBe('identity_not_verified');
    const good = await book({ userId: 'u-1', traits: { plan: 'enterprise' }, signature: sign(rotated, 'u-1', { plan: 'enterprise' }) });
    expect(good.statusCode).toBe(201);
  });

  it('with verification on, believes events about a user only when signed, and still books people known by email alone', async () => {
    const { t, database } = suite;
    const host = await createHost(t, { name: 'Events', timeZone: 'Europe/Berlin' });
    const study = await createLiveStudy(t, [host], { targeting: { trait: 'plan', op: 'equals', value: 'enterprise' } });
    await admin('PATCH', '/workspace', { requireIdentityVerification: true });
    const secret = (await admin('GET', '/workspace/identity-secret')).json().identitySecret as string;
    const sign = (userId: string, traits: Record<string, unknown>) => createHmac('sha256', secret).update(identityMessage(userId, traits)).digest('hex');
    const send = (event: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/v1/w/${t.workspace.publicKey}/events`, headers: { origin: TEST_ORIGIN }, payload: { events: [{ studyId: study.id, at: new Date().toISOString(), anonymousId: 'anon-1', ...event }] } });
    const optedOut = async (userId: string) => (await database.db.select().from(participants).where(eq(participants.userId, userId)))[0]?.optedOutAt ?? null;

    // Anyone could otherwise silence every study for someone else.
    const forged = await send({ kind: 'opted_out', userId: 'victim' });
    expect(forged.statusCode).toBe(422);
    expect(forged.json().error).toMatchObject({ code: 'identity_not_verified', field: 'events.0.signature' });
    const wrong = await send({ kind: 'opted_out', userId: 'victim', traits: { plan: 'free' }, signature: sign('victim', { plan: 'enterprise' }) });
    expect(wrong.statusCode).toBe(422);
    expect(await optedOut('victim')).toBeNull();

    expect((await send({ kind: 'opted_out', userId: 'victim', traits: { plan: 'free' }, signature: sign('victim', { plan: 'free' }) })).statusCode).toBe(202);
    expect(await optedOut('victim')).not.toBeNull();
    expect((await send({ kind: 'shown' })).statusCode).toBe(202); // an anonymous visitor speaks for nobody

    // The hosted link carries no widget identity: the person books, known by their email.
    const start = instantOf(upcomingDate('Europe/Berlin', 3), '11:00', 'Europe/Berlin');
    const linked = await t.app.inject({ method: 'POST', url: `/v1/w/${t.workspace.publicKey}/studies/${study.id}/bookings`, headers: { origin: TEST_ORIGIN }, payload: { start, consent: true, source: 'sales', participant: participant({ email: 'linked@example.com' }) } });
    expect(linked.statusCode, linked.body).toBe(201);
    // Unsigned traits claimed without a user id grant nothing through the widget.
    const claimed = await t.app.inject({ method: 'POST', url: `/v1/w/${t.workspace.publicKey}/studies/${study.id}/bookings`, headers: { origin: TEST_ORIGIN }, payload: { start: instantOf(upcomingDate('Europe/Berlin', 3), '12:00', 'Europe/Berlin'), consent: true, participant: participant({ email: 'claims@example.com', traits: { plan: 'enterprise' } }) } });
    expect(claimed.json().error?.code).toBe('not_eligible');
  });
});
