// The widget in real Chromium, against the real Beckon server (buildApp on PGlite), embedded in a
// product site on another origin under a strict Content-Security-Policy.
import { createHmac } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { identityMessage } from '@beckon/shared/identity';
import { isWakingSlot } from '@beckon/shared/participant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../server/src/services/seed.js';
import { axeViolations, chromiumAvailable, decided, focused, hostLayout, launch, loaderRan, open, settle, tabTo, violations, widgetShifts } from './support/browser.js';
import { freePort, startBeckon, type Beckon, type Workspace } from './support/beckon.js';
import { startHost, type Host, type PageOptions } from './support/host.js';
import { startHung } from './support/hung.js';

const recentSignup = (extra = '') =>
  `beckon('identify', 'user-ada', { email: 'ada@example.com', name: 'Ada Lovelace', plan: 'pro', signedUpAt: new Date(Date.now() - 3 * 864e5).toISOString() ${extra} });`;

const SCREENER = {
  questions: [
    {
      id: 'role',
      kind: 'single',
      prompt: 'Which best describes your role?',
      required: true,
      options: [
        { id: 'pm', label: 'Product manager', effect: 'qualify' },
        { id: 'eng', label: 'Engineer', effect: 'qualify' },
        { id: 'student', label: 'Student', effect: 'disqualify' },
      ],
    },
  ],
};

const widget = (page: Page) => page.locator('beckon-widget');
/** Goes to `url` and resolves once the load event has fired, with how long that took (for the log only). */
async function loadedIn(page: Page, url: string): Promise<number> {
  const t = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  return Math.round(performance.now() - t);
}
const intercept = (page: Page) => page.getByRole('dialog', { name: 'Got 20 minutes to talk to us?' });

