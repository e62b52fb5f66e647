// Your account (everyone): reached from the name in the top bar. A person who came in by a sign-in
// link sets a password (the server's length rule and the repeat checked at their fields), signs
// out and signs in with it; changing it asks for the current one, and a wrong one is refused at
// that field by the server.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureMembership, ensureUser } from '../../../server/src/auth/accounts.js';
import { haveChromium, inChromium, useAdminBrowser } from '../support/browser.js';

const VIEWER = { email: 'vic.viewer@acme.test', name: 'Vic Viewer' };
const FIRST = 'a brand new passphrase';
const SECOND = 'another even newer passphrase';

describe.skipIf(!haveChromium)(inChromium('Your account'), () => {
  const browser = useAdminBrowser();
  beforeAll(async () => {
    // A viewer with no password yet: they come in by a sign-in link.
    const { user } = await ensureUser(browser.t.app.db, VIEWER);
    await ensureMembership(browser.t.app.db, { userId: user.id, workspaceId: browser.t.workspace.workspaceId, role: 'viewer', memberId: null });
  });

  const signInWithPassword = async (password: string) => {
    const { page } = browser;
    await page.getByLabel('Email').fill(VIEWER.email);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Password').press('Enter');
  };

  it('sets a first password from the top bar; signs out and in with it', async () => {
    const { page, shot } = browser;
    await page.goto(`${browser.url}/admin`);
    await page.getByLabel('Email').fill(VIEWER.email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('status').filter({ hasText: 'Check your email' }).waitFor();
    const mail = await browser.latestMailTo(VIEWER.email);
    await page.goto(browser.linkIn(mail!.text, '/v1/auth/sign-in?token='));
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    await page.getByRole('banner').getByRole('link', { name: VIEWER.name }).click();
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Set a password' }).waitFor();
    expect(await page.getByLabel('Current password').count()).toBe(0);

    await page.getByLabel('New password', { exact: true }).fill('too short');
    await page.getByLabel('New password again').fill('too short');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.locator('[data-field="password"] .error').textContent()).toContain('at least 10 characters');
    expect(await page.getByLabel('New password', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('New password', { exact: true }).fill(FIRST);
    await page.getByLabel('New password again').fill(`${FIRST}!`);
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.locator('[data-field="passwordAgain"] .error').textContent()).toContain('not the same');

    await page.getByLabel('New password again').fill(FIRST);
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Your password is set' }).count()).toBe(1);
    await page.getByRole('heading', { name: 'Change your password' }).waitFor();
    await shot('40-account-password-set');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Beckon' }).waitFor();
    await signInWithPassword(FIRST);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  });

  it('changes the password: a wrong current one is refused at its field; the new one signs in', async () => {
    const { page } = browser;
    await page.getByRole('banner').getByRole('link', { name: VIEWER.name }).click();
    await page.getByRole('heading', { name: 'Change your password' }).waitFor();
    await page.getByLabel('Current password').fill('not my password at all');
    await page.getByLabel('New password', { exact: true }).fill(SECOND);
    await page.getByLabel('New password again').fill(SECOND);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.locator('[data-field="currentPassword"] .error').textContent()).toContain('current password is wrong');

    await page.getByLabel('Current password').fill(FIRST);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Your password was changed' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Beckon' }).waitFor();
    await signInWithPassword(FIRST);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('wrong');
    await signInWithPassword(SECOND);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  });
});
