// Many participants racing for overlapping slots on the real PostgreSQL server: whatever the
// interleaving, no host ends up with overlapping confirmed bookings, and every loser gets a 409.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { primaryKind } from '../support/database.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost, createLiveStudy, instantOf, participant, upcomingDate } from '../support/studies.js';

describe.skipIf(primaryKind !== 'postgres')('booking race on the PostgreSQL server', () => {
  const suite = useTestApp({ kind: 'postgres' });

  it('gives 60 concurrent requests for overlapping slots of two hosts only non-overlapping winners', async () => {
    const { t, database } = suite;
    const date = upcomingDate('Europe/Berlin', 2);
    const window = [{ date, intervals: [{ start: '10:00', end: '11:00' }] }];
    const hosts = [await createHost(t, { name: 'Ada', timeZone: 'Europe/Berlin', weekly: [], overrides: window }), await createHost(t, { name: 'Bea', timeZone: 'Europe/Berlin', weekly: [], overrides: window })];
    const study = await createLiveStudy(t, hosts);
    const starts = ['10:00', '10:15', '10:30'].map((time) => instantOf(date, time, 'Europe/Berlin'));
    const requests = Array.from({ length: 60 }, (_, i) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/w/${t.workspace.publicKey}/studies/${study.id}/bookings`,
        headers: { origin: TEST_ORIGIN },
        payload: { start: starts[i % 3], participant: participant(), consent: true },
      }),
    );
    const responses = await Promise.all(requests);
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const winners = statuses.filter((status) => status === 201).length;
    // 20-minute interviews with a 10-minute buffer: each host fits at most 10:00 and 10:30.
    expect(winners).toBeGreaterThanOrEqual(2);
    expect(winners).toBeLessThanOrEqual(4);

    const overlaps = await database.db.execute(sql`
      select a.id, b.id from bookings a join bookings b
        on a.host_id = b.host_id and a.id < b.id
       and tstzrange(a.blocked_from, a.blocked_until) && tstzrange(b.blocked_from, b.blocked_until)
      where a.status = 'confirmed' and b.status = 'confirmed'`);
    expect((overlaps as unknown as { rows: unknown[] }).rows).toEqual([]);
    const [{ confirmed }] = (await database.db.execute(sql`select count(*)::int as confirmed from bookings where status = 'confirmed' and study_id = ${study.id}`) as unknown as { rows: [{ confirmed: number }] }).rows;
    expect(confirmed).toBe(winners);
  });

  it('gives exactly one winner among 30 concurrent requests for the last free slot', async () => {
    const { t } = suite;
    const date = upcomingDate('Europe/Berlin', 3);
    const host = await createHost(t, { name: 'Solo', timeZone: 'Europe/Berlin', weekly: [], overrides: [{ date, intervals: [{ start: '09:00', end: '09:20' }] }] });
    const study = await createLiveStudy(t, [host]);
    const start = instantOf(date, '09:00', 'Europe/Berlin');
    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        t.app.inject({ method: 'POST', url: `/v1/w/${t.workspace.publicKey}/studies/${study.id}/bookings`, headers: { origin: TEST_ORIGIN }, payload: { start, participant: participant(), consent: true } }),
      ),
    );
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.statusCode === 409)).toHaveLength(29);
  });
});
