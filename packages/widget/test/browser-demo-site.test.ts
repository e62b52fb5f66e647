// The demo product site exactly as a newcomer sees it, in real Chromium (the widget's browser
// suite is in several files, which run side by side: test/support/suite.ts).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../server/src/services/seed.js';
import { chromiumAvailable, decided, launch, open } from './support/browser.js';
import { startBeckon, type Beckon } from './support/beckon.js';

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
