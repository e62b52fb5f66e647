// Signing in as oneself: email and password (a wrong one says nothing about whether the account
// exists), a sign-in link by email taken from the development outbox, and signing out, after
// which the session is gone on the server (the next request is 401). No secret is kept in the page.
import { describe, expect, it } from 'vitest';
import { haveChromium, inChromium, OWNER, PASSWORD, useAdminBrowser } from '../support/browser.js';

describe.skipIf(!haveChromium)(inChromium('sign-in'), () => {
  const browser = useAdminBrowser();

  it('signs in with email and password; a wrong password and an unknown address get the same message', async () => {
    const { page, shot } = browser;
    await browser.person('owner', OWNER);
    const response = await page.goto(`${browser.url}/admin`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: 'Sign in to Beckon' }).waitFor();
    expect(await page.getByLabel('Secret key').count()).toBe(0);
    await shot('01-sign-in');

    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Enter your email address');
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');

    const answerFor = async (email: string) => {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('not the password');
      const answered = page.waitForResponse((r) => r.url().endsWith('/v1/auth/password'));
      await page.getByLabel('Password').press('Enter');
      expect((await answered).status()).toBe(401);
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('The email or password is wrong');
      await expect.poll(() => page.getByLabel('Password').inputValue()).toBe('');
      return page.getByRole('alert').textContent();
    };
    const wrong = await answerFor(OWNER.email);
    const unknown = await answerFor('nobody.here@acme.test');
    expect(unknown).toBe(wrong);
    await shot('02-sign-in-wrong-password');

    // Keyboard only: type and press Enter; the home page's heading takes focus.
    await page.getByLabel('Email').fill(OWNER.email.toUpperCase());
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'This week', level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName + ' ' + document.activeElement?.textContent)).toBe('H1 This week');
    expect(await page.getByRole('banner').textContent()).toContain('Olivia Owner');
    // A reload asks the server who is signed in: the cookie (which the page cannot read) holds.
    await page.reload();
    await page.getByRole('heading', { name: 'This week', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    const kept = await page.evaluate(() => ({ cookie: document.cookie, session: sessionStorage.length, local: JSON.stringify(localStorage) }));
    expect(kept).toMatchObject({ cookie: '', session: 0 });
    expect(kept.local).not.toMatch(/sk_|session/);
  });

  it('sign-out ends the session on the server: a request after it is 401', async () => {
    const { page } = browser;
    const before = await page.evaluate(() => fetch('/v1/admin/studies').then((r) => r.status));
    expect(before).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Beckon' }).waitFor();
    const after = await page.evaluate(async () => [(await fetch('/v1/admin/studies')).status, (await fetch('/v1/auth/session')).status]);
    expect(after).toEqual([401, 401]);
    await page.reload();
    await page.getByLabel('Password').waitFor();
  });

  it('emails a sign-in link (the same words for an unknown address); the link from the outbox signs in', async () => {
    const { page, shot } = browser;
    const ask = async (email: string) => {
      await page.getByLabel('Email').fill(email);
      await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
      const notice = page.getByRole('status').filter({ hasText: 'Check your email' });
      await expect.poll(() => notice.textContent()).toContain(email);
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Check your email');
      return (await notice.textContent())!.replace(email, 'EMAIL');
    };
    const forUnknown = await ask('ghost@acme.test');
    const forOwner = await ask(OWNER.email);
    expect(forOwner).toBe(forUnknown);
    expect(forOwner).toContain('whether or not the address has an account');
    await shot('03-sign-in-link-sent');

    const mail = await browser.latestMailTo(OWNER.email);
    expect(mail?.text).toContain('/v1/auth/sign-in?token=');
    expect(await browser.latestMailTo('ghost@acme.test')).toBeUndefined();
    await page.goto(browser.linkIn(mail!.text, '/v1/auth/sign-in?token='));
    await expect.poll(() => page.getByRole('heading', { name: 'This week', level: 1 }).isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toMatch(/^\/admin/);
    // Used once: the same link again is refused.
    const again = await page.evaluate((link) => fetch(link, { redirect: 'manual' }).then((r) => r.status), browser.linkIn(mail!.text, '/v1/auth/sign-in?token='));
    expect(again).toBe(400);
  });

  it('offers single sign-on when the sign-in address names a workspace', async () => {
    const { page, t } = browser;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Password').waitFor();
    expect(await page.getByRole('link', { name: 'Sign in with SSO' }).count()).toBe(0);
    await page.goto(`${browser.url}/admin?workspace=${t.workspace.workspaceId}`);
    const sso = page.getByRole('link', { name: 'Sign in with SSO' });
    await sso.waitFor();
    expect(await sso.getAttribute('href')).toBe(`/v1/auth/sso/start?workspace=${t.workspace.workspaceId}`);
  });
});
