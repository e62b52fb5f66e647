// Members: adding one (a taken email is refused at its field) and setting their availability.
import { beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, inChromium, pageWidth, PHONE, useAdminBrowser } from '../support/browser.js';

describe.skipIf(!haveChromium)(inChromium('members'), () => {
  const browser = useAdminBrowser();
  beforeAll(() => browser.signIn());

  it('adds a member (a taken email is shown at the Email field) and sets their availability', async () => {
    const { page, api, shot } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
    await page.getByLabel('Name').fill('Maya Patel');
    await page.getByLabel('Email').fill('maya@acme.test');
    await page.getByLabel('Role').selectOption('interviewer');
    await page.getByLabel('Time zone').selectOption('Europe/Berlin');
    await page.getByRole('button', { name: 'Add member' }).click();
    await expect.poll(() => page.getByRole('row', { name: /Maya Patel/ }).textContent()).toContain('Europe/Berlin');
    expect(await page.getByRole('link', { name: 'Set Maya Patel’s availability' }).isVisible()).toBe(true);

    await page.getByLabel('Name').fill('Maya again');
    await page.getByLabel('Email').fill('MAYA@acme.test');
    await page.getByRole('button', { name: 'Add member' }).click();
    const emailField = page.locator('[data-field="email"]');
    await expect.poll(() => emailField.locator('.error').textContent()).toContain('A member with this email already exists');
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await shot('03-members-email-taken');

    await page.getByRole('link', { name: 'Calendars and availability of Maya Patel' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Maya Patel');
    await page.getByRole('checkbox', { name: 'Monday' }).check();
    await page.getByRole('button', { name: 'Copy to Tuesday–Friday' }).click();
    // Wednesday: a second stretch in the evening, and a wrong one first
    await page.getByRole('button', { name: 'Add hours on Wednesday' }).click();
    const evening = page.getByRole('group', { name: 'Wednesday hours 2' });
    await evening.getByLabel('From').fill('19:00');
    await evening.getByLabel('To').fill('18:00');
    await page.getByRole('button', { name: 'Add a date override' }).click();
    await page.getByLabel('Buffer after').fill('10');
    await page.getByLabel('Minimum notice').fill('60');
    await page.getByLabel('Booking window').fill('30');
    await page.getByLabel('At most per day').fill('3');
    await page.getByRole('button', { name: 'Save availability' }).click();
    await expect.poll(() => evening.locator('.error').textContent()).toContain('Wednesday, hours 2: the end must be after the start');
    await shot('04-availability-problem');

    await evening.getByLabel('To').fill('21:00');
    await page.getByRole('button', { name: 'Save availability' }).click();
    await expect.poll(() => page.getByText('Availability saved.').isVisible()).toBe(true);
    await shot('05-availability-saved');

    const members = (await api('GET', '/v1/admin/members')).body.members as { id: string; name: string }[];
    const maya = members.find((m) => m.name === 'Maya Patel')!;
    const saved = (await api('GET', `/v1/admin/members/${maya.id}/availability`)).body;
    expect(saved).toMatchObject({ timeZone: 'Europe/Berlin', bufferAfterMinutes: 10, minimumNoticeMinutes: 60, bookingWindowDays: 30, maxPerDay: 3, maxPerWeek: null });
    expect(saved.weekly).toEqual([
      { weekday: 1, start: '09:00', end: '17:00' },
      { weekday: 2, start: '09:00', end: '17:00' },
      { weekday: 3, start: '09:00', end: '17:00' },
      { weekday: 3, start: '19:00', end: '21:00' },
      { weekday: 4, start: '09:00', end: '17:00' },
      { weekday: 5, start: '09:00', end: '17:00' },
    ]);
    expect(saved.overrides).toHaveLength(1);
    expect(saved.overrides[0].intervals).toEqual([]);
  });

  it('works at 375 px wide: the list and the availability editor', async () => {
    const { page, shot } = browser;
    await browser.onPhone(async () => {
      await page.goto(`${browser.url}/admin/members`);
      await page.getByRole('row', { name: /Maya Patel/ }).waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await shot('13-mobile-members');

      await page.getByRole('link', { name: 'Maya Patel' }).first().click();
      await page.getByRole('heading', { name: 'Availability' }).waitFor();
      await page.getByRole('region', { name: 'Calendars' }).getByText('No calendar connected yet').waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await shot('15-mobile-availability');
    });
  });
});
