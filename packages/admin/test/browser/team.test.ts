// The team: an owner invites a viewer and an interviewer, each follows the invitation link from
// the outbox in a browser of their own and sees an app limited to their role, and the server
// refuses what the app hides; the owner changes a role (that person is signed out at once),
// removes someone after a question, and revokes an open invitation.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { addMaya, createChurnStudy } from '../support/fixtures.js';
import { haveChromium, inChromium, useAdminBrowser } from '../support/browser.js';

/** What the signed-in page may do, asked of the server with its own cookie and CSRF token. */
async function statusOf(page: Page, method: string, url: string, body?: object): Promise<number> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const session = await (await fetch('/v1/auth/session')).json();
      const response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: body ? JSON.stringify(body) : null,
      });
      return response.status;
    },
    { method, url, body },
  );
}

const navLinks = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();

describe.skipIf(!haveChromium)(inChromium('team'), () => {
  const browser = useAdminBrowser();
  let studyId: string;
  beforeAll(async () => {
    const maya = await addMaya(browser);
    studyId = (await createChurnStudy(browser, maya.id)).id;
    await browser.signIn();
  });

  async function invite(email: string, role: string) {
    const { page } = browser;
    const form = page.getByRole('form', { name: 'Invite someone' });
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Role', { exact: true }).selectOption(role);
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: `Invitation sent to ${email}` }).count()).toBe(1);
    await page.getByRole('row', { name: new RegExp(email) }).waitFor();
  }

  /** Follows the invitation link from the outbox in a browser of its own; the page, signed in. */
  async function accept(email: string): Promise<Page> {
    const mail = await browser.latestMailTo(email);
    expect(mail?.subject).toBeTruthy();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(browser.linkIn(mail!.text, '/v1/auth/invitation?token='));
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    return page;
  }

  it('invites a viewer, who follows the link and sees an app with nothing to change; the server refuses changes', async () => {
    const { page, shot } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
    await page.getByRole('heading', { name: 'Team', level: 1 }).waitFor();
    expect(await page.getByRole('row', { name: /Olivia Owner/ }).textContent()).toContain('You');
    await invite('vic.viewer@acme.test', 'viewer');
    await shot('20-team-invited');

    const viewer = await accept('vic.viewer@acme.test');
    expect(await navLinks(viewer)).toEqual(['This week', 'Studies', 'Members', 'Bookings', 'Incentives']);
    expect(await viewer.getByRole('banner').textContent()).toContain('Viewer');
    await viewer.getByRole('link', { name: 'Why people churn' }).first().waitFor();
    expect(await viewer.getByRole('link', { name: 'New study' }).count()).toBe(0);
    await viewer.goto(`${browser.url}/admin/studies/${studyId}`);
    await viewer.getByText('Your role can see this but not change it.').waitFor();
    expect(await viewer.getByRole('button', { name: /Save|Create|Delete/ }).count()).toBe(0);
    await viewer.goto(`${browser.url}/admin/members`);
    await viewer.getByRole('row', { name: /Maya Patel/ }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Add member' }).count()).toBe(0);
    await viewer.goto(`${browser.url}/admin/team`);
    await viewer.getByRole('heading', { name: 'Not available to your role' }).waitFor();
    await shot('21-viewer-not-allowed', { page: viewer });

    expect(await statusOf(viewer, 'PATCH', `/v1/admin/studies/${studyId}`, { name: 'Renamed' })).toBe(403);
    expect(await statusOf(viewer, 'POST', '/v1/admin/team/invitations', { email: 'x@acme.test', role: 'viewer' })).toBe(403);
    expect(await statusOf(viewer, 'GET', '/v1/admin/audit-log')).toBe(403);
    expect(await statusOf(viewer, 'GET', `/v1/admin/studies/${studyId}`)).toBe(200);
  });

  it('invites an interviewer, who sees no Team or Settings; the server refuses settings and studies', async () => {
    const { page } = browser;
    await invite('maya@acme.test', 'interviewer');
    const interviewer = await accept('maya@acme.test');
    expect(await navLinks(interviewer)).not.toContain('Team');
    expect(await navLinks(interviewer)).not.toContain('Settings');
    expect(await statusOf(interviewer, 'PATCH', '/v1/admin/workspace', { name: 'Mine now' })).toBe(403);
    expect(await statusOf(interviewer, 'POST', '/v1/admin/studies', {})).toBe(403);
    // Accepted invitations leave the open list.
    await page.reload();
    await page.getByRole('heading', { name: 'Open invitations' }).waitFor();
    const open = page.getByRole('region', { name: 'Open invitations' });
    await expect.poll(() => open.getByRole('row', { name: /maya@acme\.test/ }).count()).toBe(0);
    expect(await page.getByRole('row', { name: /maya@acme\.test/ }).textContent()).toContain('Interviewer');
  });

  it('changes a role (the person is signed out at once), removes someone after a question, revokes an invitation', async () => {
    const { page, shot } = browser;
    const viewerContext = await browser.newContext();
    const viewerPage = await viewerContext.newPage();
    // The viewer signs in again in a fresh browser with a link, then their role changes under them.
    await viewerPage.goto(`${browser.url}/admin`);
    await viewerPage.getByLabel('Email').fill('vic.viewer@acme.test');
    await viewerPage.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await viewerPage.getByText('Check your email').waitFor();
    const mail = await browser.latestMailTo('vic.viewer@acme.test');
    await viewerPage.goto(browser.linkIn(mail!.text, '/v1/auth/sign-in?token='));
    await viewerPage.getByRole('navigation', { name: 'Main' }).waitFor();

    const row = page.getByRole('row', { name: /vic\.viewer@acme\.test/ }).first();
    await row.getByRole('combobox', { name: /Role of/ }).selectOption('researcher');
    await row.getByRole('button', { name: /Change the role of/ }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'is now researcher' }).count()).toBe(1);
    expect(await statusOf(viewerPage, 'GET', '/v1/admin/studies')).toBe(401);

    await row.getByRole('button', { name: /^Remove/ }).click();
    const question = page.getByRole('group', { name: /Confirm removing/ });
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/^Remove /);
    await shot('22-team-remove-question');
    await question.getByRole('button', { name: /^Remove/ }).click();
    await expect.poll(() => page.getByRole('row', { name: /vic\.viewer@acme\.test/ }).count()).toBe(0);
    expect((await browser.api('GET', '/v1/admin/team')).body.team.map((p: { email: string }) => p.email)).not.toContain('vic.viewer@acme.test');

    await invite('late.larry@acme.test', 'researcher');
    await page.getByRole('button', { name: 'Revoke the invitation to late.larry@acme.test' }).click();
    await page.getByRole('button', { name: 'Revoke invitation' }).click();
    await expect.poll(() => page.getByRole('row', { name: /late\.larry/ }).count()).toBe(0);
    const invitations = (await browser.api('GET', '/v1/admin/team/invitations')).body.invitations as { email: string; revokedAt: string | null }[];
    expect(invitations.find((i) => i.email === 'late.larry@acme.test')?.revokedAt).toBeTruthy();
    await shot('23-team');
  });
});
