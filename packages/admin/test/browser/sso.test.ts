// Settings' single sign-on section (owners): not connected at first; the server's refusal of an
// issuer whose discovery document cannot be read is shown at the issuer field; connecting to an
// issuer that serves one (a discovery document on 127.0.0.1, no sign-in through it here: the
// server's test/auth/sso.test.ts runs the whole flow against oidc-provider) shows the connection
// without its secret, replaces it keeping the secret, and disconnects after a question; an admin
// and a viewer do not see the section.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  let issuer: Server | undefined;
  let issuerUrl = '';
  beforeAll(async () => {
    issuer = createHttpServer((req, res) => {
      if (req.url !== '/.well-known/openid-configuration') return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer: issuerUrl,
          authorization_endpoint: `${issuerUrl}/auth`,
          token_endpoint: `${issuerUrl}/token`,
          jwks_uri: `${issuerUrl}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    });
    await new Promise<void>((resolve) => issuer!.listen(0, '127.0.0.1', resolve));
    issuerUrl = `http://127.0.0.1:${(issuer.address() as { port: number }).port}`;
    await browser.signIn();
  });
  afterAll(() => new Promise<void>((resolve) => (issuer ? issuer.close(() => resolve()) : resolve())));

  it('refuses an unreachable issuer at its field, and checks the form first', async () => {
    const { page, shot } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Single sign-on' });
    // Settings' screen and the workspace's connection are fetched on its first visit: a busy machine takes longer than the default 10 s.
    await section.getByText('Not connected.').waitFor({ timeout: 30_000 });
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

  it('connects to an issuer that answers, shows it without the secret, replaces it keeping the secret, and disconnects after a question', async () => {
    const { page, shot } = browser;
    const section = page.getByRole('region', { name: 'Single sign-on' });
    await section.getByLabel('Issuer URL').fill(issuerUrl);
    await section.getByLabel('Client secret').fill('the-secret-of-the-client');
    await section.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => section.getByRole('status').filter({ hasText: 'Single sign-on is connected' }).count()).toBe(1);
    const current = section.getByRole('definition');
    await expect.poll(() => current.allTextContents()).toContain(issuerUrl);
    const shown = (await current.allTextContents()).join(' | ');
    expect(shown).toContain('beckon');
    expect(shown).toContain('acme.test');
    expect(shown).toContain('On, as Researcher');
    expect(shown).toContain('/v1/auth/sso/callback');
    expect(await page.locator('body').textContent()).not.toContain('the-secret-of-the-client');
    expect(await section.getByRole('form').count()).toBe(0);
    await shot('42-sso-connected');

    await section.getByRole('button', { name: 'Replace connection' }).click();
    expect(await section.getByLabel('Issuer URL').inputValue()).toBe(issuerUrl);
    expect(await section.getByLabel('Client secret').inputValue()).toBe('');
    await section.getByLabel('Client ID').fill('beckon-2');
    await section.getByLabel(/join on their first sign-in/).uncheck();
    await section.getByRole('button', { name: 'Save connection' }).click();
    await expect.poll(() => section.getByRole('definition').allTextContents()).toContain('beckon-2');
    expect((await section.getByRole('definition').allTextContents()).join(' | ')).toContain('Off');
    const stored = await page.evaluate(() => fetch('/v1/admin/sso').then((r) => r.json()));
    expect(stored).toMatchObject({ issuerUrl, clientId: 'beckon-2', autoJoinDomains: [] });
    expect(JSON.stringify(stored)).not.toContain('the-secret-of-the-client');

    await section.getByRole('button', { name: 'Disconnect single sign-on' }).click();
    await section.getByRole('group', { name: 'Confirm disconnecting single sign-on' }).waitFor();
    await section.getByRole('button', { name: 'Keep it' }).click();
    expect(await page.evaluate(() => fetch('/v1/admin/sso').then((r) => r.status))).toBe(200);
    await section.getByRole('button', { name: 'Disconnect single sign-on' }).click();
    await section.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await expect.poll(() => section.getByRole('status').filter({ hasText: 'was disconnected' }).count()).toBe(1);
    await section.getByText('Not connected.').waitFor();
    expect(await page.evaluate(() => fetch('/v1/admin/sso').then((r) => r.status))).toBe(404);
  });

  it('is not shown to an admin, and Settings is not offered to a viewer', async () => {
    const { page } = browser;
    await browser.person('admin', { email: 'ada.admin@acme.test', name: 'Ada Admin' });
    await browser.person('viewer', { email: 'vic.viewer@acme.test', name: 'Vic Viewer' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await browser.signIn({ email: 'ada.admin@acme.test' });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor({ timeout: 30_000 }); // Settings' first visit fetches its screen
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
