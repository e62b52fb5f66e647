// The demo a newcomer starts with: three live studies with free time, and yesterday's interview
// marked done, so Incentives has one to send and its team page can be opened.
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../src/services/seed.js';
import { useTestApp } from './support/app.js';

describe('the demo workspace', () => {
  const suite = useTestApp({ kind: 'pglite' });

  it('has live studies with capacity, and one incentive due from yesterday’s interview', async () => {
    const { t, database } = suite;
    const demo = await seedDemo(database.db, t.app.secretBox, t.config.publicUrl);
    const auth = { authorization: `Bearer ${demo.secretKey}` };
    const studies = (await t.app.inject({ url: '/v1/admin/studies', headers: auth })).json().studies as { name: string; status: string }[];
    expect(studies.map((study) => study.status)).toEqual(['live', 'live', 'live']);

    const due = (await t.app.inject({ url: '/v1/admin/incentives?status=due', headers: auth })).json().incentives;
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({ studyName: 'Churn: why people leave', description: 'a $50 gift card', participant: { name: 'Sam Rivera' }, bookingStatus: 'completed' });
    expect(Date.parse(due[0].interviewStart)).toBeLessThan(Date.now() - 20 * 3600_000);

    const config = (await t.app.inject({ url: `/v1/w/${demo.publicKey}/config`, headers: { origin: new URL(t.config.publicUrl).origin } })).json();
    expect(config.studies.filter((study: { bookable: boolean }) => study.bookable)).toHaveLength(3);
  });
});
