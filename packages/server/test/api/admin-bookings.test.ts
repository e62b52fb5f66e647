import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookings, incentives, jobs } from '../../src/db/schema.js';
import { primaryKind } from '../support/database.js';
import { buildTestApp, TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';
import { payloadOf } from '../support/jobs.js';

describe(`admin bookings and funnel on ${primaryKind}`, () => {
  const suite = useTestApp();
  let study: { id: string };
  const ids: string[] = [];

  beforeAll(async () => {
    const { t } = suite;
    const host = await createHost(t, { name: 'Maya', timeZone: 'America/New_York' });
    study = await createLiveStudy(t, [host]);
    const date = upcomingDate('America/New_York', 2);
    for (const [time, source] of [['09:00', 'widget'], ['10:00', 'sales'], ['11:00', 'sales']] as const) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/v1/w/${t.workspace.publicKey}/studies/${study.id}/bookings`,
        headers: { origin: TEST_ORIGIN },
        payload: { start: instantOf(date, time, 'America/New_York'), participant: participant(), consent: true, source },
      });
      ids.push(response.json().booking.id);
    }
    const at = new Date().toISOString();
    const events = [
      ...['a', 'b', 'c', 'd', 'e'].map((id) => ({ studyId: study.id, kind: 'eligible', at, anonymousId: id })),
      ...['a', 'b', 'c', 'd'].map((id) => ({ studyId: study.id, kind: 'shown', at, anonymousId: id })),
      { studyId: study.id, kind: 'shown', at, anonymousId: 'a' }, // seen twice, counted once
      ...['a', 'b'].map((id) => ({ studyId: study.id, kind: 'opted_in', at, anonymousId: id })),
    ];
    await t.app.inject({ method: 'POST', url: `/v1/w/${t.workspace.publicKey}/events`, headers: { origin: TEST_ORIGIN }, payload: { events } });
  });

  it('lists bookings with their participants, for one study', async () => {
    const { t } = suite;
    const response = await t.app.inject({ url: `/v1/admin/bookings?studyId=${study.id}`, headers: t.auth });
    expect(response.statusCode).toBe(200);
    const list = response.json().bookings;
    expect(list.map((b: { id: string }) => b.id)).toEqual(ids);
    expect(list[0]).toMatchObject({ status: 'confirmed', source: 'widget', participant: { timeZone: 'Europe/Berlin' } });
    expect(list[0].participant.email).toMatch(/@example\.test$/);
  });

  it('cancels on the host side, voids the incentive and tells the participant', async () => {
    const { t, database } = suite;
    const response = await t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${ids[2]}/cancel`, headers: t.auth });
    expect(response.statusCode).toBe(200);
    expect(response.json().status).toBe('cancelled');
    const [row] = await database.db.select().from(bookings).where(eq(bookings.id, ids[2]!));
    expect(row!.cancelledBy).toBe('host');
    const [incentive] = await database.db.select().from(incentives).where(eq(incentives.bookingId, ids[2]!));
    expect(incentive!.status).toBe('void');
    const cancelMail = (await database.db.select().from(jobs)).filter((job) => job.kind === 'mail.cancelled' && payloadOf(job).bookingId === ids[2]);
    expect(cancelMail.map((job) => payloadOf(job).audience).sort()).toEqual(['host', 'participant']);
  });

  it('refuses to mark an outcome before the interview, and 404s another workspace’s booking', async () => {
    const { t, database } = suite;
    const early = await t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${ids[0]}/complete`, headers: t.auth });
    expect(early.statusCode).toBe(422);
    expect(early.json().error.code).toBe('interview_not_started');
    const other = await buildTestApp(database);
    try {
      const foreign = await other.app.inject({ method: 'POST', url: `/v1/admin/bookings/${ids[0]}/cancel`, headers: other.auth });
      expect(foreign.statusCode).toBe(404);
    } finally {
      await other.app.close();
    }
  });

  it('counts the funnel per step, people once each, and bookings by source', async () => {
    const { t, database } = suite;
    // The interview happened: move it into the past and mark it done.
    const now = Date.now(); // read once: blocked_from must not pass starts_at by a millisecond
    await database.db.update(bookings).set({ startsAt: new Date(now - 3600_000), endsAt: new Date(now - 2400_000), blockedFrom: new Date(now - 3600_000), blockedUntil: new Date(now - 1800_000) }).where(eq(bookings.id, ids[0]!));
    expect((await t.app.inject({ method: 'POST', url: `/v1/admin/bookings/${ids[0]}/complete`, headers: t.auth })).statusCode).toBe(200);
    const funnel = (await t.app.inject({ url: `/v1/admin/studies/${study.id}/funnel`, headers: t.auth })).json();
    expect(funnel.steps).toEqual([
      { step: 'eligible', count: 5 },
      { step: 'shown', count: 4 },
      { step: 'opted_in', count: 2 },
      { step: 'qualified', count: 3 },
      { step: 'booked', count: 3 },
      { step: 'attended', count: 1 },
    ]);
    expect(funnel.sources).toEqual([{ source: 'sales', count: 2 }, { source: 'widget', count: 1 }]);
  });
});
