// Studies: creating one with a segment preset and a screener, the list of studies, and a server
// error (a taken booking link) shown beside its field.
import { beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, inChromium, pageWidth, PHONE, useAdminBrowser } from '../support/browser.js';
import { addMaya } from '../support/fixtures.js';

describe.skipIf(!haveChromium)(inChromium('studies'), () => {
  const browser = useAdminBrowser();
  beforeAll(async () => {
    await addMaya(browser);
    await browser.signIn();
  });

  it('creates a study with a segment preset and a screener, shows it listed, and puts a server error next to its field', async () => {
    const { page, api, shot } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Studies' }).click();
    await page.getByRole('link', { name: 'Create your first study' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Why people churn');
    await page.getByLabel('Booking link name').fill('churn-talks');
    await page.getByRole('radio', { name: /Recently churned/ }).check();
    await page.getByLabel('Churned within the last (days)').fill('45');
    await page.getByLabel('Sampling').fill('50');
    await page.getByRole('button', { name: 'Add a question' }).click();
    await page.getByLabel('Question', { exact: true }).fill('Why did you cancel?');
    await page.getByLabel('Question 1, answer 1').fill('Too expensive');
    await page.getByLabel('Effect of answer 1').selectOption('qualify');
    await page.getByLabel('Question 1, answer 2').fill('I never cancelled');
    await page.getByLabel('Effect of answer 2').selectOption('disqualify');
    await page.getByRole('group', { name: 'Hosts' }).getByRole('checkbox', { name: /Maya Patel/ }).check();
    await page.getByLabel('Weekly quota').fill('3');
    await page.getByLabel('Total quota').fill('20');
    await page.getByLabel('Minimum notice').fill('60');
    await shot('06-study-new');
    await page.getByRole('button', { name: 'Create study' }).click();

    const card = page.getByRole('listitem', { name: 'Why people churn' });
    await expect.poll(() => card.textContent()).toContain('3 a week · 20 in total');
    expect(await card.textContent()).toContain('Draft');
    expect(await card.textContent()).toContain('Churned in the last 45 days · 50% sampled');
    expect(await card.getByRole('link', { name: 'http://beckon.test/b/churn-talks' }).isVisible()).toBe(true);
    expect(await page.getByRole('status').filter({ hasText: 'Study “Why people churn” created.' }).isVisible()).toBe(true);
    await card.getByRole('button', { name: 'Copy booking link of Why people churn' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('http://beckon.test/b/churn-talks');
    await shot('07-studies-list');

    const [study] = (await api('GET', '/v1/admin/studies')).body.studies;
    expect(study).toMatchObject({
      name: 'Why people churn',
      slug: 'churn-talks',
      status: 'draft',
      targeting: { trait: 'canceledAt', op: 'within_last_days', value: 45 },
      samplingPercent: 50,
      weeklyQuota: 3,
      totalQuota: 20,
      minimumNoticeMinutes: 60,
      screener: {
        questions: [
          {
            kind: 'single',
            prompt: 'Why did you cancel?',
            options: [
              { label: 'Too expensive', effect: 'qualify' },
              { label: 'I never cancelled', effect: 'disqualify' },
            ],
          },
        ],
      },
    });

    // The same booking link again: the server's 409 slug_taken lands on the booking-link field.
    await page.getByRole('link', { name: 'New study' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Second study');
    await page.getByLabel('Booking link name').fill('churn-talks');
    await page.getByRole('group', { name: 'Hosts' }).getByRole('checkbox', { name: /Maya Patel/ }).check();
    await page.getByRole('button', { name: 'Create study' }).click();
    await expect.poll(() => page.locator('[data-field="slug"] .error').textContent()).toContain('Another study already uses this slug');
    expect(await page.getByLabel('Booking link name').getAttribute('aria-invalid')).toBe('true');
    // Focus moves to the summary after the error renders: wait for it rather than race it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe('error-summary');
    await shot('08-study-slug-taken');
  });

  it('works at 375 px wide', async () => {
    const { page, shot } = browser;
    await browser.onPhone(async () => {
      await page.goto(`${browser.url}/admin/studies`);
      await page.getByRole('listitem', { name: 'Why people churn' }).waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await shot('12-mobile-studies');
    });
  });
});
