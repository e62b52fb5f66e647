// A person signed in as themselves in real Chromium: the sign-in link (as the CLI, the banner or
// the email gives it) lands in the admin app signed in, with a cookie the page cannot read, and
// signing out ends the session on the server.
import { describe, expect, it } from 'vitest';
import { createSignInLink, ensureMembership, ensureUser } from '../../server/src/auth/accounts.js';
import { primaryKind } from '../../server/test/support/database.js';
import { haveChromium, useAdminBrowser } from './support/browser.js';

describe.skipIf(!haveChromium)(`signed in as oneself in Chromium, on ${primaryKind}`, () => {
  // Its own database, server and browser context, as every browser file has; script errors fail the test.
  const browser = useAdminBrowser();

  it('follows a sign-in link into the app, signed in with an HttpOnly cookie; sign-out ends the session', async () => {
    const { page, t, url } = browser;
    const { user } = await ensureUser(t.app.db, { email: 'rae.researcher@acme.test', name: 'Rae' });
    await ensureMembership(t.app.db, { userId: user.id, workspaceId: t.workspace.workspaceId, role: 'researcher' });
    const link = await createSignInLink(t.app.db, url, { userId: user.id, workspaceId: t.workspace.workspaceId, ttlMs: 60_000 });

    await page.goto(link);
    await expect.poll(() => page.getByRole('heading', { name: 'This week', level: 1 }).isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toMatch(/^\/admin/);
    expect(await page.evaluate(() => document.cookie)).not.toContain('beckon_session');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // A reload asks the server again and stays signed in.
    await page.reload();
    await page.getByRole('heading', { name: 'This week', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Password').waitFor();
    await expect.poll(async () => (await t.app.db.query.sessions.findMany({ where: (row, { eq }) => eq(row.userId, user.id) })).length).toBe(0);
    await page.reload();
    await page.getByLabel('Password').waitFor();
  });
});
