// Bookings: a real booking (made through the booking link) listed in the PM's zone with its
// screener answers, cancelled; a past one marked completed.
import type { Study } from '@beckon/shared/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, inChromium, pageWidth, PHONE, useAdminBrowser } from '../support/browser.js';
import { addMaya, book, createChurnStudy, moveIntoPast, slotsOf } from '../support/fixtures.js';

describe.skipIf(!haveChromium)(inChromium('bookings'), () => {
  const browser = useAdminBrowser();
  let study: Study;
  beforeAll(async () => {
    const maya = await addMaya(browser);
    study = await createChurnStudy(browser, maya.id);
    await browser.signIn();
  });

  it('lists a real booking in the PM zone and cancels it; marks a past one completed', async () => {
    const { page, api, shot } = browser;
    const slots = await slotsOf(browser, study, 'America/New_York');
    expect(slots.length).toBeGreaterThan(1);
    await book(browser, study, slots[0]!.start, { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'America/New_York' });
    const pastId = await book(browser, study, slots[slots.length - 1]!.start, { name: 'Grace Hopper', email: 'grace@example.com', timeZone: 'America/New_York' });
    // Move one booking into the past, as if the interview happened yesterday.
    expect(pastId).toMatch(/^[0-9a-f-]{36}$/);
    await moveIntoPast(browser, pastId, 1);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bookings' }).click();
    await page.getByLabel('Times in').selectOption('Asia/Tokyo');
    const ada = page.getByRole('listitem', { name: /Ada Lovelace/ });
    await expect.poll(() => ada.textContent()).toContain('Why people churn');
    const tokyo = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' }).format(new Date(slots[0]!.start));
    expect(await ada.getByRole('heading').textContent()).toContain(tokyo);
    expect(await ada.textContent()).toContain('Maya Patel');
    expect(await ada.textContent()).toContain('America/New_York');
    expect(await ada.textContent()).toContain('Booking link (sales)');
    await ada.getByText('Screener answers').click();
    expect(await ada.textContent()).toContain('Too expensive');
    await shot('09-bookings-upcoming');
    await ada.getByRole('button', { name: 'Cancel the interview with Ada Lovelace' }).click();
    await ada.getByRole('button', { name: 'Yes, cancel it' }).click();
    await expect.poll(() => ada.locator('.badge').textContent()).toBe('Cancelled');

    await page.getByRole('button', { name: 'Past' }).click();
    const grace = page.getByRole('listitem', { name: /Grace Hopper/ });
    await grace.getByRole('button', { name: 'Mark the interview with Grace Hopper completed' }).click();
    await expect.poll(() => grace.locator('.badge').textContent()).toBe('Completed');
    await shot('10-bookings-past');
    const stored = (await api('GET', `/v1/admin/bookings?studyId=${study.id}`)).body.bookings as { participant: { name: string }; status: string }[];
    expect(Object.fromEntries(stored.map((b) => [b.participant.name, b.status]))).toEqual({ 'Ada Lovelace': 'cancelled', 'Grace Hopper': 'completed' });
  });

  it('works at 375 px wide', async () => {
    const { page, shot } = browser;
    await browser.onPhone(async () => {
      await page.goto(`${browser.url}/admin/bookings?view=past`);
      await page.getByRole('listitem', { name: /Grace Hopper/ }).waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await shot('14-mobile-bookings');
    });
  });
});