describe.skipIf(!chromiumAvailable())('widget in Chromium', () => {
  let browser: Browser;
  let beckon: Beckon;
  let host: Host;

  beforeAll(async () => {
    const hostPort = await freePort();
    [browser, beckon, host] = await Promise.all([launch(), startBeckon(), startHost(hostPort)]);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await beckon?.close();
  });

  /** A workspace whose only live study is created with `fields`, and the page that embeds it. */
  async function setup(fields: Record<string, unknown>, page: Partial<PageOptions> = {}): Promise<{ ws: Workspace; studyId: string }> {
    const ws = await beckon.workspace([host.origin]);
    const hostId = await ws.host('Maya');
    const { id } = await ws.study([hostId], fields);
    host.serve({ publicKey: ws.publicKey, apiHost: beckon.origin, ...page });
    return { ws, studyId: id };
  }

  const events = async (studyId: string) => (await beckon.query(`select kind from intercept_events where study_id = '${studyId}'`)).map((e) => e.kind).sort();

  it('a recent sign-up books end to end, keyboard only, under a strict CSP and a hostile stylesheet', async () => {
    const { ws, studyId } = await setup(
      {
        targeting: { trait: 'signedUpAt', op: 'within_last_days', value: 14 },
        triggers: [{ kind: 'url', match: 'glob', pattern: '/app/*' }],
        screener: SCREENER,
      },
      { calls: recentSignup(), hostile: true },
    );
    await beckon.query(`update workspaces set privacy_url = 'https://acme.example/privacy' where id = '${ws.workspaceId}'`);
    const w = await open(browser);
    const { page } = w;
    let slots: { days: { slots: { start: string; end: string }[] }[] } | undefined;
    page.on('response', async (r) => {
      if (r.url().includes('/slots?') && r.ok()) slots = await r.json();
    });

    await page.goto(`${host.origin}/app/dashboard`);
    // The page as its load event left it: Beckon starts after that event.
    const before = await page.locator('main').boundingBox();
    const layout = await hostLayout(page);
    await expect.poll(() => intercept(page).isVisible(), { timeout: 10_000 }).toBe(true);
    await w.shot('01-intercept-hostile-css');

    // Appearing took nothing from the page: no focus, no layout shift (no element of the page moved,
    // and the widget shifted nothing of its own, whatever the page's own layout did before).
    expect((await focused(page)).inWidget).toBe(false);
    expect(await page.locator('main').boundingBox()).toEqual(before);
    expect(await hostLayout(page)).toEqual(layout);
    expect(await widgetShifts(page)).toEqual([]);
    // The hostile stylesheet did not reach in: the card is a fixed, styled box with our font size.
    const card = await intercept(page).evaluate((el) => {
      const s = getComputedStyle(el);
      return { position: s.position, fontSize: s.fontSize, display: s.display, button: getComputedStyle(el.querySelector('.btn')!).backgroundColor };
    });
    expect(card).toEqual({ position: 'fixed', fontSize: '15px', display: 'block', button: 'rgb(79, 70, 229)' });
    expect(await axeViolations(page)).toEqual([]);

    // From the top of the page, Tab reaches the intercept after the page's own controls.
    let cameFrom = '';
    for (let i = 0; i < 20 && !(await focused(page)).inWidget; i++) {
      cameFrom = (await focused(page)).id;
      await page.keyboard.press('Tab');
    }
    expect(cameFrom).toBe('to-settings');
    await tabTo(page, /^Sure, pick a time$/);
    await page.keyboard.press('Enter');

    // The screener, in a modal dialog: focus on its heading, and kept inside.
    await expect.poll(() => focused(page)).toMatchObject({ name: 'A few quick questions', tag: 'h2' });
    await w.shot('02-screener');
    expect(await axeViolations(page)).toEqual([]);
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect((await focused(page)).inWidget).toBe(true);
    }
    await tabTo(page, /^Product manager$/, { back: true });
    await page.keyboard.press('Space');
    await tabTo(page, /^Continue$/);
    await page.keyboard.press('Enter');

    // The slot picker: days as tabs (arrow keys), times as buttons, in the participant's zone.
    await expect.poll(() => focused(page)).toMatchObject({ name: 'Pick a time', tag: 'h2' });
    await expect.poll(() => page.getByRole('tab').count()).toBeGreaterThan(1);
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/Berlin');
    await w.shot('03-slots');
    expect(await axeViolations(page)).toEqual([]);
    await tabTo(page, /^\w{3}, \w{3} \d+$/);
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe((await focused(page)).name);
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowRight');
    // By default the picker offers 07:00–21:00 in the participant's zone.
    const chosen = slots!.days.map((day) => day.slots.filter((slot) => isWakingSlot(slot, 'Europe/Berlin'))).filter((day) => day.length > 0)[1]![1]!;
    expect((await focused(page)).name).toContain('–');
    await page.keyboard.press('Enter');

    // Details, prefilled from the identified user's traits.
    await expect.poll(() => focused(page)).toMatchObject({ name: 'Your details', tag: 'h2' });
    expect(await page.getByLabel('Your name').inputValue()).toBe('Ada Lovelace');
    expect(await page.getByLabel('Email').inputValue()).toBe('ada@example.com');
    await w.shot('04-details');
    expect(await axeViolations(page)).toEqual([]);

    // Someone else takes that very slot first: the picker says so and offers the nearest ones.
    const other = await beckon.app.inject({
      method: 'POST',
      url: `/v1/w/${ws.publicKey}/studies/${studyId}/bookings`,
      headers: { origin: host.origin },
      payload: { start: chosen.start, consent: true, participant: { email: 'grace@example.com', name: 'Grace', timeZone: 'UTC', userId: 'user-grace', traits: { signedUpAt: new Date().toISOString() } }, answers: { role: 'eng' } },
    });
    expect(other.statusCode).toBe(201);
    await tabTo(page, /^I agree/);
    await page.keyboard.press('Space');
    await tabTo(page, /^Book interview$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toMatchObject({ name: 'That time was just taken', tag: 'h2' });
    await expect.poll(() => page.locator('[aria-live]').textContent()).toMatch(/just taken/);
    await w.shot('05-slot-taken');
    expect(await axeViolations(page)).toEqual([]);

    await tabTo(page, /–/);
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toMatchObject({ name: 'Your details' });
    // What the participant entered is kept across choosing another time.
    expect(await page.getByRole('checkbox').isChecked()).toBe(true);
    await tabTo(page, /^Book interview$/);
    await page.keyboard.press('Enter');

    // Booked: the time, add-to-calendar, the manage link.
    await expect.poll(() => focused(page), { timeout: 15_000 }).toMatchObject({ name: 'You’re booked', tag: 'h2' });
    await w.shot('06-booked');
    expect(await axeViolations(page)).toEqual([]);
    const ics = await page.getByRole('link', { name: 'Download .ics' }).getAttribute('href');
    expect(decodeURIComponent(ics!)).toMatch(/^data:text\/calendar;charset=utf-8,BEGIN:VCALENDAR\r\n[\s\S]*DTSTART:\d{8}T\d{6}Z/);
    expect(await page.getByRole('link', { name: 'Google Calendar' }).getAttribute('href')).toMatch(/^https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE/);
    const manage = await page.getByRole('link', { name: 'Reschedule or cancel' }).getAttribute('href');
    expect(manage).toMatch(new RegExp(`^${beckon.origin}/`));

    const { bookings } = await ws.admin('GET', `/v1/admin/bookings?studyId=${studyId}`);
    const ada = bookings.find((b: { participant: { email: string } }) => b.participant.email == 'ada@example.com');
    expect(ada).toMatchObject({ status: 'confirmed', source: 'widget', answers: { role: 'pm' }, participant: { name: 'Ada Lovelace', timeZone: 'Europe/Berlin' } });
    expect(ada.start).not.toBe(chosen.start);

    // ESC closes; focus returns where the participant came from.
    await page.keyboard.press('Escape');
    await expect.poll(() => widget(page).count()).toBe(0);
    expect(await focused(page)).toMatchObject({ id: 'to-settings', inWidget: false });

    // Eligible: recorded by the server when it served this identified user the configuration.
    await expect.poll(() => events(studyId)).toEqual(['eligible', 'opted_in', 'screened_in', 'shown']);
    await expect.poll(async () => (await beckon.query(`select 1 from outbox_messages where 'ada@example.com' = any("to")`)).length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await violations(page)).toEqual([]);
    expect(w.errors).toEqual([]);
    // Through the whole flow, whatever came late (slots, the booking's answer): nothing moved.
    expect(await hostLayout(page)).toEqual(layout);
    expect(await widgetShifts(page)).toEqual([]);
    await w.close();
  });

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

  it('phone-sized viewport: a bottom sheet, tappable through to the time picker', async () => {
    await setup({ screener: null }, { calls: recentSignup() });
    const w = await open(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await w.page.goto(`${host.origin}/app/dashboard`);
    await expect.poll(() => intercept(w.page).isVisible()).toBe(true);
    await settle(w.page);
    const box = (await intercept(w.page).boundingBox())!;
    expect(box.x).toBe(0);
    expect(box.width).toBe(390);
    expect(Math.round(box.y + box.height)).toBe(844);
    await w.shot('09-phone-intercept');
    await w.page.getByRole('button', { name: 'Sure, pick a time' }).tap();
    await expect.poll(() => w.page.getByRole('tab').count()).toBeGreaterThan(1);
    await settle(w.page);
    const sheet = (await w.page.getByRole('dialog').boundingBox())!;
    expect(sheet.width).toBe(390);
    expect(Math.round(sheet.y + sheet.height)).toBe(844);
    await w.shot('10-phone-slots');
    expect(await axeViolations(w.page)).toEqual([]);
    expect(w.errors).toEqual([]);
    await w.close();
  });

  it('a disqualifying screener answer gets a kind thank-you and is recorded as screened out', async () => {
    const { studyId } = await setup({ screener: SCREENER }, { calls: recentSignup() });
    const w = await open(browser);
    await w.page.goto(`${host.origin}/app/dashboard`);
    await intercept(w.page).getByRole('button', { name: 'Sure, pick a time' }).click();
    await w.page.getByRole('radio', { name: 'Student' }).check();
    await w.page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => w.page.getByRole('heading', { name: 'Thank you' }).isVisible()).toBe(true);
    await w.shot('14-screened-out');
    await expect.poll(() => events(studyId)).toEqual(['eligible', 'opted_in', 'screened_out', 'shown']);
    await w.page.getByRole('button', { name: 'Close' }).first().click();
    await expect.poll(() => widget(w.page).count()).toBe(0);
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

  it('identity verification: the signature from the product backend goes with the booking', async () => {
    const traits = { email: 'sig@example.com', name: 'Sig Nature', plan: 'pro', signedUpAt: new Date(Date.now() - 864e5).toISOString() };
    const signature = createHmac('sha256', 'whsec_widget_test').update(identityMessage('user-sig', traits)).digest('hex');
    const { ws, studyId } = await setup(
      { targeting: { trait: 'plan', op: 'equals', value: 'pro' } },
      { calls: `beckon('identify', 'user-sig', ${JSON.stringify(traits)}, { signature: '${signature}' });` },
    );
    await beckon.requireIdentity(ws.workspaceId, 'whsec_widget_test');
    const forged = await beckon.app.inject({
      method: 'POST',
      url: `/v1/w/${ws.publicKey}/studies/${studyId}/bookings`,
      headers: { origin: host.origin },
      payload: { start: new Date(Date.now() + 864e5).toISOString(), consent: true, participant: { email: 'x@example.com', name: 'X', timeZone: 'UTC', userId: 'user-sig', traits: { ...traits, plan: 'enterprise' }, signature } },
    });
    expect(forged.json().error.code).toBe('identity_not_verified');
    const w = await open(browser);
    await w.page.goto(`${host.origin}/app/dashboard`);
    await intercept(w.page).getByRole('button', { name: 'Sure, pick a time' }).click();
    await w.page.getByRole('tabpanel').getByRole('button').first().click();
    await w.page.getByRole('checkbox').check();
    await w.page.getByRole('button', { name: 'Book interview' }).click();
    await expect.poll(() => w.page.getByRole('heading', { name: 'You’re booked' }).isVisible(), { timeout: 15_000 }).toBe(true);
    const { bookings } = await ws.admin('GET', `/v1/admin/bookings?studyId=${studyId}`);
    expect(bookings).toMatchObject([{ participant: { email: 'sig@example.com', name: 'Sig Nature' } }]);
    expect(w.errors).toEqual([]);
    await w.close();
  });

  it('the hosted booking page runs the same flow full-page and books with the ref as source', async () => {
    // Targeting does not apply to a hosted link: whoever has the link is invited.
    const { ws } = await setup({ screener: SCREENER, targeting: { trait: 'plan', op: 'equals', value: 'enterprise' } });
    const config = (await beckon.app.inject({ url: `/v1/w/${ws.publicKey}/config`, headers: { origin: host.origin } })).json();
    host.serve({
      publicKey: ws.publicKey,
      apiHost: beckon.origin,
      scriptSrc: '/local/beckon-page.js',
      hosted: { api: `${beckon.origin}/v1/w/${ws.publicKey}`, study: config.studies[0], workspace: config.workspace },
    });
    const w = await open(browser);
    const { page } = w;
    await page.goto(`${host.origin}/b/onboarding?ref=sales-call`);
    await page.getByRole('radio', { name: 'Engineer' }).check();
    await w.shot('11-hosted-screener');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('tabpanel').getByRole('button').first().click();
    await page.getByLabel('Your name').fill('Linus');
    await page.getByLabel('Email').fill('linus@example.com');
    await page.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Book interview' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'You’re booked' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await w.shot('12-hosted-booked');
    const { bookings } = await ws.admin('GET', `/v1/admin/bookings?studyId=${config.studies[0].id}`);
    expect(bookings).toMatchObject([{ source: 'sales-call', answers: { role: 'eng' }, participant: { email: 'linus@example.com' } }]);
    // A CSP violation would be a console error.
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

// The demo product site exactly as a newcomer sees it (examples/demo-site at /demo, seeded like
// the quick start): a recent sign-up books end to end, someone outside every segment is never asked.
describe.skipIf(!chromiumAvailable())('the demo site served by the real server', () => {
  let browser: Browser;
  let beckon: Beckon;

  beforeAll(async () => {
    [browser, beckon] = await Promise.all([launch(), startBeckon()]);
    await seedDemo(beckon.database.db, beckon.app.secretBox, beckon.origin);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await beckon?.close();
  });

  /**
   * The demo as `persona`, chosen before the page's first script runs: one page view, as the
   * visitor's (choosing it on a first page view and reloading left that first view's widget
   * running, which on a busy machine could show the invitation, and so suppress it, before the
   * reload). Resolves with what the widget fetched, each as it comes, however long that takes: the
   * test's timeout is the only bound.
   */
  async function asPersona(persona: string, { clock = false } = {}) {
    const w = await open(browser);
    if (clock) await w.page.clock.install();
    await w.page.addInitScript((p) => localStorage.setItem('demo-persona', p), persona);
    const fetched = (file: RegExp) => {
      const response = w.page.waitForResponse((r) => file.test(r.url()), { timeout: 0 });
      response.catch(() => {}); // awaited by the test, or not needed
      return response;
    };
    const steps = { config: fetched(/\/config(\?|$)/), ui: fetched(/\/beckon-ui\.[0-9a-f]+\.js$/) };
    await w.page.goto(`${beckon.origin}/demo`);
    return { w, ...steps };
  }

  it('a recent sign-up is invited after a few seconds and books: the booking is stored and the confirmation is in the outbox', async () => {
    const { w, config, ui } = await asPersona('newcomer');
    const { page } = w;
    const invitation = page.getByRole('dialog', { name: 'Got 20 minutes to talk to us?' });
    // The configuration, then (the studies' 3-second delay up, the rules saying yes) the UI, then the invitation.
    expect((await config).status()).toBe(200);
    expect((await ui).status()).toBe(200);
    await invitation.waitFor({ state: 'visible', timeout: 0 });
    await page.getByRole('button', { name: 'Sure, pick a time' }).click();
    await page.getByLabel('Product manager').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.getByRole('tab').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.getByRole('tabpanel').getByRole('button').first().click();
    expect(await page.getByLabel('Email').inputValue()).toBe('ada@example.com');
    await page.getByLabel(/^I agree/).check();
    await page.getByRole('button', { name: 'Book interview' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Done' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await w.shot('20-demo-booked');

    // The one just booked, beside the demo's history (its interviews held, and this week's superstar still to come).
    const booked = await beckon.query(`select b.source, p.email from bookings b join participants p on p.id = b.participant_id where b.status = 'confirmed' and p.email = 'ada@example.com'`);
    expect(booked).toEqual([{ source: 'widget', email: 'ada@example.com' }]);
    await expect
      .poll(async () => (await beckon.query(`select subject from outbox_messages where 'ada@example.com' = any("to")`)).map((m) => m.subject), { timeout: 15_000 })
      .toEqual([expect.stringMatching(/^Confirmed: your chat with Acme Analytics/)]);
    expect(w.errors).toEqual([]);
    await w.close();
  });

  it('someone outside every segment is never asked', async () => {
    const { w, config } = await asPersona('outsider', { clock: true });
    expect((await config).status()).toBe(200);
    await decided(w.page);
    // Past the studies' 3-second delay on the page's clock: every trigger holds, and the rules
    // (here already) decide at once, so a yes would have added the UI's script by now.
    await w.page.clock.fastForward('00:10');
    expect(await w.page.evaluate(() => document.querySelectorAll('script[src*="/beckon-ui."]').length)).toBe(0);
    expect(await w.page.getByRole('dialog').count()).toBe(0);
    const shown = await beckon.query(`select count(*)::int as n from intercept_events where kind = 'shown' and user_id = 'demo-outsider'`);
    expect(shown[0]!.n).toBe(0);
    expect(w.errors).toEqual([]);
    await w.close();
  });
});
