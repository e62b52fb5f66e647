// A Microsoft 365 / Outlook calendar on the member screen, against the server talking to a local
// emulation of Microsoft's sign-in and Graph: the sign-in link, the member coming back from
// Microsoft, the account's calendars named and chosen (a read-only one refused as the interview
// calendar), a Teams study that needs no warning, and a broken connection's fix.
import type { Member, Study } from '@beckon/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphEmulator, type GraphEmulator } from '../../../server/test/calendars/support/graph-emulator.js';
import { haveChromium, inChromium, useAdminBrowser } from '../support/browser.js';
import { addMaya, createChurnStudy } from '../support/fixtures.js';

describe.skipIf(!haveChromium)(inChromium('Microsoft calendars'), () => {
  let graph: GraphEmulator;
  beforeAll(async () => {
    graph = await startGraphEmulator();
  });
  afterAll(async () => graph?.close());
  const browser = useAdminBrowser({
    config: () => ({
      microsoft: graph.client,
      microsoftEndpoints: { tenant: graph.tenant, authorityUrl: graph.authorityUrl, graphUrl: graph.graphUrl },
    }),
  });
  let maya: Member;
  let study: Study;

  beforeAll(async () => {
    maya = await addMaya(browser);
    study = await createChurnStudy(browser, maya.id);
    await browser.signIn();
  });

  it('connects Maya’s Outlook calendar through a Microsoft sign-in link, names its calendars and chooses them', async () => {
    const { page, api, shot } = browser;
    // Connecting lists the account's calendars first: more than expect.poll's 1 s default on a busy machine.
    const calendarPoll = { timeout: 10_000 };
    const research = graph.addCalendar(maya.email, 'Research interviews');
    const shared = graph.addCalendar(maya.email, "Ana's calendar", { canEdit: false });
    const main = graph.defaultCalendarId(maya.email);
    await page.goto(`${browser.url}/admin/members/${maya.id}`);
    const section = page.getByRole('region', { name: 'Calendars' });
    await section.getByRole('radio', { name: 'Microsoft 365 or Outlook' }).check();
    expect(await section.textContent()).toContain('signs in with their Microsoft 365 (work or school) or Outlook.com account');
    await section.getByRole('button', { name: 'Create a Microsoft sign-in link' }).click();
    const linkGroup = section.getByRole('group', { name: 'Microsoft sign-in link' });
    const href = (await linkGroup.getByRole('link').getAttribute('href', { timeout: 10_000 }))!;
    const signIn = new URL(href);
    expect(signIn.origin + signIn.pathname).toBe(`${graph.authorityUrl}/common/oauth2/v2.0/authorize`);
    expect(signIn.searchParams.get('login_hint')).toBe(maya.email);
    await shot('microsoft-1-sign-in-link');

    // Maya signs in and consents; Microsoft sends her browser back to Beckon with a code.
    const hers = await (await browser.newContext()).newPage();
    await hers.goto(`${browser.url}/v1/calendars/microsoft/callback?state=${encodeURIComponent(signIn.searchParams.get('state')!)}&code=${encodeURIComponent(graph.authorize(maya.email))}`);
    expect(await hers.getByRole('heading').textContent()).toBe('Calendar connected');

    await linkGroup.getByRole('button', { name: 'check again' }).click();
    const label = `${maya.email} (Microsoft)`;
    const card = page.getByRole('listitem', { name: label });
    // Named as the account names them, once listed (never by Graph's long ids).
    await expect.poll(() => card.textContent(), calendarPoll).toContain('Microsoft 365 / OutlookBusy timeCalendarInterviewsCalendar');
    expect(await card.textContent()).not.toContain('AAMk');
    await shot('microsoft-2-connected');

    await card.getByRole('button', { name: `Change calendars of ${label}` }).click();
    const change = card.getByRole('form', { name: `Calendars of ${label}` });
    const busy = change.getByRole('group', { name: 'Check for busy time' });
    const write = change.getByRole('group', { name: 'Add interviews to' });
    await busy.getByRole('checkbox', { name: 'Research interviews' }).check({ timeout: 10_000 });
    // Ana's calendar is shared with Maya read-only: it can count, but takes no interviews.
    await write.getByRole('radio', { name: "Ana's calendar" }).check();
    await change.getByRole('button', { name: 'Save calendars' }).click();
    await expect.poll(() => change.textContent(), calendarPoll).toContain('shared with the account read-only');
    await write.getByRole('radio', { name: 'Research interviews' }).check();
    await shot('microsoft-3-choose');
    await change.getByRole('button', { name: 'Save calendars' }).click();
    await expect.poll(() => section.getByRole('status').first().textContent(), calendarPoll).toBe(`Saved the calendars of ${label}.`);
    await expect.poll(() => card.textContent(), calendarPoll).toContain('Busy timeCalendar, Research interviewsInterviewsResearch interviews');
    const [connection] = (await api('GET', `/v1/admin/members/${maya.id}/calendars`)).body.calendars as { busyCalendarIds: string[]; writeCalendarId: string }[];
    expect(connection).toMatchObject({ busyCalendarIds: [main, research], writeCalendarId: research });
    expect(connection!.busyCalendarIds).not.toContain(shared);
  });

  it('offers Teams as a study’s meeting: with Maya’s Microsoft calendar there is nothing to warn about', async () => {
    const { page, api, shot } = browser;
    expect(study.warnings).toEqual([expect.objectContaining({ code: 'no_way_to_join', hostId: maya.id })]); // Meet, and no Google calendar
    await page.goto(`${browser.url}/admin/studies/${study.id}`);
    await expect.poll(() => page.getByText(/Maya Patel has no Google calendar connected to make the Meet link/).count()).toBe(1);
    await page.getByLabel('Meeting', { exact: true }).selectOption({ label: 'Microsoft Teams (link created per interview)' });
    expect(await page.getByLabel('Video link').count()).toBe(0); // the link is made per interview
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText('Saved.').count()).toBe(1);
    const saved = (await api('GET', `/v1/admin/studies/${study.id}`)).body as Study;
    expect(saved.meetingLocation).toEqual({ kind: 'microsoft_teams' });
    expect(saved.warnings).toEqual([]);
    await page.reload();
    await expect.poll(() => page.getByLabel('Meeting', { exact: true }).inputValue()).toBe('microsoft_teams');
    expect(await page.getByText(/has no (Google|Microsoft 365) calendar/).count()).toBe(0);
    await shot('microsoft-4-teams-study');
  });

  it('a broken Microsoft connection says how to fix it, and the Teams study warns meanwhile', async () => {
    const { page, database, shot } = browser;
    await database.db.execute(
      `update calendar_connections set status = 'broken', last_error = 'Microsoft token refresh: Microsoft refused the stored grant (invalid_grant: AADSTS50173: The provided grant has expired due to it being revoked.); reconnect the calendar' where member_id = '${maya.id}'`,
    );
    await page.goto(`${browser.url}/admin/members/${maya.id}`);
    const label = `${maya.email} (Microsoft)`;
    const card = page.getByRole('listitem', { name: label });
    await expect.poll(() => card.locator('.badge').textContent()).toBe('Broken');
    expect(await card.textContent()).toContain('AADSTS50173');
    expect(await card.textContent()).toContain('Create a new Microsoft sign-in link and have Maya Patel open it');
    await shot('microsoft-5-broken');
    await card.getByRole('button', { name: `Reconnect ${label}` }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Connect a calendar');
    expect(await page.getByRole('radio', { name: 'Microsoft 365 or Outlook' }).isChecked()).toBe(true);

    await page.goto(`${browser.url}/admin/studies/${study.id}`);
    await expect.poll(() => page.getByText(/Maya Patel has no Microsoft 365 calendar connected to make the Teams link/).count()).toBe(1);
  });
});
