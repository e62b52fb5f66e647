// Signing in with the workspace's secret key, where the key is kept (and where not), and signing out.
import { describe, expect, it } from 'vitest';
import { haveChromium, inChromium, useAdminBrowser } from '../support/browser.js';

describe.skipIf(!haveChromium)(inChromium('sign-in'), () => {
  const browser = useAdminBrowser();

  it('signs in with the secret key, kept in sessionStorage only; a wrong key shows the 401 message', async () => {
    const { page, t, shot } = browser;
    const response = await page.goto(`${browser.url}/admin`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in to your workspace' }).isVisible()).toBe(true);
    await page.getByLabel('Secret key').fill('sk_wrong_key_000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('This secret key is unknown or revoked');
    expect(await page.getByLabel('Secret key').getAttribute('aria-invalid')).toBe('true');
    await shot('01-sign-in-wrong-key');

    // Keyboard only: type the key and press Enter; then Tab reaches the skip link first.
    await page.getByLabel('Secret key').fill(t.workspace.secretKey);
    await page.getByLabel('Secret key').press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'No studies yet' }).isVisible()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName + ' ' + document.activeElement?.textContent)).toBe('H1 Studies');
    await page.reload();
    await page.getByRole('heading', { name: 'No studies yet' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    const storage = await page.evaluate(() => ({ session: JSON.stringify(sessionStorage), local: JSON.stringify(localStorage), url: location.href }));
    expect(storage.session).toContain(t.workspace.secretKey);
    expect(storage.local).not.toContain(t.workspace.secretKey);
    expect(storage.url).not.toContain(t.workspace.secretKey);
    await shot('02-studies-empty');
  });

  it('sign-out forgets the key', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Secret key').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });
});
