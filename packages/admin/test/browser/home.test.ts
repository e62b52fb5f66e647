// The home page: the week's health of the workspace and of each study with a weekly target, from
// a seeded history: one study on track, one short of people saying yes (why, and the fix).
import type { Study } from '@beckon/shared/api';
import { weekFrame } from '@beckon/shared/pacing';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyStudyDraft, studyFromDraft } from '../../src/lib/study-form.js';
import { insertBookings, insertTraffic } from '../../../server/test/support/bookings.js';
import { haveChromium, inChromium, pageWidth, PHONE, useAdminBrowser } from '../support/browser.js';
import { addMaya, createChurnStudy } from '../support/fixtures.js';

const ZONE = 'Europe/London';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.skipIf(!haveChromium)(inChromium('home'), () => {
  const browser = useAdminBrowser();
  let churn: Study;
  let onboarding: Study;

  beforeAll(async () => {
    const { api, t } = browser;
    expect((await api('PATCH', '/v1/admin/workspace', { timeZone: ZONE, weeklyTarget: 3 })).status).toBe(200);
    const maya = await addMaya(browser);
    churn = await createChurnStudy(browser, maya.id);
    expect((await api('PATCH', `/v1/admin/studies/${churn.id}`, { weeklyTarget: 3 })).status).toBe(200);
    const draft = studyFromDraft({ ...emptyStudyDraft(), name: 'Onboarding talks', slug: 'onboarding-talks', status: 'live', hostIds: [maya.id], weeklyTarget: '1' });
    if ('problems' in draft) throw new Error(JSON.stringify(draft.problems));
    onboarding = (await api('POST', '/v1/admin/studies', draft.body)).body as Study;

    // Eight weeks behind: churn is shown to 200 people a week and 2 say yes, one booking a week
    // against its 3; onboarding gets its one a week. This week: onboarding's is booked (for next
    // Tuesday), churn has none yet.
    const now = Date.now();
    const frames = [weekFrame(now, ZONE)];
    while (frames.length < 9) frames.unshift(weekFrame(frames[0]!.start - 1, ZONE));
    const thisWeek = frames[8]!;
    const elapsed = (now - thisWeek.start) / (thisWeek.end - thisWeek.start);
    for (const [i, frame] of frames.entries()) {
      const current = i === 8;
      const range = { from: new Date(frame.start), to: new Date(current ? now : frame.end) };
      const share = current ? elapsed : 1;
      await insertTraffic(t, churn.id, range, { shown: Math.max(1, Math.round(200 * share)), optedIn: current ? 0 : 2, screenedOut: 0 });
      await insertTraffic(t, onboarding.id, range, { shown: Math.max(1, Math.round(60 * share)), optedIn: current ? 0 : 3, screenedOut: 0 });
      if (current) continue;
      await insertBookings(t, [
        { studyId: churn.id, hostId: maya.id, createdAt: new Date(frame.start + DAY + 14 * HOUR), startsAt: new Date(frame.start + 2 * DAY + 10 * HOUR), status: i % 3 === 0 ? 'no_show' : 'completed' },
        { studyId: onboarding.id, hostId: maya.id, createdAt: new Date(frame.start + 2 * DAY + 14 * HOUR), startsAt: new Date(frame.start + 3 * DAY + 10 * HOUR), status: 'completed' },
      ]);
    }
    await insertBookings(t, [{ studyId: onboarding.id, hostId: maya.id, createdAt: new Date(thisWeek.start + (now - thisWeek.start) / 2), startsAt: new Date(thisWeek.end + DAY + 10 * HOUR), status: 'confirmed', name: 'Ada Lovelace' }]);
    await browser.signIn();
  });

  it('shows each study’s week against its target: on track, or at risk with the reason and the fix, and a chart of nine weeks', async () => {
    const { page, shot } = browser;
    await page.goto(`${browser.url}/admin`);
    await page.getByRole('heading', { name: 'This week', level: 1 }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'This week' }).getAttribute('aria-current')).toBe('page');
    expect(await page.locator('.week-intro').textContent()).toContain(`weeks run Monday to Sunday in ${ZONE}`);

    const studies = page.getByRole('list', { name: 'Studies this week' });
    const onTrack = studies.getByRole('region', { name: 'Onboarding talks' });
    expect(await onTrack.locator('.week-status').textContent()).toBe('On track');
    expect(await onTrack.textContent()).toContain('1 of 1 booked this week.');
    expect(await onTrack.textContent()).toContain('Target met: 1 interview booked. Nobody else is asked this week.');
    expect(await onTrack.locator('.week-risk').count()).toBe(0);

    const atRisk = studies.getByRole('region', { name: 'Why people churn' });
    expect(await atRisk.locator('.week-status').textContent()).toMatch(/^(At risk|Will miss)$/);
    expect(await atRisk.textContent()).toContain('0 of 3 booked this week.');
    expect(await atRisk.locator('.week-forecast').textContent()).toMatch(/^Expected [\d.]+ by the week's end \(likely \d+(–\d+)?\): a \d+ % chance of 3 interviews\.$/);
    expect(await atRisk.locator('.week-risk').textContent()).toContain('Why: Few of the people asked say yes.');
    const fix = atRisk.getByRole('link', { name: 'Raise the incentive' });
    expect(await fix.getAttribute('href')).toBe(`/admin/studies/${churn.id}#f-incentive`);

    // The chart says in words what it draws; the numbers behind it are one click away.
    const chart = atRisk.getByRole('img');
    expect(await chart.getAttribute('aria-label')).toBe('Bookings in the last 8 weeks and this one against a target of 3: 1, 1, 1, 1, 1, 1, 1, 1, 0. The target was met in 0 of the last 8 weeks.');
    expect(await atRisk.locator('.chart-bar').count()).toBe(9);
    await atRisk.getByText('Week by week').click();
    expect(await atRisk.getByRole('row', { name: /^This week/ }).textContent()).toMatch(/^This week3000$/);

    // The workspace: every study's bookings against its own target of 3.
    const all = page.getByRole('region', { name: 'All studies' });
    expect(await all.textContent()).toContain('1 of 3 booked this week.');
    expect(await all.getByRole('img').getAttribute('aria-label')).toContain('2, 2, 2, 2, 2, 2, 2, 2, 1');
    await shot('30-home');

    // The fix opens the study editor at its incentive.
    await fix.click();
    await page.getByRole('heading', { name: 'Edit “Why people churn”' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-incentive');

    await page.setViewportSize(PHONE);
    await page.goto(`${browser.url}/admin`);
    await page.getByRole('region', { name: 'Why people churn' }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await shot('31-home-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('asks for a weekly target in the study editor and for the workspace’s target and zone in Settings', async () => {
    const { page, api } = browser;
    await page.goto(`${browser.url}/admin/studies/${onboarding.id}`);
    const target = page.getByLabel('Weekly target');
    expect(await target.inputValue()).toBe('1');
    await target.fill('2');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(async () => (await api('GET', `/v1/admin/studies/${onboarding.id}`)).body.weeklyTarget).toBe(2);

    await page.goto(`${browser.url}/admin/settings`);
    expect(await page.getByLabel('Interviews a week').inputValue()).toBe('3');
    expect(await page.getByLabel('Weeks run in').inputValue()).toBe(ZONE);
    await page.getByLabel('Interviews a week').fill('4');
    await page.getByLabel('Weeks run in').selectOption('America/Chicago');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect((await api('GET', '/v1/admin/workspace')).body).toMatchObject({ weeklyTarget: 4, timeZone: 'America/Chicago' });
  });
});
