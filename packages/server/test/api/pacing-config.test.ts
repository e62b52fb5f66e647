// The pacing controller's decision in the widget path: the configuration every visitor gets
// carries it (a study whose week is done is not offered; one being paced is sampled at the
// controller's probability, never above the PM's own percentage), so the decision stays on the
// server and the loader is unchanged.
import { describe, expect, it } from 'vitest';
import { weekFrame } from '@beckon/shared/pacing';
import { inSample } from '@beckon/shared/rules';
import type { WidgetConfig } from '@beckon/shared/api';
import { widgetConfig } from '../../src/services/studies.js';
import { workspaces } from '../../src/db/schema.js';
import { eq } from 'drizzle-orm';
import { primaryKind } from '../support/database.js';
import { TEST_ORIGIN, useTestApp } from '../support/app.js';
import { createHost, createLiveStudy } from '../support/studies.js';
import { insertBookings, insertTraffic } from '../support/bookings.js';

const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;
const ALWAYS = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

describe(`pacing in the widget's configuration on ${primaryKind}`, () => {
  const suite = useTestApp();
  const config = async () => {
    const response = await suite.t.app.inject({ url: `/v1/w/${suite.t.workspace.publicKey}/config`, headers: { origin: TEST_ORIGIN } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as WidgetConfig;
  };

  it('paces a study with a target below the PM’s sampling, leaves one without a target alone, and stops offering a study whose week is met', async () => {
    const { t } = suite;
    await t.app.inject({ method: 'PATCH', url: '/v1/admin/workspace', headers: t.auth, payload: { timeZone: ZONE } });
    const host = await createHost(t, { name: 'Paced host', timeZone: ZONE, weekly: ALWAYS });
    const paced = await createLiveStudy(t, [host], { name: 'Paced', weeklyTarget: 2 });
    const capped = await createLiveStudy(t, [host], { name: 'Capped', weeklyTarget: 2, samplingPercent: 3 });
    const manual = await createLiveStudy(t, [host], { name: 'Manual', samplingPercent: 40 });
    const [workspace] = await t.app.db.select().from(workspaces).where(eq(workspaces.id, t.workspace.workspaceId));

    // Four busy weeks behind them: 1,000 shown a week, 3 % opting in, most of them booking.
    const thisWeek = weekFrame(Date.now(), ZONE);
    const fourWeeksAgo = thisWeek.start - 28 * 24 * HOUR;
    for (const study of [paced, capped]) {
      await insertTraffic(t, study.id, { from: new Date(fourWeeksAgo), to: new Date(thisWeek.start) }, { shown: 4000, optedIn: 120, screenedOut: 20 });
      // 80 of the 100 screened in booked (20 a week), each held a day later.
      const booked = Array.from({ length: 80 }, (_, i) => new Date(fourWeeksAgo + i * 8 * HOUR + (study === capped ? 4 * HOUR : 0)));
      await insertBookings(t, booked.map((at) => ({ studyId: study.id, hostId: host, createdAt: at, startsAt: new Date(at.getTime() + 24 * HOUR), status: 'completed' as const })));
    }
    // Tuesday 10:00 of this week, on the workspace's clock: early enough that the week is paced,
    // with this week's traffic so far running as usual.
    const tuesday = new Date(thisWeek.start + 34 * HOUR);
    for (const study of [paced, capped]) {
      await insertTraffic(t, study.id, { from: new Date(thisWeek.start), to: tuesday }, { shown: 200, optedIn: 0, screenedOut: 0 });
    }
    const early = await widgetConfig(t.app.db, workspace!, t.app.capacity, tuesday);
    // The config names studies by their participant-facing title: find them by id.
    const ids: Record<string, string> = { Paced: paced.id, Capped: capped.id, Manual: manual.id };
    const byName = (body: WidgetConfig, name: string) => body.studies.find((s) => s.id === ids[name])!;
    // Its own history promises far more than 2 bookings a week from everyone shown: only a share is asked.
    expect(byName(early, 'Paced')).toMatchObject({ bookable: true });
    expect(byName(early, 'Paced').samplingPercent).toBeGreaterThanOrEqual(1);
    expect(byName(early, 'Paced').samplingPercent).toBeLessThan(100);
    expect(byName(early, 'Capped')).toMatchObject({ bookable: true, samplingPercent: expect.any(Number) });
    expect(byName(early, 'Capped').samplingPercent).toBeLessThanOrEqual(3);
    expect(byName(early, 'Manual')).toMatchObject({ bookable: true, samplingPercent: 40 });
    // Sticky: the widget's bucket is a hash of visitor and study, so the same visitor gets the same answer every time.
    const percent = byName(early, 'Paced').samplingPercent;
    const visitors = Array.from({ length: 400 }, (_, i) => `visitor-${i}`);
    const asked = visitors.filter((v) => inSample(v, paced.id, percent));
    expect(asked.length).toBeLessThan(visitors.length);
    expect(visitors.filter((v) => inSample(v, paced.id, percent))).toEqual(asked);

    // Two interviews booked this week: the target is met, nobody else is asked this week.
    const now = new Date();
    await insertBookings(t, [
      { studyId: paced.id, hostId: host, createdAt: now, startsAt: new Date(now.getTime() + 48 * HOUR), status: 'confirmed' },
      { studyId: paced.id, hostId: host, createdAt: now, startsAt: new Date(now.getTime() + 50 * HOUR), status: 'confirmed' },
    ]);
    t.app.capacity.forget(paced.id);
    const served = await config();
    expect(served.studies.find((s) => s.id === paced.id)).toMatchObject({ bookable: false });
    expect(served.studies.find((s) => s.id === capped.id)).toMatchObject({ bookable: true });
    expect(served.studies.find((s) => s.id === manual.id)).toMatchObject({ bookable: true, samplingPercent: 40 });
  });
});
