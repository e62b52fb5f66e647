// Zoom in the admin app, against the server's local emulation of Zoom's OAuth and REST
// endpoints: a Zoom study whose interviewer has no Zoom warns and hides the link field; the
// interviewer's page makes a sign-in link, the member signs in with Zoom (the emulation's consent),
// the page shows the account, and disconnecting it brings the warning back.
import type { Member, Study } from '@beckon/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZoomEmulator, type ZoomEmulator } from '../../../server/test/calendars/support/zoom-emulator.js';
import { haveChromium, inChromium, useAdminBrowser } from '../support/browser.js';
import { addMaya, createChurnStudy } from '../support/fixtures.js';

describe.skipIf(!haveChromium)(inChromium('member Zoom'), () => {
  let zoom: ZoomEmulator;
  beforeAll(async () => {
    zoom = await startZoomEmulator();
  });
  afterAll(() => zoom?.close());
  const browser = useAdminBrowser({ config: () => ({ zoom: { ...zoom.client, oauthUrl: zoom.url, apiUrl: zoom.apiUrl } }) });
  let maya: Member;
  let study: Study;

  beforeAll(async () => {
    maya = await addMaya(browser);
    study = await createChurnStudy(browser, maya.id);
    await browser.signIn();
  });

  it('a Zoom study warns until its interviewer connects Zoom through a sign-in link; the member page shows and disconnects the account', async () => {
    const { page, api, shot } = browser;
    await page.goto(`${browser.url}/admin/studies/${study.id}`);
    const meeting = page.getByLabel('Meeting', { exact: true });
    await meeting.selectOption({ label: 'Zoom (meeting created per interview)' });
    expect(await page.getByLabel('Video link').count()).toBe(0); // Zoom makes the link; nothing to type
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText(/Maya Patel has no Zoom account connected to make the meeting/).count()).toBe(1);
    expect((await api('GET', `/v1/admin/studies/${study.id}`)).body.meetingLocation).toEqual({ kind: 'zoom' });

    await page.goto(`${browser.url}/admin/members/${maya.id}`);
    const section = page.getByRole('region', { name: 'Zoom' });
    await expect.poll(() => section.textContent()).toContain('Not connected');
    await section.getByRole('button', { name: 'Create a Zoom sign-in link' }).click();
    const link = section.getByRole('link', { name: /oauth\/authorize/ });
    await expect.poll(() => link.count()).toBe(1);
    const consent = new URL((await link.getAttribute('href'))!);
    expect(`${consent.origin}${consent.pathname}`).toBe(`${zoom.url}/oauth/authorize`);
    await shot('zoom-1-sign-in-link');

    // Maya allows the app on Zoom's page; Zoom sends her browser back to Beckon with a code.
    const code = zoom.authorize('maya.zoom@acme.test', consent.searchParams.get('redirect_uri')!);
    const back = await page.goto(`${browser.url}/v1/zoom/callback?state=${encodeURIComponent(consent.searchParams.get('state')!)}&code=${code}`);
    expect(back?.status()).toBe(200);
    expect(await page.textContent('h1')).toBe('Zoom connected');

    await page.goto(`${browser.url}/admin/members/${maya.id}`);
    const card = section.getByRole('listitem', { name: 'maya.zoom@acme.test' });
    await expect.poll(() => card.locator('.badge').textContent()).toBe('Connected');
    await shot('zoom-2-connected');
    await page.goto(`${browser.url}/admin/studies/${study.id}`);
    await page.getByLabel('Meeting', { exact: true }).waitFor();
    expect(await page.getByText(/no Zoom account connected/).count()).toBe(0);

    await page.goto(`${browser.url}/admin/members/${maya.id}`);
    await card.getByRole('button', { name: 'Disconnect Zoom maya.zoom@acme.test' }).click();
    await page.getByRole('group', { name: 'Confirm disconnecting Zoom maya.zoom@acme.test' }).getByRole('button', { name: 'Yes, disconnect' }).click();
    await expect.poll(() => section.getByRole('status').textContent()).toBe('Disconnected Zoom.');
    await expect.poll(() => section.textContent()).toContain('Not connected');
    expect((await api('GET', `/v1/admin/members/${maya.id}/zoom`)).body).toEqual({ zoom: null, configured: true });
  });
});
