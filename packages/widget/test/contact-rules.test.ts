// The contact rules hold across devices: one identified (signed) user in two browser contexts,
// which share no storage, against the real server. Dismissed on one, not shown on the other;
// booked on one, not invited on the other. The server's per-person configuration says why.
import { createHmac } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { identityMessage } from '@beckon/shared/identity';
import { DEFAULT_CONTACT_RULES } from '@beckon/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launch, open } from './support/browser.js';
import { freePort, startBeckon, type Beckon, type Workspace } from './support/beckon.js';
import { startHost, type Host } from './support/host.js';

const SECRET = 'whsec_contact_rules_test';
const intercept = (page: Page) => page.getByRole('dialog', { name: 'Got 20 minutes to talk to us?' });

describe.skipIf(!chromiumAvailable())('contact rules across devices, in Chromium', () => {
  let browser: Browser;
  let beckon: Beckon;
  let host: Host;
  let ws: Workspace;
  let studyId: string;

  /** The product page as this user sees it, identified with the backend's signature. */
  function serveAs(userId: string) {
    const traits = { email: `${userId}@example.com`, name: `User ${userId}`, plan: 'pro' };
    const signature = createHmac('sha256', SECRET).update(identityMessage(userId, traits)).digest('hex');
    host.serve({ publicKey: ws.publicKey, apiHost: beckon.origin, calls: `beckon('identify', ${JSON.stringify(userId)}, ${JSON.stringify(traits)}, { signature: '${signature}' });` });
  }

  /** Loads the page and returns what the server's configuration said for this person. */
  async function load(page: Page): Promise<{ studies: { id: string }[]; visitor?: { blocked: { studyId: string; rule: string }[] } }> {
    const config = page.waitForResponse((r) => /\/config\?userId=/.test(r.url()));
    await page.goto(`${host.origin}/app/dashboard`);
    return (await config).json();
  }

  const events = async (userId: string) => (await beckon.query(`select kind from intercept_events where study_id = '${studyId}' and user_id = '${userId}' order by id`)).map((e) => e.kind);

  beforeAll(async () => {
    [browser, beckon, host] = await Promise.all([launch(), startBeckon(), freePort().then(startHost)]);
    ws = await beckon.workspace([host.origin]);
    const hostId = await ws.host('Maya');
    studyId = (await ws.study([hostId], { targeting: { trait: 'plan', op: 'equals', value: 'pro' } })).id;
    await beckon.requireIdentity(ws.workspaceId, SECRET);
    // Only the rules under test: intercepts are not limited here, so each refusal has one cause.
    await ws.admin('PATCH', '/v1/admin/workspace', { contactRules: { ...DEFAULT_CONTACT_RULES, intercepts: { max: 50, days: 30 } } });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await beckon?.close();
  });

  it('dismissed on one device: not shown on the other', async () => {
    serveAs('user-dismiss');
    const laptop = await open(browser);
    const first = await load(laptop.page);
    expect(first.studies.map((s) => s.id)).toEqual([studyId]);
    await intercept(laptop.page).getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => events('user-dismiss'), { timeout: 10_000 }).toEqual(['eligible', 'shown', 'dismissed']);

    // Another device: its own storage, no local suppression; the server holds the study back.
    const phone = await open(browser);
    const second = await load(phone.page);
    expect(second.studies).toEqual([]);
    expect(second.visitor?.blocked).toEqual([{ studyId, rule: 'dismiss_cooldown' }]);
    await phone.page.waitForTimeout(1500);
    expect(await intercept(phone.page).count()).toBe(0);
    expect(await events('user-dismiss')).toEqual(['eligible', 'shown', 'dismissed']);
    expect([...laptop.errors, ...phone.errors]).toEqual([]);
    await laptop.close();
    await phone.close();
  });

  it('booked on one device: not invited on the other', async () => {
    serveAs('user-book');
    const laptop = await open(browser);
    await load(laptop.page);
    await intercept(laptop.page).getByRole('button', { name: 'Sure, pick a time' }).click();
    await laptop.page.getByRole('tabpanel').getByRole('button').first().click();
    await laptop.page.getByRole('checkbox').check();
    await laptop.page.getByRole('button', { name: 'Book interview' }).click();
    await expect.poll(() => laptop.page.getByRole('heading', { name: 'You’re booked' }).isVisible(), { timeout: 15_000 }).toBe(true);

    const phone = await open(browser);
    const config = await load(phone.page);
    expect(config.studies).toEqual([]);
    expect(config.visitor?.blocked).toEqual([{ studyId, rule: 'upcoming_interview' }]);
    await phone.page.waitForTimeout(1500);
    expect(await intercept(phone.page).count()).toBe(0);
    // Through the API too: a second booking for the same person is refused, naming the rule.
    const { bookings } = await ws.admin('GET', `/v1/admin/bookings?studyId=${studyId}`);
    expect(bookings).toHaveLength(1);
    const person = (await ws.admin('GET', '/v1/admin/participants?q=user-book')).people[0];
    expect(person).toMatchObject({ userId: 'user-book', email: 'user-book@example.com', upcoming: 1, blockedBy: 'upcoming_interview' });
    expect([...laptop.errors, ...phone.errors]).toEqual([]);
    await laptop.close();
    await phone.close();
  });
});
