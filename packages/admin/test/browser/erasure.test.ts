// Privacy: erasing a participant who asks to be forgotten, on its own screen, reached from the main
// navigation and from Settings.
import { beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, inChromium, pageWidth, PHONE, useAdminBrowser } from '../support/browser.js';
import { adaCancelledGraceCompleted, addMaya, createChurnStudy } from '../support/fixtures.js';

describe.skipIf(!haveChromium)(inChromium('participant erasure'), () => {
  const browser = useAdminBrowser();
  beforeAll(async () => {
    const maya = await addMaya(browser);
    // Ada Lovelace's interview was cancelled: erasing her cancels nothing, and the booking keeps counting.
    await adaCancelledGraceCompleted(browser, await createChurnStudy(browser, maya.id));
    await browser.signIn();
  });

  it('is linked from Settings; someone unknown is said so at the field; a participant is erased after confirming', async () => {
    const { page, api, shot } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Participants’ data' }).waitFor({ timeout: 30_000 }); // Settings' first visit fetches its screen
    await page.getByRole('link', { name: 'erase a participant' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName + ' ' + document.activeElement?.textContent)).toBe('H1 Privacy');
    expect(new URL(page.url()).pathname).toBe('/admin/privacy');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Privacy' }).getAttribute('aria-current')).toBe('page');

    // Someone unknown is said so at the field; Ada is erased after confirming.
    const erase = page.getByRole('form', { name: 'Erase a participant' });
    await erase.getByLabel('Email').fill('nobody@example.com');
    await erase.getByRole('button', { name: 'Erase…' }).click();
    await erase.getByRole('button', { name: 'Yes, erase' }).click();
    await expect.poll(() => erase.locator('[data-field="email"] .error').textContent()).toContain('No participant with this email');
    await erase.getByLabel('Email').fill('Ada@Example.com');
    await erase.getByRole('button', { name: 'Erase…' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, erase');
    await shot('privacy-1-erase-confirm');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('region', { name: 'Erase a participant' }).getByRole('status').first().textContent()).toBe(
      'Erased Ada@Example.com; 1 booking keeps counting without them.',
    );
    const adaBookings = ((await api('GET', '/v1/admin/bookings')).body.bookings as { participant: { name: string | null; email: string | null } }[]).filter((b) => b.participant.email === null);
    expect(adaBookings).toHaveLength(1);
    expect(JSON.stringify((await api('GET', '/v1/admin/bookings')).body)).not.toContain('ada@example.com');
  });

  it('has an address of its own, and works at 375 px wide', async () => {
    const { page, shot } = browser;
    await browser.onPhone(async () => {
      await page.goto(`${browser.url}/admin/privacy`);
      await page.getByRole('form', { name: 'Erase a participant' }).waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await shot('privacy-2-mobile');
    });
  });
});
