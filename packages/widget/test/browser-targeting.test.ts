// The widget in real Chromium, against the real Beckon server (buildApp on PostgreSQL, else
// PGlite), embedded in a product site on another origin under a strict Content-Security-Policy:
// who is shown a study and when (segments, "Not now", single-page apps' routes, consent, delay and
// page-view triggers). The browser suite is in several files, which run side by side
// (test/support/suite.ts).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, decided, loaderRan, open } from './support/browser.js';
import type { Beckon } from './support/beckon.js';
import type { Host, PageOptions } from './support/host.js';
import { intercept, recentSignup, setupStudy, startSuite, stopSuite, studyEvents, widget } from './support/suite.js';

describe.skipIf(!chromiumAvailable())('widget in Chromium: targeting and triggers', () => {
  let browser: Browser;
  let beckon: Beckon;
  let host: Host;

  beforeAll(async () => {
    ({ browser, beckon, host } = await startSuite());
  });
  afterAll(() => stopSuite({ browser, beckon, host }));
  const setup = (fields: Record<string, unknown>, page: Partial<PageOptions> = {}) => setupStudy({ browser, beckon, host }, fields, page);
  const events = (studyId: string) => studyEvents(beckon, studyId);

  it('never shows a study to someone outside its segment (show() previews it, recording nothing)', async () => {
    const { studyId } = await setup(
      { targeting: { trait: 'signedUpAt', op: 'within_last_days', value: 14 } },
      { calls: `beckon('identify', 'user-old', { signedUpAt: '2024-01-05T10:00:00Z' });` },
    );
    const w = await open(browser);
    const config = w.page.waitForResponse((r) => /\/config(\?|$)/.test(r.url()));
    await w.page.goto(`${host.origin}/app/dashboard`);
    expect((await config).status()).toBe(200);
    await decided(w.page);
    expect(await widget(w.page).count()).toBe(0);
    expect(await w.page.evaluate(() => document.querySelectorAll('script[src*="/beckon-ui."]').length)).toBe(0);

    // show() previews it anyway, and records nothing.
    await w.page.evaluate((id) => (window as any).beckon('show', id), studyId);
    await expect.poll(() => intercept(w.page).isVisible()).toBe(true);
    await intercept(w.page).getByRole('button', { name: 'Not now' }).click();
    await w.page.waitForTimeout(1500);
    expect(await events(studyId)).toEqual([]);
    expect(w.errors).toEqual([]);
    await w.close();
  });

  it('"Not now" keeps the study hidden on reload, and records it; the reload does not even fetch the rules', async () => {
    const { studyId } = await setup({}, { calls: recentSignup() });
    const w = await open(browser);
    const chunks: string[] = [];
    w.page.on('request', (r) => {
      const chunk = /\/beckon-(rules|ui)\.[0-9a-f]+\.js$/.exec(r.url())?.[1];
      if (chunk) chunks.push(chunk);
    });
    await w.page.goto(`${host.origin}/app/dashboard`);
    await intercept(w.page).getByRole('button', { name: 'Not now' }).click();
    await expect.poll(() => widget(w.page).count()).toBe(0);
    const saved = await w.page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('beckon_'))?.[1]);
    expect(JSON.parse(saved!).s.snoozedUntil).toHaveProperty(studyId);
    expect(chunks).toEqual(['rules', 'ui']);
    chunks.length = 0;
    const config = w.page.waitForResponse((r) => /\/config(\?|$)/.test(r.url()));
    await w.page.reload();
    await config;
    await w.page.waitForTimeout(1000);
    expect(await widget(w.page).count()).toBe(0);
    // Snoozed and inside the recontact window: the precheck in the loader rules every study out.
    expect(chunks).toEqual([]);
    await expect.poll(() => events(studyId)).toEqual(['eligible', 'shown', 'snoozed']);
    expect(w.errors).toEqual([]);
    await w.close();
  });

  it('single-page apps: a route change shows the study its URL rule matches, and hides it when the rule stops matching', async () => {
    const { studyId } = await setup(
      { triggers: [{ kind: 'url', match: 'glob', pattern: '/app/*' }] },
      // A router that kept the original pushState before Beckon loaded keeps working.
      { calls: recentSignup(), before: 'window.routerPush = history.pushState.bind(history);' },
    );
    const w = await open(browser);
    const { page } = w;
    const config = page.waitForResponse((r) => /\/config(\?|$)/.test(r.url()));
    await page.goto(`${host.origin}/home`);
    await config;
    await page.waitForTimeout(500);
    expect(await widget(page).count()).toBe(0);

    await page.evaluate(() => history.pushState({}, '', '/app/reports'));
    await expect.poll(() => intercept(page).isVisible()).toBe(true);
    await w.shot('07-spa-shown');

    // The host's own Settings button (pushState) leaves /app/*: the intercept goes away.
    await page.locator('#to-settings').click();
    await expect.poll(() => widget(page).count()).toBe(0);
    expect(page.url()).toBe(`${host.origin}/settings`);
    await w.shot('08-spa-hidden');

    // The original pushState, kept by the router, popstate and hashchange all still work.
    await page.evaluate(() => (window as any).routerPush({}, '', '/app/kept'));
    expect(page.url()).toBe(`${host.origin}/app/kept`);
    await page.goBack();
    await page.evaluate(() => (location.hash = '#tab'));
    await expect.poll(() => page.url()).toBe(`${host.origin}/settings#tab`);
    expect(await page.evaluate(() => [(history.pushState as any).beckon, (history.replaceState as any).beckon])).toEqual([1, 1]);
    await expect.poll(() => events(studyId)).toEqual(['eligible', 'shown']);
    expect(w.errors).toEqual([]);
    await w.close();
  });

  it('with requireConsent: nothing fetched, stored or shown before consent(true); consent(false) removes it all', async () => {
    const { studyId } = await setup({ triggers: [{ kind: 'delay', seconds: 1 }] }, { calls: recentSignup(), init: { requireConsent: true } });
    const w = await open(browser);
    const requests: string[] = [];
    w.page.on('request', (r) => void requests.push(r.url()));
    await w.page.goto(`${host.origin}/app/dashboard`);
    await loaderRan(w.page);
    await w.page.waitForTimeout(1500);
    expect(requests.filter((u) => u.includes('/v1/'))).toEqual([]);
    expect(await w.page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);

    // Consent given: the delay trigger (1 s after the page view) holds at once.
    await w.page.evaluate(() => (window as any).beckon('consent', true));
    await expect.poll(() => intercept(w.page).isVisible()).toBe(true);
    expect(await w.page.evaluate(() => localStorage.length)).toBe(1);

    // Don't ask me again: stored, recorded; then consent withdrawn: hidden and forgotten.
    await intercept(w.page).getByRole('button', { name: 'Don’t ask me again' }).click();
    expect(JSON.parse((await w.page.evaluate(() => Object.values(localStorage)[0]))!).s.optedOut).toBe(true);
    await expect.poll(() => events(studyId)).toEqual(['eligible', 'opted_out', 'shown']);
    await w.page.evaluate(() => (window as any).beckon('consent', false));
    expect(await w.page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
    expect(w.errors).toEqual([]);
    await w.close();
  });

  it('a delay trigger waits; a page-views trigger counts the session’s page views, SPA ones included', async () => {
    await setup({ triggers: [{ kind: 'delay', seconds: 2 }, { kind: 'page_views', atLeast: 3 }] }, { calls: recentSignup() });
    const w = await open(browser);
    // When the widget's element appears, on the page's own clock.
    await w.page.addInitScript(() => {
      new MutationObserver(() => {
        if (document.querySelector('beckon-widget')) (window as any).__shownAt ??= performance.now();
      }).observe(document, { childList: true, subtree: true });
    });
    // A page view counts once beckon.js has run on the page (it is added after the load event).
    await w.page.goto(`${host.origin}/app/one`);
    await loaderRan(w.page);
    await w.page.goto(`${host.origin}/app/two`);
    await loaderRan(w.page);
    await decided(w.page);
    // Two page views: past the delay, still nothing.
    await w.page.waitForTimeout(2500);
    expect(await widget(w.page).count()).toBe(0);
    // The third (an SPA one) satisfies the page-views trigger; the delay counts from it, as the
    // page's own clock shows, however busy the machine.
    const pushedAt = await w.page.evaluate(() => (history.pushState({}, '', '/app/three'), performance.now()));
    await expect.poll(() => intercept(w.page).isVisible()).toBe(true);
    expect(await w.page.evaluate(() => (window as any).__shownAt)).toBeGreaterThanOrEqual(pushedAt + 2000);
    expect(w.errors).toEqual([]);
    await w.close();
  });
});
