// One study whose saved settings the scheduler cannot use (saved before today's limits, or
// changed in the database) is left out; the workspace's other studies and pages go on.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { studies } from '../../src/db/schema.js';
import { primaryKind } from '../support/database.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost, createLiveStudy } from '../support/studies.js';

describe(`a study the scheduler cannot use, on ${primaryKind}`, () => {
  const suite = useTestApp();
  let broken: { id: string; slug: string };
  let healthy: { id: string; slug: string };

  beforeAll(async () => {
    const host = await createHost(suite.t, { name: 'Maya', timeZone: 'America/New_York' });
    healthy = await createLiveStudy(suite.t, [host], { name: 'Healthy', priority: 1 });
    broken = await createLiveStudy(suite.t, [host], { name: 'Broken', priority: 2 });
    // A step of 7 minutes does not divide a day: the API refuses it today, older data may hold it.
    await suite.database.db.update(studies).set({ slotStepMinutes: 7 }).where(eq(studies.id, broken.id));
  });

  const widget = (path: string) => suite.t.app.inject({ url: `/v1/w/${suite.t.workspace.publicKey}${path}`, headers: { origin: TEST_ORIGIN } });

  it('keeps serving the config, with the broken study not bookable and the other one bookable', async () => {
    const response = await widget('/config');
    expect(response.statusCode).toBe(200);
    const byId = new Map(response.json().studies.map((study: { id: string; bookable: boolean }) => [study.id, study.bookable]));
    expect(byId.get(broken.id)).toBe(false);
    expect(byId.get(healthy.id)).toBe(true);
  });

  it('answers the broken study’s slots with no slot and the reason, and the other study’s with slots', async () => {
    const brokenSlots = await widget(`/studies/${broken.id}/slots?tz=UTC`);
    expect(brokenSlots.statusCode).toBe(200);
    expect(brokenSlots.json()).toMatchObject({ slots: [], unavailableReason: 'study_misconfigured' });
    const healthySlots = await widget(`/studies/${healthy.id}/slots?tz=UTC`);
    expect(healthySlots.statusCode).toBe(200);
    expect(healthySlots.json().slots.length).toBeGreaterThan(0);
  });

  it('serves both hosted pages', async () => {
    expect((await suite.t.app.inject({ url: `/b/${broken.slug}?tz=UTC` })).statusCode).toBe(200);
    expect((await suite.t.app.inject({ url: `/b/${healthy.slug}?tz=UTC` })).statusCode).toBe(200);
  });

  it('tells the team why in the admin API', async () => {
    const response = await suite.t.app.inject({ url: `/v1/admin/studies/${broken.id}`, headers: suite.t.auth });
    expect(response.statusCode).toBe(200);
    expect(response.json().problem).toMatch(/slot step must divide a day.*not 7/);
    expect((await suite.t.app.inject({ url: `/v1/admin/studies/${healthy.id}`, headers: suite.t.auth })).json().problem).toBeNull();
  });
});
