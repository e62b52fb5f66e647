// The widget in real Chromium, against the real Beckon server (buildApp on PostgreSQL, else
// PGlite), embedded in a product site on another origin under a strict Content-Security-Policy:
// a recent sign-up books end to end by keyboard, on a phone, is screened out, books with identity
// verification, and on the hosted booking page. The browser suite is in several files, which run
// side by side (test/support/suite.ts).
import { createHmac } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { identityMessage } from '@beckon/shared/identity';
import { isWakingSlot } from '@beckon/shared/participant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, focused, hostLayout, open, settle, tabTo, violations, widgetShifts } from './support/browser.js';
import type { Beckon } from './support/beckon.js';
import type { Host, PageOptions } from './support/host.js';
import { intercept, recentSignup, SCREENER, setupStudy, startSuite, stopSuite, studyEvents, widget } from './support/suite.js';

describe.skipIf(!chromiumAvailable())('widget in Chromium: booking', () => {
  let browser: Browser;
  let beckon: Beckon;
  let host: Host;

  beforeAll(async () => {
    ({ browser, beckon, host } = await startSuite());
  });
  afterAll(() => stopSuite({ browser, beckon, host }));
  const setup = (fields: Record<string, unknown>, page: Partial<PageOptions> = {}) => setupStudy({ browser, beckon, host }, fields, page);
  const events = (studyId: string) => studyEvents(beckon, studyId);

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
});
