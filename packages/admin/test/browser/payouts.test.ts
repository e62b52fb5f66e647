// Settings' Payouts section (owners and admins): not connected at first, saying rewards are held;
// a key Tremendous refuses (the server's check against the local Tremendous emulation) is shown at
// the API key field; the right key connects, shown only by its last 4 characters, and is never
// on the page again; a researcher does not see the section.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TremendousEmulation } from '../../../server/test/integrations/support/tremendous.js';
import { haveChromium, inChromium, useAdminBrowser } from '../support/browser.js';

const KEY = 'TEST_browser_tremendous_7a2e';
const emulation = new TremendousEmulation(KEY);
let apiUrl = '';

describe.skipIf(!haveChromium)(inChromium('payout settings'), () => {
  beforeAll(async () => {
    apiUrl = await emulation.start();
  });
  const browser = useAdminBrowser({ config: () => ({ tremendous: undefined, tremendousApiUrls: { sandbox: apiUrl, production: apiUrl } }) });
  beforeAll(() => browser.signIn());
  afterAll(() => emulation.stop());

  it('refuses a wrong key at its field, connects with the right one and shows only its end', async () => {
    const { page, shot } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Payouts' });
    // The first visit to Settings fetches its screen's chunk and the account: wait for the condition, not a time.
    await section.getByText(/Not connected: rewards paid by Tremendous are held/).waitFor({ timeout: 30_000 });
    const form = section.getByRole('form', { name: 'Connect Tremendous' });
    await form.getByLabel('API key').fill('TEST_wrong_key_0000');
    await form.getByRole('button', { name: 'Connect Tremendous' }).click();
    await expect.poll(() => section.locator('[data-field="apiKey"] .error').textContent(), { timeout: 15_000 }).toContain('refused this API key');

    await form.getByLabel('API key').fill(KEY);
    await form.getByLabel('Environment').selectOption('production');
    await form.getByRole('button', { name: 'Connect Tremendous' }).click();
    await expect.poll(() => section.getByRole('status').filter({ hasText: 'Tremendous (production) is connected' }).count()).toBe(1);
    const shown = (await section.getByRole('definition').allTextContents()).join(' | ');
    expect(shown).toContain('7a2e');
    expect(shown).toContain('balance');
    await shot('62-payouts-connected');
    await page.reload();
    await section.getByText(/ending in/).waitFor();
    expect(await page.locator('body').textContent()).not.toContain(KEY);
  });

  it('is not offered to a researcher', async () => {
    const { page } = browser;
    await browser.person('researcher', { email: 'rita.payouts@acme.test', name: 'Rita Researcher' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await browser.signIn({ email: 'rita.payouts@acme.test' });
    // Settings (and so Payouts) is not in a researcher's navigation; the server refuses them too.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incentives' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).not.toContain('Settings');
    expect(await page.evaluate(() => fetch('/v1/admin/workspace/payouts/tremendous').then((r) => r.status))).toBe(403);
  });
});
