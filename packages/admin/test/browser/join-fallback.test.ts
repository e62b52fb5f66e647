// A way to join, in the admin app: a Google Meet study whose interviewer has no Google calendar
// is saved with a warning (not refused); the interviewer's page takes a fallback, and the study
// then says their participants get it instead.
import type { Member, Study } from '@beckon/shared/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, inChromium, useAdminBrowser } from '../support/browser.js';
import { addMaya, createChurnStudy } from '../support/fixtures.js';

describe.skipIf(!haveChromium)(inChromium('join fallback'), () => {
  const browser = useAdminBrowser();
  let study: Study;
  let maya: Member;

  beforeAll(async () => {
    maya = await addMaya(browser);
    study = await createChurnStudy(browser, maya.id);
    expect(study.meetingLocation.kind).toBe('google_meet');
    expect(study.warnings).toEqual([expect.objectContaining({ code: 'no_way_to_join', hostId: maya.id })]);
    await browser.signIn();
  });

  it('warns on the study, takes a fallback on the interviewer, and the warning follows', async () => {
    const { page, api, shot } = browser;
    await page.goto(`${browser.url}/admin/studies/${study.id}`);
    const warning = page.getByText('Maya Patel has no fallback');
    await expect.poll(() => warning.count()).toBe(1);
    expect(await page.getByText(/Maya Patel has no Google calendar connected to make the Meet link/).count()).toBe(1);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText('Saved.').count()).toBe(1); // saved, not refused
    await shot('17-study-no-way-to-join');

    await page.goto(`${browser.url}/admin/members/${maya.id}`);
    await page.getByLabel('Participants get').selectOption({ label: 'Personal meeting link' });
    await page.getByLabel('Personal meeting link').fill('http://rooms.example.test/maya');
    await page.getByRole('button', { name: 'Save details' }).click();
    await expect.poll(() => page.getByText(/https link/).count()).toBeGreaterThan(0); // the server names the field
    await page.getByLabel('Personal meeting link').fill('https://rooms.example.test/maya');
    await page.getByRole('button', { name: 'Save details' }).click();
    await expect.poll(async () => ((await api('GET', '/v1/admin/members')).body.members as Member[]).find((m) => m.id === maya.id)?.joinFallback).toEqual({
      kind: 'video_url',
      details: 'https://rooms.example.test/maya',
    });
    await shot('18-member-join-fallback');

    await page.goto(`${browser.url}/admin/studies/${study.id}`);
    await expect.poll(() => page.getByText(/Maya Patel's participants get their personal meeting link instead/).count()).toBe(1);
    expect(await page.getByText('Maya Patel has no fallback').count()).toBe(0);
  });
});
