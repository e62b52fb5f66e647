// The participant's own pages in real Chromium against the real server: the manage link's day
// picker and a cancel that asks first, with and without JavaScript, and the pages at a phone's
// width. Screenshots land in test/screenshots/ (with BECKON_SCREENSHOTS=1).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launch, open } from './support/browser.js';
import { startBeckon, type Beckon, type Workspace } from './support/beckon.js';

const ORIGIN = 'https://app.acme.test';
const PHONE = { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** Nothing wider than the viewport: no sideways scrolling on a phone. */
/** Whether a time label ("6:30 AM", "9:15 PM") is outside 07:00–21:00. */
const outsideWaking = (label: string) => {
  const [, hour, minute, half] = /(\d+):(\d\d)\s?(AM|PM)/.exec(label)!;
  const minutes = ((Number(hour) % 12) + (half == 'PM' ? 12 : 0)) * 60 + Number(minute);
  return minutes < 7 * 60 || minutes >= 21 * 60;
};

const overflow = (page: Page) =>
  page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth }));

describe.skipIf(!chromiumAvailable())('participant pages in Chromium', () => {
  let browser: Browser;
  let beckon: Beckon;
  let ws: Workspace;
  let study: { id: string; slug: string };

  beforeAll(async () => {
    [browser, beckon] = await Promise.all([launch(), startBeckon()]);
    ws = await beckon.workspace([ORIGIN]);
    await ws.admin('PATCH', '/v1/admin/workspace', { brandName: 'Acme Books' });
    const hostId = await ws.host('Maya');
    study = await ws.study([hostId], { name: 'Internal: churn cohort B', publicTitle: 'How invoicing works for you', slotStepMinutes: 30 });
  });
  afterAll(async () => {
    await browser?.close();
    await beckon?.close();
  });

  /** Books the first free slot after `hoursAhead` through the public API; the manage page's path. */
  async function book(timeZone: string, hoursAhead = 30): Promise<string> {
    const slots = await beckon.app.inject({ url: `/v1/w/${ws.publicKey}/studies/${study.id}/slots?tz=${timeZone}`, headers: { origin: ORIGIN } });
    const start = (slots.json().slots as { start: string }[]).find((slot) => Date.parse(slot.start) > Date.now() + hoursAhead * 3_600_000)!.start;
    const response = await beckon.app.inject({
      method: 'POST',
      url: `/v1/w/${ws.publicKey}/studies/${study.id}/bookings`,
      headers: { origin: ORIGIN },
      payload: { start, participant: { name: 'Ada Lovelace', email: `ada.${Math.random().toString(36).slice(2)}@example.test`, timeZone }, consent: true },
    });
    expect(response.statusCode).toBe(201);
    return new URL(response.json().booking.manageUrl).pathname;
  }

  for (const javaScriptEnabled of [true, false]) {
    it(`moves with the day picker and cancels only after confirming (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const path = await book('America/Los_Angeles');
      const w = await open(browser, { javaScriptEnabled, timezoneId: 'America/Los_Angeles' });
      const { page } = w;
      const started = performance.now();
      const response = await page.goto(`${beckon.origin}${path}`, { waitUntil: 'load' });
      const loadMs = Math.round(performance.now() - started);
      await page.reload({ waitUntil: 'load' });
      const timing = await page.evaluate(() => {
        const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
        return { response: Math.round(nav!.responseEnd - nav!.requestStart), load: Math.round(nav!.loadEventEnd - nav!.startTime) };
      });
      console.log(`manage page (JavaScript ${javaScriptEnabled ? 'on' : 'off'}): first load ${loadMs} ms in a fresh tab; reloaded: ${timing.response} ms to the last byte, load event at ${timing.load} ms; one request, no redirect`);
      expect(response?.request().redirectedFrom()).toBeNull(); // no zone redirect
      expect(page.url()).toBe(`${beckon.origin}${path}`);
      await expect(page.title()).resolves.toBe('How invoicing works for you · Acme Books');
      expect(await page.content()).not.toContain('churn cohort');
      await expect(page.getByText('Los Angeles (PT)').first().isVisible()).resolves.toBe(true);

      // The whole 14-day window, one tab per day; by default only 07:00–21:00 local.
      const tabs = page.locator('nav.days > .day');
      expect(await tabs.count()).toBeGreaterThanOrEqual(14);
      const times = async () => page.locator('.slots label span').allTextContents();
      const firstDay = await times();
      expect(firstDay.length).toBeGreaterThan(0);
      expect(firstDay.some(outsideWaking)).toBe(false);
      await w.shot(`manage-page-js-${javaScriptEnabled ? 'on' : 'off'}`);

      const target = page.locator('nav.days a.day').nth(4);
      const targetLabel = (await target.textContent())!.replace(/\s+/g, ' ').trim();
      await target.click();
      await page.waitForLoadState('load');
      await expect(page.locator('nav.days a.day[aria-current]').textContent().then((text) => text!.replace(/\s+/g, ' ').trim())).resolves.toBe(targetLabel);
      expect(await page.locator('.slots input[type=radio]').count()).toBe(28); // 07:00–21:00 in half hours
      await page.getByText('Show early and late times too').click();
      await page.waitForLoadState('load');
      expect(await page.locator('.slots input[type=radio]').count()).toBe(48); // the whole day
      await page.locator('.slots label', { hasText: /^\s*10:00 AM\s*$/ }).click();
      await page.getByRole('button', { name: 'Move my interview' }).click();
      await page.waitForLoadState('load');
      await expect(page.getByRole('status').textContent()).resolves.toContain('your interview has a new time');
      expect(await page.locator('p strong').first().textContent()).toContain('10:00');

      // Cancel asks first, with room for a reason; "No, keep it" keeps it.
      await page.getByRole('button', { name: 'Cancel the interview…' }).click();
      await page.waitForLoadState('load');
      await expect(page.getByRole('heading', { name: 'Cancel this interview?' }).isVisible()).resolves.toBe(true);
      await w.shot(`manage-cancel-confirm-js-${javaScriptEnabled ? 'on' : 'off'}`);
      await page.getByRole('link', { name: 'No, keep it' }).click();
      await page.waitForLoadState('load');
      await expect(page.getByRole('link', { name: 'Join the call' }).isVisible()).resolves.toBe(true);
      await page.getByRole('button', { name: 'Cancel the interview…' }).click();
      await page.waitForLoadState('load');
      await page.getByLabel(/Anything you'd like to tell/).fill('My plans changed');
      await page.getByRole('button', { name: 'Yes, cancel it' }).click();
      await page.waitForLoadState('load');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Cancelled: How invoicing works for you');
      expect(await page.getByRole('link', { name: 'Join the call' }).count()).toBe(0);
      expect(await page.content()).not.toContain('meet.example.test');
      const [row] = await beckon.query(`select status, cancel_reason from bookings where status = 'cancelled' order by updated_at desc limit 1`);
      expect(row).toMatchObject({ status: 'cancelled', cancel_reason: 'My plans changed' });
      await w.shot(`manage-cancelled-js-${javaScriptEnabled ? 'on' : 'off'}`);
      expect(w.errors).toEqual([]);
      await w.close();
    });
  }

  it('fits a phone: the hosted page without JavaScript and the manage page at 375 px', async () => {
    const noJs = await open(browser, { ...PHONE, javaScriptEnabled: false, timezoneId: 'America/Los_Angeles' });
    await noJs.page.goto(`${beckon.origin}/b/${study.slug}`, { waitUntil: 'load' });
    // Without JavaScript the page asks for the zone instead of assuming one.
    await expect(noJs.page.getByLabel('Your time zone').inputValue()).resolves.toBe('');
    await noJs.page.getByLabel('Your time zone').selectOption('America/Los_Angeles');
    await noJs.page.getByRole('button', { name: 'Show times' }).click();
    await noJs.page.waitForLoadState('load');
    expect(await noJs.page.locator('nav.days > .day').count()).toBeGreaterThanOrEqual(14);
    const hosted = await overflow(noJs.page);
    expect(hosted.scroll).toBeLessThanOrEqual(hosted.viewport);
    for (const box of await noJs.page.locator('nav.days > .day').evaluateAll((tabs) => tabs.map((tab) => tab.getBoundingClientRect().toJSON() as DOMRect))) {
      expect(box.right).toBeLessThanOrEqual(375);
      expect(box.width).toBeGreaterThanOrEqual(44); // a finger's width
    }
    await noJs.shot('hosted-page-phone-no-js');
    await noJs.close();

    // With JavaScript the widget's own flow: day tabs that wrap inside 375 px, zones named as people know them, waking hours first.
    const widgetPage = await open(browser, { ...PHONE, timezoneId: 'America/Los_Angeles' });
    await widgetPage.page.goto(`${beckon.origin}/b/${study.slug}`, { waitUntil: 'load' });
    await expect.poll(() => widgetPage.page.getByRole('tab').count(), { timeout: 10_000 }).toBeGreaterThan(7);
    const tabBoxes = await widgetPage.page.getByRole('tab').evaluateAll((tabs) => tabs.map((tab) => tab.getBoundingClientRect().toJSON() as DOMRect));
    for (const box of tabBoxes) {
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(375);
    }
    await expect(widgetPage.page.locator('#beckon-tz option:checked').textContent()).resolves.toBe('Los Angeles (PT)');
    const labels = await widgetPage.page.locator('.times button').allTextContents();
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.some(outsideWaking)).toBe(false);
    const shownBefore = labels.length;
    await widgetPage.page.getByRole('button', { name: /^Show all times/ }).tap();
    expect((await widgetPage.page.locator('.times button').allTextContents()).some(outsideWaking)).toBe(true);
    expect(shownBefore).toBeGreaterThan(0);
    await widgetPage.page.getByRole('button', { name: 'Only 7:00–21:00' }).tap();
    await widgetPage.page.getByRole('tab').first().scrollIntoViewIfNeeded();
    await widgetPage.page.evaluate(() => scrollTo(0, 0));
    await widgetPage.shot('hosted-page-phone-widget');
    expect((await overflow(widgetPage.page)).scroll).toBeLessThanOrEqual(375);
    expect(widgetPage.errors).toEqual([]);
    await widgetPage.close();

    // With JavaScript, the zone select is preselected with the browser's zone, without a reload.
    const js = await open(browser, { ...PHONE, timezoneId: 'Asia/Tokyo' });
    const path = await book('Asia/Tokyo');
    await js.page.goto(`${beckon.origin}${path}`, { waitUntil: 'load' });
    const manage = await overflow(js.page);
    expect(manage.scroll).toBeLessThanOrEqual(manage.viewport);
    await js.shot('manage-page-phone');
    expect(js.errors).toEqual([]);
    await js.close();
  });
});
