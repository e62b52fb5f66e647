// Settings: the embed snippet, the workspace form (allowed origins checked like the schema, theme,
// identity verification) and the identity secret, shown and rotated.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, inChromium, pageWidth, PHONE, useAdminBrowser } from '../support/browser.js';

describe.skipIf(!haveChromium)(inChromium('settings'), () => {
  const browser = useAdminBrowser();
  beforeAll(() => browser.signIn());

  it('edits the workspace (origins checked like the schema), copies the embed snippet, shows and rotates the identity secret', async () => {
    const { page, api, shot, t } = browser;
    const before = (await api('GET', '/v1/admin/workspace')).body as { name: string; allowedOrigins: string[]; publicKey: string };
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName + ' ' + document.activeElement?.textContent)).toBe('H1 Settings');

    // The README's snippet with this workspace's public key and this server as apiHost; Copy copies exactly it.
    const snippet = (await page.getByRole('region', { name: 'Embed snippet' }).textContent())!;
    expect(snippet).toContain(`beckon('init', { publicKey: '${before.publicKey}', apiHost: '${browser.url}' });`);
    expect(snippet).toContain(`(window,document,'beckon','${browser.url}/widget/beckon.js',document.currentScript);`);
    expect(snippet).not.toContain('<script async');
    if (existsSync(fileURLToPath(new URL('../../../widget/dist/beckon.js', import.meta.url)))) {
      expect((await t.app.inject({ url: '/widget/beckon.js' })).statusCode).toBe(200);
    }
    await page.getByRole('button', { name: 'Copy the embed snippet' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    expect(await page.getByRole('status').filter({ hasText: 'Snippet copied' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Allowed origins' }).isVisible()).toBe(true);

    // A second origin with a path: refused beside its own row, with the origin to use; nothing is sent.
    await page.getByRole('button', { name: 'Add an origin' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-allowedOrigins-1');
    const second = page.getByLabel('Allowed origin 2', { exact: true });
    await second.fill('https://staging.acme.test/app');
    await page.getByLabel('Workspace name').fill('Acme Research');
    await page.getByLabel('Ask again after').fill('45');
    await page.getByLabel('Privacy policy (optional)').fill('https://acme.test/privacy');
    await page.getByLabel('Language for dates').fill('en_gb');
    await page.getByLabel('Brand colour', { exact: true }).fill('#0f766e');
    await page.getByLabel('Light or dark').selectOption('auto');
    await page.getByRole('checkbox', { name: 'Require identity verification' }).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('[data-field="allowedOrigins.1"] .error').textContent()).toContain('Enter the origin only, without a path: https://staging.acme.test');
    expect(await second.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.error-summary').textContent()).toContain('There is a problem');
    expect((await api('GET', '/v1/admin/workspace')).body.name).toBe(before.name);
    await shot('settings-1-origin-problem');

    // Fixed, plus an extra row left empty (dropped, not refused): saved, as the API shows.
    await second.fill('https://Staging.acme.test/');
    await page.getByRole('button', { name: 'Add an origin' }).click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Settings saved.' }).count()).toBe(1);
    expect((await api('GET', '/v1/admin/workspace')).body).toMatchObject({
      name: 'Acme Research',
      allowedOrigins: [...before.allowedOrigins, 'https://staging.acme.test'],
      recontactDays: 45,
      privacyUrl: 'https://acme.test/privacy',
      locale: 'en-GB',
      requireIdentityVerification: true,
      theme: { brand: '#0f766e', mode: 'auto' },
    });
    expect(await page.getByLabel('Allowed origin 2', { exact: true }).inputValue()).toBe('https://staging.acme.test');
    expect(await page.getByLabel('Allowed origin 3', { exact: true }).count()).toBe(0);
    await shot('settings-2-saved');

    // The identity secret: hidden until Show; rotating asks first and names the consequence.
    const secretBefore = (await api('GET', '/v1/admin/workspace/identity-secret')).body.identitySecret as string;
    expect(await page.getByText(secretBefore).count()).toBe(0);
    await page.getByRole('button', { name: 'Show the identity secret' }).click();
    await expect.poll(() => page.locator('#identity-secret-value').textContent()).toBe(secretBefore);
    await page.getByRole('button', { name: 'Rotate the secret…' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm rotating the identity secret' });
    expect(await confirm.textContent()).toContain('Signatures made with the old secret stop working at once: until your servers sign with the new one');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, rotate it');
    await shot('settings-3-rotate-confirm');
    await confirm.getByRole('button', { name: 'Keep the current secret' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Rotate the secret…');
    expect((await api('GET', '/v1/admin/workspace/identity-secret')).body.identitySecret).toBe(secretBefore);
    await page.getByRole('button', { name: 'Rotate the secret…' }).click();
    await page.getByRole('button', { name: 'Yes, rotate it' }).click();
    await expect.poll(() => page.getByText('A new identity secret was made').isVisible()).toBe(true);
    const secretAfter = (await api('GET', '/v1/admin/workspace/identity-secret')).body.identitySecret as string;
    expect(secretAfter).not.toBe(secretBefore);
    expect(await page.locator('#identity-secret-value').textContent()).toBe(secretAfter);
    await page.getByRole('button', { name: 'Hide the identity secret' }).click();
    expect(await page.getByText(secretAfter).count()).toBe(0);

    // Removing a row moves focus to the row before it; turning verification off is saved like the rest.
    await page.getByRole('button', { name: 'Remove https://staging.acme.test' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-allowedOrigins-0');
    await page.getByRole('checkbox', { name: 'Require identity verification' }).uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(async () => (await api('GET', '/v1/admin/workspace')).body.requireIdentityVerification).toBe(false);
    expect((await api('GET', '/v1/admin/workspace')).body.allowedOrigins).toEqual(before.allowedOrigins);
  });

  it('works at 375 px wide', async () => {
    const { page, shot } = browser;
    await browser.onPhone(async () => {
      await page.goto(`${browser.url}/admin/settings`);
      await page.getByRole('region', { name: 'Embed snippet' }).waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await shot('settings-4-mobile');
    });
  });
});
