// Settings shows where the snippet runs: the config route notes each request's origin, allowed or
// refused, at most once a minute per origin, and the admin API reads it back.
import { describe, expect, it } from 'vitest';
import { OriginSightings } from '../../src/services/origins.js';
import { primaryKind } from '../support/database.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';

describe(`origins seen by the config route (${primaryKind})`, () => {
  const suite = useTestApp();

  it('records allowed and refused origins for Settings, cheaply', async () => {
    const { t } = suite;
    const config = (origin: string) => t.app.inject({ url: `/v1/w/${t.workspace.publicKey}/config`, headers: { origin } });
    expect((await config(TEST_ORIGIN)).statusCode).toBe(200);
    expect((await config('https://staging.acme.test')).statusCode).toBe(403);
    await expect.poll(async () => Object.keys((await t.app.inject({ url: '/v1/admin/workspace', headers: t.auth })).json().originsSeen).sort()).toEqual([TEST_ORIGIN, 'https://staging.acme.test']);
    const seen = (await t.app.inject({ url: '/v1/admin/workspace', headers: t.auth })).json().originsSeen as Record<string, string>;
    expect(Date.now() - Date.parse(seen[TEST_ORIGIN]!)).toBeLessThan(60_000);

    // At most one write a minute per origin; nonsense is not an origin and is never written.
    const sightings = new OriginSightings(suite.database.db);
    const at = new Date('2026-03-29T08:00:00Z');
    expect(sightings.note(t.workspace.workspaceId, 'https://a.acme.test', at)).toBeInstanceOf(Promise);
    expect(sightings.note(t.workspace.workspaceId, 'https://a.acme.test', new Date(at.getTime() + 59_000))).toBeUndefined();
    expect(sightings.note(t.workspace.workspaceId, 'https://a.acme.test', new Date(at.getTime() + 61_000))).toBeInstanceOf(Promise);
    expect(sightings.note(t.workspace.workspaceId, 'javascript:alert(1)', at)).toBeUndefined();
    expect(sightings.note(t.workspace.workspaceId, undefined, at)).toBeUndefined();
  });
});
