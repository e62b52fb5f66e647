// The audit log (owners and admins): newest first, filtered by who, by action (a prefix ending in
// a dot) and by dates; the filters live in the address.
import { beforeAll, describe, expect, it } from 'vitest';
import { addMaya, createChurnStudy } from '../support/fixtures.js';
import { haveChromium, inChromium, useAdminBrowser } from '../support/browser.js';

describe.skipIf(!haveChromium)(inChromium('audit log'), () => {
  const browser = useAdminBrowser();
  beforeAll(async () => {
    const maya = await addMaya(browser); // by the workspace's Default key
    await createChurnStudy(browser, maya.id);
    await browser.signIn();
  });

  it('lists changes newest first and filters them by action, by who and by dates', async () => {
    const { page, shot } = browser;
    // A change by the signed-in owner, through the app.
    await page.getByRole('link', { name: 'Why people churn' }).first().click();
    await page.getByLabel('Name', { exact: true }).fill('Why people churn, round 2');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    const actions = () => page.locator('tbody tr th code').allTextContents();
    await expect.poll(actions).toEqual(['study.update', 'study.create', 'member.availability.replace', 'member.create']);
    const newest = page.locator('tbody tr').first();
    expect(await newest.textContent()).toContain('olivia.owner@acme.test');
    expect(await newest.textContent()).toContain('Why people churn, round 2');
    expect(await page.locator('tbody tr').last().textContent()).toContain('API key: Default');
    await shot('40-audit-log');

    await page.getByLabel('Action').fill('member.');
    await page.getByRole('button', { name: 'Show entries' }).click();
    await expect.poll(actions).toEqual(['member.availability.replace', 'member.create']);
    expect(new URL(page.url()).searchParams.get('action')).toBe('member.');

    await page.getByLabel('Action').fill('');
    await page.getByLabel('Who').selectOption({ label: 'Olivia Owner (olivia.owner@acme.test)' });
    await page.getByRole('button', { name: 'Show entries' }).click();
    await expect.poll(actions).toEqual(['study.update']);

    // Dates: tomorrow onwards has nothing; a wrong range is refused at its field.
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Who').selectOption({ label: 'Anyone' });
    await page.getByLabel('From').fill(tomorrow);
    await page.getByLabel('To (inclusive)').fill('2020-01-01');
    await page.getByRole('button', { name: 'Show entries' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The last day must be on or after the first day');
    await page.getByLabel('To (inclusive)').fill('');
    await page.getByRole('button', { name: 'Show entries' }).click();
    await page.getByText('No entries match these filters.').waitFor();
    await shot('41-audit-log-filtered');

    await page.getByRole('link', { name: 'Clear filters' }).click();
    await expect.poll(actions).toHaveLength(4);
  });
});
