// Settings' single sign-on section (owners): not connected at first; the server's refusal of an
// issuer whose discovery document cannot be read is shown at the issuer field; an admin and a
// viewer do not see the section.
import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, inChromium, useAdminBrowser } from '../support/browser.js';

/** A loopback port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(!haveChromium)(inChromium('single sign-on settings'), () => {
  const browser = useAdminBrowser();
  beforeAll(() => browser.signIn());

  it('refuses an unreachable issuer at its field, and checks the form first', async () => {
    const { page, shot } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Single sign-on' });
    await section.getByText('Not connected.').waitFor();
    await section.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => section.locator('[data-field="issuerUrl"] .error').textContent()).toContain('issuer URL');
    expect(await section.locator('[data-field="clientSecret"] .error').textContent()).toContain('client secret');

    const port = await closedPort();
    await section.getByLabel('Issuer URL').fill(`http://127.0.0.1:${port}`);
    await section.getByLabel('Client ID').fill('beckon');
    await section.getByLabel('Client secret').fill('a-client-secret');
    await section.getByLabel(/join on their first sign-in/).check();
    await section.getByLabel('Allowed email domains').fill('acme.test');
    await section.getByLabel('Their role').selectOption('researcher');
    await section.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => section.locator('[data-field="issuerUrl"] .error').textContent(), { timeout: 15_000 }).toContain('Could not read the provider');
    expect(await section.getByLabel('Issuer URL').getAttribute('aria-invalid')).toBe('true');
    expect(await section.locator('[data-field="clientSecret"] .error').count()).toBe(0);
    await shot('41-sso-unreachable-issuer');
    expect(await page.evaluate(() => fetch('/v1/admin/sso').then((r) => r.status))).toBe(404);
  });

  it('is not shown to an admin, and Settings is not offered to a viewer', async () => {
    const { page } = browser;
    await browser.person('admin', { email: 'ada.admin@acme.test', name: 'Ada Admin' });
    await browser.person('viewer', { email: 'vic.viewer@acme.test', name: 'Vic Viewer' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await browser.signIn({ email: 'ada.admin@acme.test' });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Participants’ data' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Single sign-on' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await browser.signIn({ email: 'vic.viewer@acme.test' });
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).not.toContain('Settings');
    await page.goto(`${browser.url}/admin/settings`);
    await page.getByRole('heading', { name: 'Not available to your role' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Single sign-on' }).count()).toBe(0);
    expect(await page.evaluate(() => fetch('/v1/admin/sso').then((r) => r.status))).toBe(403);
  });
});
