// The demo a newcomer starts with: three live studies with free time, and yesterday's interview
// marked done, so Incentives has one to send and its team page can be opened.
import { describe, expect, it } from 'vitest';
import type { AutopilotWeek } from '@beckon/shared/api';
import { seedDemo, type DemoCredentials } from '../src/services/seed.js';
import { useTestApp } from './support/app.js';

describe('the demo workspace', () => {
  const suite = useTestApp({ kind: 'pglite' });
  let demo: DemoCredentials;

  it('has live studies with capacity, and one incentive due from yesterday’s interview', async () => {
    const { t, database } = suite;
    demo = await seedDemo(database.db, t.app.secretBox, t.config.publicUrl);
    const auth = { authorization: `Bearer ${demo.secretKey}` };
    const studies = (await t.app.inject({ url: '/v1/admin/studies', headers: auth })).json().studies as { name: string; status: string }[];
    expect(studies.map((study) => study.status)).toEqual(['live', 'live', 'live']);

    const due = (await t.app.inject({ url: '/v1/admin/incentives?status=due', headers: auth })).json().incentives;
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({ studyName: 'Churn: why people leave', description: 'a $50 gift card', participant: { name: 'Sam Rivera' }, bookingStatus: 'completed' });
    expect(Date.parse(due[0].interviewStart)).toBeLessThan(Date.now() - 20 * 3600_000);

    const config = (await t.app.inject({ url: `/v1/w/${demo.publicKey}/config`, headers: { origin: new URL(t.config.publicUrl).origin } })).json();
    // Superstars has this week's interview booked: the autopilot asks no more superstars this week.
    expect(config.studies.filter((study: { bookable: boolean }) => study.bookable)).toHaveLength(2);
    expect(config.studies.find((study: { slug: string }) => study.slug === 'superstars-demo').bookable).toBe(false);
    expect(config.studies.find((study: { slug: string }) => study.slug === 'onboarding-demo')).toMatchObject({ bookable: true, samplingPercent: 100 });
  });

  it("shows a real week on the home page: superstars on track, churn short of its target with the reason and the fix", async () => {
    const { t } = suite;
    const week = (await t.app.inject({ url: '/v1/admin/autopilot/week', headers: { authorization: `Bearer ${demo.secretKey}` } })).json() as AutopilotWeek;
    expect(week.timeZone).toBe('America/New_York');
    expect(week.workspace.target).toBe(3);
    const byName = (prefix: string) => week.studies.find((s) => s.name.startsWith(prefix))!;
    expect(week.studies.map((s) => s.name)).toEqual(['Churn: why people leave', 'Superstars: what makes it work']);
    const superstars = byName('Superstars');
    expect(superstars.weeks.slice(0, 8).map((w) => w.booked)).toEqual([2, 1, 1, 2, 1, 1, 2, 1]);
    expect(superstars.weeks[8]!.booked).toBe(1);
    expect(superstars.forecast).toMatchObject({ status: 'on_track', reason: null });
    const churn = byName('Churn');
    expect(churn.weeks.slice(0, 8).every((w) => w.booked < w.target)).toBe(true);
    expect(churn.forecast.status).not.toBe('on_track');
    expect(churn.forecast).toMatchObject({ reason: 'low_opt_in', fix: 'raise the incentive' });
  });
});
