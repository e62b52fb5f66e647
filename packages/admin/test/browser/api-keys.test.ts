// API keys (owners): create one (its secret shown once, with a copy button and a warning), the
// key works as its access says and shows when it was last used, and revoking it (after a
// question) refuses it at once. An admin does not see the page.
import { beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, inChromium, useAdminBrowser } from '../support/browser.js';

describe.skipIf(!haveChromium)(inChromium('API keys'), () => {
  const browser = useAdminBrowser();
  beforeAll(() => browser.signIn());

  it('creates a read-only key: the secret once, copied; it reads, may not write, and its last use is shown', async () => {
    const { page, t, shot } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Name the key');
    await page.getByLabel('Name').fill('Warehouse sync');
    await page.getByRole('radio', { name: /Read only/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const created = page.getByRole('region', { name: /Copy the key “Warehouse sync” now/ });
    await created.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-labelledby'))).toBe('new-key-title');
    const secret = (await created.locator('code').textContent())!;
    expect(secret).toMatch(/^sk_/);
    await created.getByRole('button', { name: 'Copy the new API key' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await shot('30-api-key-created');

    const row = page.getByRole('row', { name: /Warehouse sync/ });
    expect(await row.textContent()).toContain('Read only');
    expect(await row.textContent()).toContain('Never');
    const asKey = (method: 'GET' | 'POST', url: string) => t.app.inject({ method, url, headers: { authorization: `Bearer ${secret}` }, ...(method === 'POST' ? { payload: {} } : {}) });
    expect((await asKey('GET', '/v1/admin/studies')).statusCode).toBe(200);
    expect((await asKey('POST', '/v1/admin/studies')).statusCode).toBe(403);
    // Leaving the page forgets the secret; the list shows the key's last use.
    await created.getByRole('button', { name: 'I have stored it' }).click();
    await page.reload();
    await expect.poll(() => page.getByRole('row', { name: /Warehouse sync/ }).textContent()).not.toContain('Never');
    expect(await page.locator('body').textContent()).not.toContain(secret);
  });

  it('revokes a key after a question; it is refused at once', async () => {
    const { page, t, shot } = browser;
    await page.getByLabel('Name').fill('Old script');
    await page.getByRole('radio', { name: /Full/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const created = page.getByRole('region', { name: /Copy the key “Old script” now/ });
    const secret = (await created.locator('code').textContent())!;
    expect((await t.app.inject({ method: 'POST', url: '/v1/admin/studies', payload: {}, headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(400);
    await page.getByRole('button', { name: 'Revoke Old script' }).click();
    await page.getByRole('group', { name: 'Confirm revoking Old script' }).waitFor();
    await shot('31-api-key-revoke-question');
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await expect.poll(() => page.getByRole('row', { name: /Old script/ }).textContent()).toContain('Revoked');
    expect(await page.getByRole('button', { name: 'Revoke Old script' }).count()).toBe(0);
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(401);
  });

  it('is not offered to an admin, and the server refuses them', async () => {
    const { page } = browser;
    await browser.person('admin', { email: 'ada.admin@acme.test', name: 'Ada Admin' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await browser.signIn({ email: 'ada.admin@acme.test' });
    const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    expect(links).toContain('Team');
    expect(links).toContain('Audit log');
    expect(links).not.toContain('API keys');
    expect(await page.evaluate(() => fetch('/v1/admin/api-keys').then((r) => r.status))).toBe(403);
  });
});
