// A study's funnel: the steps from eligible to attended, and where bookings came from.
import type { Study } from '@beckon/shared/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, inChromium, useAdminBrowser } from '../support/browser.js';
import { adaCancelledGraceCompleted, addMaya, createChurnStudy } from '../support/fixtures.js';

describe.skipIf(!haveChromium)(inChromium('funnel'), () => {
  const browser = useAdminBrowser();
  let study: Study;
  beforeAll(async () => {
    const maya = await addMaya(browser);
    study = await createChurnStudy(browser, maya.id);
    await adaCancelledGraceCompleted(browser, study);
    await browser.signIn();
  });

  it('shows the funnel of a study with two bookings, one attended, and where they came from', async () => {
    const { page, shot } = browser;
    await page.goto(`${browser.url}/admin/studies/${study.id}/funnel`);
    const table = page.getByRole('table');
    await expect.poll(() => table.getByRole('row', { name: /Booked/ }).textContent()).toContain('2');
    expect(await table.getByRole('row', { name: /Attended/ }).textContent()).toMatch(/Attended1(50%|—)/);
    expect(await table.locator('tbody tr').count()).toBe(6);
    expect(await page.getByRole('heading', { name: 'Where bookings came from' }).isVisible()).toBe(true);
    await shot('11-funnel');
  });
});
