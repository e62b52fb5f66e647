// The widget in real Chromium, against the real Beckon server (buildApp on PostgreSQL, else
// PGlite), embedded in a product site on another origin under a strict Content-Security-Policy:
// how the loader runs on a page (queued calls, a plain script tag, chunks gone), an API that is
// down or hung (nothing shows, nothing breaks), and how the widget is styled (theme, no
// constructable stylesheets). The browser suite is in several files, which run side by side
// (test/support/suite.ts).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, hostLayout, open, tabTo, violations } from './support/browser.js';
import { freePort, type Beckon } from './support/beckon.js';
import type { Host, PageOptions } from './support/host.js';
import { startHung } from './support/hung.js';
import { intercept, loadedIn, recentSignup, setupStudy, startSuite, stopSuite, studyEvents, widget } from './support/suite.js';

describe.skipIf(!chromiumAvailable())('widget in Chromium: loading and failing quietly, styles', () => {
  let browser: Browser;
  let beckon: Beckon;
  let host: Host;

  beforeAll(async () => {
    ({ browser, beckon, host } = await startSuite());
  });
  afterAll(() => stopSuite({ browser, beckon, host }));
  const setup = (fields: Record<string, unknown>, page: Partial<PageOptions> = {}) => setupStudy({ browser, beckon, host }, fields, page);
  const events = (studyId: string) => studyEvents(beckon, studyId);

  it("replays calls queued before the script loaded, in order; loading the script twice is harmless; CSP 'strict-dynamic' works", async () => {
    await setup(
      {
        targeting: { all: [{ trait: 'plan', op: 'equals', value: 'pro' }, { event: 'report_exported', atLeast: 2 }] },
        triggers: [{ kind: 'event', event: 'report_exported' }],
      },
      {
        twice: true,
        strictDynamic: true,
        calls: `beckon('identify', 'user-7', { plan: 'free' });
          beckon('identify', 'user-7', { plan: 'pro' });
          beckon('track', 'report_exported');
          beckon('track', 'report_exported');
          beckon('no_such_method', 1);`,
      },
    );
    const w = await open(browser);
    await w.page.goto(`${host.origin}/app/reports`);
    await expect.poll(() => intercept(w.page).isVisible()).toBe(true);
    expect(await widget(w.page).count()).toBe(1);
    const state = await w.page.evaluate(() => ({
      v: (window as any).beckon.v,
      queue: (window as any).beckon.q,
      saved: JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith('beckon_'))![1]),
      scripts: document.querySelectorAll('script[src*="/beckon-ui."]').length,
    }));
    expect(state).toMatchObject({ v: 1, queue: undefined, scripts: 1, saved: { e: [{ name: 'report_exported', count: 2 }] } });
    expect(await violations(w.page)).toEqual([]);
    expect(w.errors).toEqual([]);
    await w.close();
  });

  it('with the API down (connection refused): nothing visible, the page works, no error from the widget', async () => {
    host.serve({ publicKey: 'pk_unreachable_000', apiHost: `http://127.0.0.1:${await freePort()}`, scriptSrc: '/local/beckon.js', calls: recentSignup() });
    const w = await open(browser);
    const failed = w.page.waitForEvent('requestfailed', (r) => /\/config(\?|$)/.test(r.url()));
    await w.page.goto(`${host.origin}/app/dashboard`);
    await failed;
    await w.page.locator('#search').fill('still works');
    expect(await widget(w.page).count()).toBe(0);
    expect(await w.page.locator('#search').inputValue()).toBe('still works');
    expect(w.errors).toEqual([]);
    expect(await violations(w.page)).toEqual([]);
    await w.close();
  });

  it('a hung Beckon (accepts connections, never answers), serving the loader or the API: the load event fires as on the page without Beckon, nothing shows, no error, and the widget gives up at its deadline', async () => {
    const hung = await startHung();
    try {
      for (const what of ['loader', 'api'] as const) {
        const options: PageOptions = {
          publicKey: 'pk_hung_000000000',
          apiHost: hung.origin,
          scriptSrc: what == 'loader' ? `${hung.origin}/widget/beckon.js` : '/local/beckon.js',
          calls: recentSignup(),
        };
        // The same page without Beckon: what its load event and its screen are.
        host.serve({ ...options, embed: 'none' });
        const plain = await open(browser);
        const plainLoad = await loadedIn(plain.page, `${host.origin}/app/dashboard`);
        const looks = await plain.page.screenshot();
        const layout = await hostLayout(plain.page);
        await plain.close();

        host.serve(options);
        const w = await open(browser);
        // The widget's deadlines run on the page's clock: the test jumps past them instead of waiting.
        await w.page.clock.install();
        const asked = hung.request(what == 'loader' ? /^\/widget\/beckon\.js$/ : /\/config(\?|$)/);
        // The load event fires; the hung server has the request, unanswered.
        const load = await loadedIn(w.page, `${host.origin}/app/dashboard`);
        const request = await asked;
        expect(request.closed).toBe(false);
        console.log(`hung ${what}: the load event fired ${load} ms after goto; without Beckon ${plainLoad} ms (logged, not asserted: the machine is shared)`);
        // Nothing visible: the screen and every element's box are those of the page without Beckon.
        expect((await w.page.screenshot()).equals(looks)).toBe(true);
        expect(await hostLayout(w.page)).toEqual(layout);

        if (what == 'api') {
          // Past the configuration's deadline, the request is aborted: the server sees the connection closed.
          await w.page.clock.fastForward('01:00');
          await request.whenClosed;
          // It is tried again at the next page view (answered this time, with a 503), and still nothing shows.
          hung.answer();
          const again = w.page.waitForResponse((r) => /\/config(\?|$)/.test(r.url()));
          await w.page.evaluate(() => history.pushState({}, '', '/app/reports'));
          expect((await again).status()).toBe(503);
          expect(await w.page.evaluate(() => ({ v: (window as any).beckon.v, queue: (window as any).beckon.q }))).toEqual({ v: 1, queue: undefined });
        } else {
          // A script's request cannot be given up from the page; after the load event it holds nothing,
          // and the stub keeps the calls for when the loader comes.
          const queued = () => w.page.evaluate(() => (window as any).beckon.q.map((args: unknown[]) => args[0]));
          expect(await queued()).toEqual(['init', 'identify']);
          // The server drops the connection: the script fails, quietly, and the stub still queues.
          const failed = w.page.waitForEvent('requestfailed', (r) => r.url().endsWith('/widget/beckon.js'));
          hung.hangUp();
          await failed;
          await w.page.evaluate(() => (window as any).beckon('track', 'report_exported'));
          expect(await queued()).toEqual(['init', 'identify', 'track']);
        }
        expect(await widget(w.page).count()).toBe(0);
        expect(await w.page.evaluate(() => document.querySelectorAll('script[src*="/beckon-"]').length)).toBe(0);
        await w.page.locator('#search').fill('still works');
        expect(await w.page.locator('#search').inputValue()).toBe('still works');
        expect(w.errors).toEqual([]);
        expect(await violations(w.page)).toEqual([]);
        await w.close();
      }
    } finally {
      await hung.close();
    }
  });

  it('a page that still has a plain script tag: the loader adds no chunk before the load event, and gives up a chunk that does not come by its deadline, to try again later', async () => {
    await setup({}, { calls: recentSignup(), embed: 'tag', scriptSrc: '/hang/beckon.js', holdLoad: true });
    const w = await open(browser);
    await w.page.clock.install();
    // Each Beckon chunk's script element as it is added, and whether the load event had fired by then.
    await w.page.addInitScript(() => {
      let loaded = false;
      addEventListener('load', () => (loaded = true));
      const added: string[] = ((window as any).__added = []);
      new MutationObserver((records) => {
        for (const r of records) for (const n of r.addedNodes) if (/\/beckon-\w+\./.test((n as HTMLScriptElement).src ?? '')) added.push(`${(n as HTMLScriptElement).src.split('/').pop()!.split('.')[0]} ${loaded ? 'after' : 'before'} load`);
      }).observe(document, { childList: true, subtree: true });
    });
    const config = w.page.waitForEvent('requestfinished', (r) => /\/config(\?|$)/.test(r.url()));
    const loaded = w.page.goto(`${host.origin}/app/dashboard`);
    loaded.catch(() => {}); // awaited below; a failure before that must not also be unhandled
    // The loader ran and has the configuration (a study to decide on) while an image holds the load event.
    await config;
    expect(await w.page.evaluate(() => [document.readyState, (window as any).__added])).toEqual(['interactive', []]);
    host.release();
    await loaded;
    await expect.poll(() => w.page.evaluate(() => (window as any).__added)).toEqual(['beckon-rules after load']);
    await expect.poll(() => host.hanging()).toEqual([expect.stringMatching(/^\/hang\/beckon-rules\.[0-9a-f]+\.js$/)]);
    // Past its deadline the chunk is given up (its element removed) and tried again at the next page view.
    await w.page.clock.fastForward('01:00');
    await w.page.waitForFunction(() => !document.querySelector('script[src*="/beckon-rules."]'));
    await w.page.evaluate(() => history.pushState({}, '', '/app/reports'));
    await expect.poll(() => w.page.evaluate(() => (window as any).__added)).toEqual(['beckon-rules after load', 'beckon-rules after load']);
    expect(await widget(w.page).count()).toBe(0);
    expect(w.errors).toEqual([]);
    expect(await violations(w.page)).toEqual([]);
    await w.close();
  });

  it('a loader whose chunks are gone (cached from before a release): nothing shows, no error, the failed script is removed and tried again later', async () => {
    await setup({}, { calls: recentSignup(), scriptSrc: '/stale/beckon.js' });
    const w = await open(browser);
    const attempts: number[] = [];
    w.page.on('response', (r) => void (/\/stale\/beckon-rules\.[0-9a-f]+\.js$/.test(r.url()) && attempts.push(r.status())));
    await w.page.goto(`${host.origin}/app/dashboard`);
    await expect.poll(() => attempts).toEqual([404]);
    await w.page.evaluate(() => history.pushState({}, '', '/app/reports'));
    await expect.poll(() => attempts).toEqual([404, 404]);
    await w.page.waitForTimeout(500);
    expect(await widget(w.page).count()).toBe(0);
    expect(await w.page.evaluate(() => document.querySelectorAll('script[src*="/beckon-rules."]').length)).toBe(0);
    expect(w.errors).toEqual([]);
    await w.close();
  });

  it('takes its theme from CSS custom properties and the workspace, in dark mode, without motion when asked', async () => {
    const { ws, studyId } = await setup({}, { calls: recentSignup(), css: ':root { --beckon-brand: #0f766e; --beckon-on-brand: #ffffff; --beckon-radius: 6px; }' });
    await beckon.query(`update workspaces set theme = '{"mode":"auto"}' where id = '${ws.workspaceId}'`);
    const w = await open(browser, { reducedMotion: 'reduce', colorScheme: 'dark' });
    await w.page.goto(`${host.origin}/app/dashboard`);
    await expect.poll(() => intercept(w.page).isVisible()).toBe(true);
    const look = await intercept(w.page).evaluate((el) => ({
      animations: el.getAnimations().length,
      background: getComputedStyle(el).backgroundColor,
      radius: getComputedStyle(el).borderTopLeftRadius,
      button: getComputedStyle(el.querySelector('.btn')!).backgroundColor,
    }));
    expect(look).toEqual({ animations: 0, background: 'rgb(31, 41, 55)', radius: '6px', button: 'rgb(15, 118, 110)' });
    await w.shot('13-theme-dark');
    expect(await axeViolations(w.page)).toEqual([]);
    await expect.poll(() => intercept(w.page).getByRole('status').textContent()).toBe('Invitation: Got 20 minutes to talk to us?');

    // ESC closes the intercept while focus is in it; the page keeps its keys otherwise.
    await w.page.locator('#search').focus();
    await w.page.keyboard.press('Escape');
    expect(await widget(w.page).count()).toBe(1);
    await tabTo(w.page, /^Not now$/);
    await w.page.keyboard.press('Escape');
    await expect.poll(() => widget(w.page).count()).toBe(0);
    await expect.poll(() => events(studyId)).toEqual(['dismissed', 'eligible', 'shown']);
    expect(w.errors).toEqual([]);
    await w.close();
  });

  it('without constructable stylesheets, styles go in through <style nonce> and the CSP allows them', async () => {
    await setup({}, { calls: recentSignup(), before: 'delete CSSStyleSheet.prototype.replaceSync;' });
    const w = await open(browser);
    await w.page.goto(`${host.origin}/app/dashboard`);
    await expect.poll(() => intercept(w.page).isVisible()).toBe(true);
    const styled = await w.page.evaluate(() => {
      const root = document.querySelector('beckon-widget')!.shadowRoot!;
      const styles = [...root.querySelectorAll('style')];
      return { styles: styles.filter((el) => el.nonce && el.nonce == document.querySelector('script')!.nonce).length, adopted: root.adoptedStyleSheets.length, position: getComputedStyle(root.querySelector('.card')!).position };
    });
    expect(styled).toEqual({ styles: 1, adopted: 0, position: 'fixed' });
    expect(await violations(w.page)).toEqual([]);
    expect(w.errors).toEqual([]);
    await w.close();
  });
});
