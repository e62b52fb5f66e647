// The admin app in real Chromium against the real server (buildApp on a real database), served
// at /admin under the server's strict Content-Security-Policy: sign in, add a member, set their
// availability, create and edit a study, see it listed, then act on a real booking, read the
// funnel and hand over the booking's incentive. Screenshots go to $BECKON_SCREENSHOTS (default: <tmpdir>/beckon-admin-screenshots).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/src/db/client.js';
import { jobs } from '../../server/src/db/schema.js';
import { openTestDatabase, primaryKind } from '../../server/test/support/database.js';
import { buildTestApp, type TestApp } from '../../server/test/support/app.js';
// Brings in the `postgresUrl` entry of vitest's ProvidedContext that the server's setup provides.
import type {} from '../../server/test/support/services.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const ADMIN_CSP = "default-src 'self'; script-src 'self'; style-src 'self'";
const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const shots = process.env.BECKON_SCREENSHOTS ?? path.join(tmpdir(), 'beckon-admin-screenshots');

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const line = `Chromium not found at ${CHROMIUM}: admin browser test skipped (apt-get install chromium)`;
  if (process.env.BECKON_REQUIRE_SERVICES === '1') throw new Error(`BECKON_REQUIRE_SERVICES=1 but ${line}`);
  console.warn(`[skip] ${line}`);
}

/**
 * The server serves the admin app itself (routes/pages/assets.ts). Should that route be absent,
 * the test serves dist/ at /admin the same way in front of the app, so the app is still tested.
 */
async function serve(t: TestApp): Promise<{ url: string; close: () => Promise<void> }> {
  const probe = await t.app.inject({ method: 'GET', url: '/admin' });
  if (probe.statusCode === 200 && String(probe.headers['content-type']).startsWith('text/html')) {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    return { url: address, close: () => t.app.close() };
  }
  const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname.startsWith('/admin/assets/')) {
      const file = path.join(dist, path.basename(pathname));
      if (!existsSync(file)) return res.writeHead(404).end();
      return res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    }
    if (pathname === '/admin' || pathname.startsWith('/admin/')) {
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': ADMIN_CSP }).end(readFileSync(path.join(dist, 'index.html')));
    }
    t.app.routing(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.skipIf(!haveChromium)(`admin app in Chromium against the server on ${primaryKind}`, () => {
  let database: DatabaseHandle;
  let t: TestApp;
  let served: { url: string; close: () => Promise<void> };
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const consoleErrors: string[] = [];
  const api = async (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) => {
    const response = await t.app.inject({ method, url, headers: { ...t.auth, ...headers }, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json() };
  };
  const shot = async (name: string) => {
    await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(here, '..', 'build.mjs')], { stdio: 'pipe' });
    mkdirSync(shots, { recursive: true });
    database = await openTestDatabase();
    t = await buildTestApp(database);
    served = await serve(t);
    profile = mkdtempSync(path.join(tmpdir(), 'beckon-admin-chromium-'));
    // A persistent context is how Playwright gives Chromium a fresh --user-data-dir of our own.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
      timezoneId: 'Europe/London',
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.url });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      // A refused request (the wrong key's 401, a taken slug's 409) is logged by Chromium itself.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await served?.close();
    await t?.app.close();
    await database?.close();
  });

  it('signs in with the secret key, kept in sessionStorage only; a wrong key shows the 401 message', async () => {
    const response = await page.goto(`${served.url}/admin`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in to your workspace' }).isVisible()).toBe(true);
    await page.getByLabel('Secret key').fill('sk_wrong_key_000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('This secret key is unknown or revoked');
    expect(await page.getByLabel('Secret key').getAttribute('aria-invalid')).toBe('true');
    await shot('01-sign-in-wrong-key');

    // Keyboard only: type the key and press Enter; then Tab reaches the skip link first.
    await page.getByLabel('Secret key').fill(t.workspace.secretKey);
    await page.getByLabel('Secret key').press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'No studies yet' }).isVisible()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName + ' ' + document.activeElement?.textContent)).toBe('H1 Studies');
    await page.reload();
    await page.getByRole('heading', { name: 'No studies yet' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    const storage = await page.evaluate(() => ({ session: JSON.stringify(sessionStorage), local: JSON.stringify(localStorage), url: location.href }));
    expect(storage.session).toContain(t.workspace.secretKey);
    expect(storage.local).not.toContain(t.workspace.secretKey);
    expect(storage.url).not.toContain(t.workspace.secretKey);
    await shot('02-studies-empty');
  });

  it('adds a member (a taken email is shown at the Email field) and sets their availability', async () => {
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

  it('creates a study with a segment preset and a screener, shows it listed, and puts a server error next to its field', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Studies' }).click();
    await page.getByRole('link', { name: 'Create your first study' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Why people churn');
    await page.getByLabel('Booking link name').fill('churn-talks');
    await page.getByRole('radio', { name: /Recently churned/ }).check();
    await page.getByLabel('Churned within the last (days)').fill('45');
    await page.getByLabel('Sampling').fill('50');
    await page.getByRole('button', { name: 'Add a question' }).click();
    await page.getByLabel('Question', { exact: true }).fill('Why did you cancel?');
    await page.getByLabel('Question 1, answer 1').fill('Too expensive');
    await page.getByLabel('Effect of answer 1').selectOption('qualify');
    await page.getByLabel('Question 1, answer 2').fill('I never cancelled');
    await page.getByLabel('Effect of answer 2').selectOption('disqualify');
    await page.getByRole('group', { name: 'Hosts' }).getByRole('checkbox', { name: /Maya Patel/ }).check();
    await page.getByLabel('Weekly quota').fill('3');
    await page.getByLabel('Total quota').fill('20');
    await page.getByLabel('Minimum notice').fill('60');
    await shot('06-study-new');
    await page.getByRole('button', { name: 'Create study' }).click();

    const card = page.getByRole('listitem', { name: 'Why people churn' });
    await expect.poll(() => card.textContent()).toContain('3 a week · 20 in total');
    expect(await card.textContent()).toContain('Draft');
    expect(await card.textContent()).toContain('Churned in the last 45 days · 50% sampled');
    expect(await card.getByRole('link', { name: 'http://beckon.test/b/churn-talks' }).isVisible()).toBe(true);
    expect(await page.getByRole('status').filter({ hasText: 'Study “Why people churn” created.' }).isVisible()).toBe(true);
    await card.getByRole('button', { name: 'Copy booking link of Why people churn' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('http://beckon.test/b/churn-talks');
    await shot('07-studies-list');

    const [study] = (await api('GET', '/v1/admin/studies')).body.studies;
    expect(study).toMatchObject({
      name: 'Why people churn',
      slug: 'churn-talks',
      status: 'draft',
      targeting: { trait: 'canceledAt', op: 'within_last_days', value: 45 },
      samplingPercent: 50,
      weeklyQuota: 3,
      totalQuota: 20,
      minimumNoticeMinutes: 60,
      screener: {
        questions: [
          {
            kind: 'single',
            prompt: 'Why did you cancel?',
            options: [
              { label: 'Too expensive', effect: 'qualify' },
              { label: 'I never cancelled', effect: 'disqualify' },
            ],
          },
        ],
      },
    });

    // The same booking link again: the server's 409 slug_taken lands on the booking-link field.
    await page.getByRole('link', { name: 'New study' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Second study');
    await page.getByLabel('Booking link name').fill('churn-talks');
    await page.getByRole('group', { name: 'Hosts' }).getByRole('checkbox', { name: /Maya Patel/ }).check();
    await page.getByRole('button', { name: 'Create study' }).click();
    await expect.poll(() => page.locator('[data-field="slug"] .error').textContent()).toContain('Another study already uses this slug');
    expect(await page.getByLabel('Booking link name').getAttribute('aria-invalid')).toBe('true');
    // Focus moves to the summary after the error renders: wait for it rather than race it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe('error-summary');
    await shot('08-study-slug-taken');
  });

  it('edits the study: sets it live', async () => {
    await page.getByRole('link', { name: '← Studies' }).click();
    await page.getByRole('link', { name: 'Edit Why people churn' }).click();
    await expect.poll(() => page.getByLabel('Churned within the last (days)').inputValue()).toBe('45');
    await page.getByRole('radio', { name: 'Live' }).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText('Saved.').isVisible()).toBe(true);
    const [study] = (await api('GET', '/v1/admin/studies')).body.studies;
    expect(study.status).toBe('live');
  });

  it('sets when to ask (pages, pages to avoid, time, page views, an event, exit intent), stores it and shows it again', async () => {
    const [study] = (await api('GET', '/v1/admin/studies')).body.studies;
    const when = page.getByRole('group', { name: 'When to ask' });
    const summary = when.locator('.trigger-summary');
    expect(await summary.textContent()).toBe('Shown: On any page, at once');

    // Keyboard: the new row's input has focus, so typing fills it.
    await when.getByRole('button', { name: 'Add a page to ask on' }).click();
    // Focus moves after the new row renders: type only once it is there.
    await expect.poll(() => when.getByLabel('Page 1 to ask on', { exact: true }).evaluate((input) => input === document.activeElement)).toBe(true);
    await page.keyboard.type('/pricing');
    await when.getByLabel('How page 1 to ask on is matched').selectOption('exact');
    await when.getByRole('button', { name: 'Add a page to ask on' }).click();
    await when.getByLabel('Page 2 to ask on', { exact: true }).fill('/plans/*');
    await when.getByRole('button', { name: 'Add a page never to ask on' }).click();
    await when.getByLabel('Page 1 never to ask on', { exact: true }).fill('/checkout*');
    await when.getByLabel('Wait on the page for').fill('10');
    await when.getByLabel('From page view number').fill('2');
    await when.getByRole('button', { name: 'Add an event' }).click();
    await when.getByLabel('Event 1', { exact: true }).fill('report_exported');
    await when.getByRole('checkbox', { name: /about to leave the page/ }).check();

    // A row left empty is named at its own input; removing it moves focus to the row before.
    await when.getByRole('button', { name: 'Add a page to ask on' }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('[data-field="triggers.pages.2.pattern"] .error').textContent()).toContain('Page 3 to ask on: enter an address, e.g. /pricing, or remove the row');
    expect(await when.getByLabel('Page 3 to ask on', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await shot('08b-study-when-to-ask-problem');
    await when.getByRole('button', { name: 'Remove page 3 to ask on' }).click();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('/plans/*');

    const line = 'Shown: On /pricing or /plans/*, from the 2nd page view of a visit, after 10 s, right after report_exported, when they are about to leave (desktop), never on /checkout*';
    expect(await summary.textContent()).toBe(line);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText('Saved.').isVisible()).toBe(true);
    await shot('08c-study-when-to-ask');
    const expected = [
      { kind: 'url', match: 'exact', pattern: '/pricing' },
      { kind: 'url', match: 'glob', pattern: '/plans/*' },
      { kind: 'url', match: 'glob', pattern: '/checkout*', exclude: true },
      { kind: 'delay', seconds: 10 },
      { kind: 'page_views', atLeast: 2 },
      { kind: 'event', event: 'report_exported' },
      { kind: 'exit_intent' },
    ];
    expect((await api('GET', `/v1/admin/studies/${study.id}`)).body.triggers).toEqual(expected);

    // Loaded again, every control shows what was stored, and saving changes nothing.
    await page.reload();
    await expect.poll(() => when.getByLabel('Page 1 to ask on', { exact: true }).inputValue()).toBe('/pricing');
    expect(await when.getByLabel('How page 1 to ask on is matched').inputValue()).toBe('exact');
    expect(await when.getByLabel('Page 2 to ask on', { exact: true }).inputValue()).toBe('/plans/*');
    expect(await when.getByLabel('Page 1 never to ask on', { exact: true }).inputValue()).toBe('/checkout*');
    expect(await when.getByLabel('Wait on the page for').inputValue()).toBe('10');
    expect(await when.getByLabel('From page view number').inputValue()).toBe('2');
    expect(await when.getByLabel('Event 1', { exact: true }).inputValue()).toBe('report_exported');
    expect(await when.getByRole('checkbox', { name: /about to leave the page/ }).isChecked()).toBe(true);
    expect(await summary.textContent()).toBe(line);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText('Saved.').isVisible()).toBe(true);
    expect((await api('GET', `/v1/admin/studies/${study.id}`)).body.triggers).toEqual(expected);

    // On a phone the section fits (the whole page at 375 px is checked by 'works at 375 px wide').
    await page.setViewportSize({ width: 375, height: 812 });
    try {
      await when.scrollIntoViewIfNeeded();
      const fit = await when.evaluate((el) => ({ right: el.getBoundingClientRect().right, overflow: el.scrollWidth - el.clientWidth }));
      expect(fit.right).toBeLessThanOrEqual(375);
      expect(fit.overflow).toBeLessThanOrEqual(0);
      await shot('08d-mobile-study-when-to-ask');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }

    // The studies list says when each study asks.
    await page.getByRole('navigation').getByRole('link', { name: 'Studies' }).click();
    await expect.poll(() => page.locator('.study-card').first().textContent()).toContain(line.replace('Shown: ', ''));
  });

  it('lists a real booking in the PM zone and cancels it; marks a past one completed; shows the funnel', async () => {
    const [study] = (await api('GET', '/v1/admin/studies')).body.studies;
    const base = `/v1/w/${t.workspace.publicKey}/studies/${study.id}`;
    const slots = (await api('GET', `${base}/slots?tz=America/New_York`)).body.slots as { start: string }[];
    expect(slots.length).toBeGreaterThan(1);
    const book = async (start: string, name: string, email: string) => {
      const response = await api(
        'POST',
        `${base}/bookings`,
        { start, participant: { email, name, timeZone: 'America/New_York' }, consent: true, answers: { [study.screener.questions[0].id]: study.screener.questions[0].options[0].id }, source: 'sales' },
        { 'idempotency-key': `admin-test-${email.replace(/[^A-Za-z0-9]/g, '-')}` },
      );
      expect(response, JSON.stringify(response.body)).toMatchObject({ status: 201 });
      return response.body.booking.id as string;
    };
    await book(slots[0]!.start, 'Ada Lovelace', 'ada@example.com');
    const pastId = await book(slots[slots.length - 1]!.start, 'Grace Hopper', 'grace@example.com');
    // Move one booking into the past, as if the interview happened yesterday.
    const yesterday = new Date(Date.now() - 86_400_000);
    const at = (ms: number) => `'${new Date(yesterday.getTime() + ms).toISOString()}'`;
    expect(pastId).toMatch(/^[0-9a-f-]{36}$/);
    await database.db.execute(
      `update bookings set starts_at = ${at(0)}, ends_at = ${at(20 * 60_000)}, blocked_from = ${at(0)}, blocked_until = ${at(30 * 60_000)} where id = '${pastId}'`,
    );

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

    await page.goto(`${served.url}/admin/studies/${study.id}/funnel`);
    const table = page.getByRole('table');
    await expect.poll(() => table.getByRole('row', { name: /Booked/ }).textContent()).toContain('2');
    expect(await table.getByRole('row', { name: /Attended/ }).textContent()).toMatch(/Attended1(50%|—)/);
    expect(await table.locator('tbody tr').count()).toBe(6);
    expect(await page.getByRole('heading', { name: 'Where bookings came from' }).isVisible()).toBe(true);
    await shot('11-funnel');

    // A study with bookings cannot be deleted: the server's 409 is shown, nothing is lost.
    await page.goto(`${served.url}/admin/studies/${study.id}`);
    await page.getByRole('button', { name: 'Delete study' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('This study has bookings');
    expect((await api('GET', `/v1/admin/studies/${study.id}`)).status).toBe(200);
  });

  it('incentives: the completed interview’s is due; an empty email is refused at the Code field; the code and link are emailed; Sent shows it', async () => {
    // The study was made with the editor's default incentive, so each booking of it owes one.
    const [study] = (await api('GET', '/v1/admin/studies')).body.studies;
    expect(study.incentive).toEqual({ kind: 'gift_card', amountCents: 2500, currency: 'USD', description: 'a $25 gift card' });
    const due = (await api('GET', '/v1/admin/incentives?status=due')).body.incentives as { id: string; participant: { name: string }; interviewStart: string }[];
    expect(due.map((i) => i.participant.name)).toEqual(['Grace Hopper']);

    // The count beside the link comes from the server: Grace's is due, Ada's (cancelled) is not.
    const nav = page.getByRole('navigation', { name: 'Main' });
    const navLink = nav.getByRole('link', { name: /^Incentives/ });
    await expect.poll(() => navLink.textContent()).toBe('Incentives: 1 to send');
    await navLink.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName + ' ' + document.activeElement?.textContent)).toBe('H1 Incentives');
    expect(await page.getByRole('button', { name: 'To send' }).getAttribute('aria-pressed')).toBe('true');
    const grace = page.getByRole('listitem', { name: 'Grace Hopper' });
    await expect.poll(() => grace.locator('.badge').textContent()).toBe('To send');
    expect(await page.locator('.incentive-list > li').count()).toBe(1);
    const text = await grace.textContent();
    expect(text).toContain('a $25 gift card · Gift card, US$25'); // en-GB, as the browser is set up: dollars are US$
    expect(text).toContain('Why people churn');
    expect(text).toContain('grace@example.com');
    expect(text).toContain('(marked done)');
    // In the PM's zone: the bookings test chose Asia/Tokyo, and the choice is kept.
    const tokyo = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' }).format(new Date(due[0]!.interviewStart));
    expect(await page.getByLabel('Times in').inputValue()).toBe('Asia/Tokyo');
    expect(text).toContain(tokyo);

    // Nothing filled in: refused at the Code field before anything is sent.
    await grace.getByRole('button', { name: 'Email it to Grace Hopper' }).click();
    await expect.poll(() => grace.locator('[data-field$=".code"] .error').textContent()).toContain('Give the code, a link to redeem it, or a message');
    expect(await grace.getByLabel('Code').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe('error-summary');
    expect((await api('GET', '/v1/admin/incentives?status=due')).body.incentives).toHaveLength(1);

    await grace.getByLabel('Code').fill('GIFT-1234-ABCD');
    await grace.getByLabel('Redeem link').fill('https://gifts.example.com/redeem');
    await grace.getByLabel('Message to the participant').fill('Thank you for your time!');
    await shot('17-incentives-due');
    await page.setViewportSize({ width: 375, height: 812 });
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await shot('17b-mobile-incentives-due');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await grace.getByRole('button', { name: 'Email it to Grace Hopper' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Sent to Grace Hopper.' }).count()).toBe(1);
    await expect.poll(() => grace.locator('.badge').textContent()).toBe('Sent');
    expect(await grace.textContent()).toContain('Sent by email on');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName + ' ' + document.activeElement?.textContent)).toBe('H2 To send');
    // The form is gone, and the code with it: it lives only in the participant's email.
    expect(await grace.getByLabel('Code').count()).toBe(0);
    expect(await page.content()).not.toContain('GIFT-1234-ABCD');
    await expect.poll(() => navLink.textContent()).toBe('Incentives');

    const sent = (await api('GET', '/v1/admin/incentives?status=sent')).body.incentives as { id: string; status: string; sentBy: string }[];
    expect(sent).toMatchObject([{ id: due[0]!.id, status: 'sent', sentBy: 'email' }]);
    expect(JSON.stringify(sent)).not.toContain('GIFT-1234-ABCD');

    // The email goes out through the jobs table; with no SMTP_URL the server keeps it in its development outbox.
    const incentiveMails = async () => {
      await t.app.worker.runOnce();
      const outbox = await api('GET', '/dev/outbox.json?to=grace@example.com');
      expect(outbox.status).toBe(200);
      return (outbox.body.messages as { text: string; html: string }[]).filter((m) => m.text.includes('GIFT-1234-ABCD'));
    };
    await expect.poll(async () => (await incentiveMails()).length, { timeout: 10_000 }).toBe(1);
    const [mail] = await incentiveMails();
    expect(mail!.text).toContain('https://gifts.example.com/redeem');
    expect(mail!.text).toContain('Thank you for your time!');

    // Account credit applied in the product: recorded as given another way, once confirmed, and nothing is emailed.
    // (Booked through the booking link, as the one above: the study's targeting is for the widget.)
    const base = `/v1/w/${t.workspace.publicKey}/studies/${study.id}`;
    const slots = (await api('GET', `${base}/slots?tz=Europe/London`)).body.slots as { start: string }[];
    const booked = await api(
      'POST',
      `${base}/bookings`,
      { start: slots[0]!.start, participant: { email: 'katherine@example.com', name: 'Katherine Johnson', timeZone: 'Europe/London' }, consent: true, answers: { [study.screener.questions[0].id]: study.screener.questions[0].options[0].id }, source: 'sales' },
      { 'idempotency-key': 'admin-test-katherine' },
    );
    expect(booked, JSON.stringify(booked.body)).toMatchObject({ status: 201 });
    const twoDaysAgoAt = Date.now() - 2 * 86_400_000; // once: the interval check needs blocked_from <= starts_at exactly
    const twoDaysAgo = (ms: number) => `'${new Date(twoDaysAgoAt + ms).toISOString()}'`;
    await database.db.execute(
      `update bookings set starts_at = ${twoDaysAgo(0)}, ends_at = ${twoDaysAgo(20 * 60_000)}, blocked_from = ${twoDaysAgo(0)}, blocked_until = ${twoDaysAgo(30 * 60_000)} where id = '${booked.body.booking.id}'`,
    );
    expect((await api('POST', `/v1/admin/bookings/${booked.body.booking.id}/complete`)).status).toBe(200);
    await page.reload();
    const katherine = page.getByRole('listitem', { name: 'Katherine Johnson' });
    await katherine.getByRole('button', { name: 'Mark as given another way to Katherine Johnson' }).click();
    const confirm = katherine.getByRole('group', { name: 'Confirm Katherine Johnson was given it another way' });
    expect(await confirm.textContent()).toContain('Record that Katherine Johnson was given a $25 gift card another way? Nothing is emailed, and this cannot be undone.');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, it was given');
    await shot('17c-incentives-confirm-given');
    await confirm.getByRole('button', { name: 'Yes, it was given' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Marked as given to Katherine Johnson.' }).count()).toBe(1);
    await expect.poll(() => katherine.textContent()).toContain('Given another way on');
    expect((await api('GET', '/v1/admin/incentives?status=sent')).body.incentives.map((i: { participant: { name: string }; sentBy: string }) => `${i.participant.name}: ${i.sentBy}`)).toEqual(
      expect.arrayContaining(['Katherine Johnson: elsewhere', 'Grace Hopper: email']),
    );
    expect((await database.db.select().from(jobs)).filter((job) => job.kind === 'mail.incentive')).toHaveLength(1); // Grace's only

    // The filter is in the address: Sent survives a reload and lists her as sent by email.
    await page.getByRole('button', { name: 'Sent', exact: true }).click();
    expect(new URL(page.url()).searchParams.get('show')).toBe('sent');
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Sent', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.getByRole('listitem', { name: 'Grace Hopper' }).textContent()).toContain('Sent by email on');
    await shot('18-incentives-sent');

    await page.getByRole('button', { name: 'Void' }).click();
    await expect.poll(() => page.getByRole('listitem', { name: 'Ada Lovelace' }).textContent()).toContain('Not owed: the interview was cancelled.');
    await page.getByRole('button', { name: 'To send' }).click();
    await expect.poll(() => page.locator('.empty-inline').textContent()).toBe('Nothing to send. Incentives become due when you mark an interview done on Bookings.');
    expect(new URL(page.url()).search).toBe('');
    await shot('19-incentives-none-due');
  });

  it('settings: edits the workspace (origins checked like the schema), copies the embed snippet, shows and rotates the identity secret', async () => {
    const before = (await api('GET', '/v1/admin/workspace')).body as { name: string; allowedOrigins: string[]; publicKey: string };
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName + ' ' + document.activeElement?.textContent)).toBe('H1 Settings');

    // The README's snippet with this workspace's public key and this server as apiHost; Copy copies exactly it.
    const snippet = (await page.getByRole('region', { name: 'Embed snippet' }).textContent())!;
    expect(snippet).toContain(`beckon('init', { publicKey: '${before.publicKey}', apiHost: '${served.url}' });`);
    expect(snippet).toContain("!function(w,n){w[n]=w[n]||function(){(w[n].q=w[n].q||[]).push(arguments)}}(window,'beckon');");
    expect(snippet).toContain(`<script async src="${served.url}/widget/beckon.js"></script>`);
    if (existsSync(path.join(here, '..', '..', 'widget', 'dist', 'beckon.js'))) {
      expect((await t.app.inject({ url: '/widget/beckon.js' })).statusCode).toBe(200);
    }
    await page.getByRole('button', { name: 'Copy the embed snippet' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    expect(await page.getByRole('status').filter({ hasText: 'Snippet copied' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Allowed origins' }).isVisible()).toBe(true);

    // A second origin with a path: refused beside its own row, with the origin to use; nothing is sent.
    await page.getByRole('button', { name: 'Add an origin' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-allowedOrigins-1');
    const second = page.getByLabel('Allowed origin 2', { exact: true });
    await second.fill('https://staging.acme.test/app');
    await page.getByLabel('Workspace name').fill('Acme Research');
    await page.getByLabel('Ask again after').fill('45');
    await page.getByLabel('Privacy policy (optional)').fill('https://acme.test/privacy');
    await page.getByLabel('Language for dates').fill('en_gb');
    await page.getByLabel('Brand colour', { exact: true }).fill('#0f766e');
    await page.getByLabel('Light or dark').selectOption('auto');
    await page.getByRole('checkbox', { name: 'Require identity verification' }).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('[data-field="allowedOrigins.1"] .error').textContent()).toContain('Enter the origin only, without a path: https://staging.acme.test');
    expect(await second.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.error-summary').textContent()).toContain('There is a problem');
    expect((await api('GET', '/v1/admin/workspace')).body.name).toBe(before.name);
    await shot('settings-1-origin-problem');

    // Fixed, plus an extra row left empty (dropped, not refused): saved, as the API shows.
    await second.fill('https://Staging.acme.test/');
    await page.getByRole('button', { name: 'Add an origin' }).click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Settings saved.' }).count()).toBe(1);
    expect((await api('GET', '/v1/admin/workspace')).body).toMatchObject({
      name: 'Acme Research',
      allowedOrigins: [...before.allowedOrigins, 'https://staging.acme.test'],
      recontactDays: 45,
      privacyUrl: 'https://acme.test/privacy',
      locale: 'en-GB',
      requireIdentityVerification: true,
      theme: { brand: '#0f766e', mode: 'auto' },
    });
    expect(await page.getByLabel('Allowed origin 2', { exact: true }).inputValue()).toBe('https://staging.acme.test');
    expect(await page.getByLabel('Allowed origin 3', { exact: true }).count()).toBe(0);
    await shot('settings-2-saved');

    // The identity secret: hidden until Show; rotating asks first and names the consequence.
    const secretBefore = (await api('GET', '/v1/admin/workspace/identity-secret')).body.identitySecret as string;
    expect(await page.getByText(secretBefore).count()).toBe(0);
    await page.getByRole('button', { name: 'Show the identity secret' }).click();
    await expect.poll(() => page.locator('#identity-secret-value').textContent()).toBe(secretBefore);
    await page.getByRole('button', { name: 'Rotate the secret…' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm rotating the identity secret' });
    expect(await confirm.textContent()).toContain('Signatures made with the old secret stop working at once: until your servers sign with the new one');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, rotate it');
    await shot('settings-3-rotate-confirm');
    await confirm.getByRole('button', { name: 'Keep the current secret' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Rotate the secret…');
    expect((await api('GET', '/v1/admin/workspace/identity-secret')).body.identitySecret).toBe(secretBefore);
    await page.getByRole('button', { name: 'Rotate the secret…' }).click();
    await page.getByRole('button', { name: 'Yes, rotate it' }).click();
    await expect.poll(() => page.getByText('A new identity secret was made').isVisible()).toBe(true);
    const secretAfter = (await api('GET', '/v1/admin/workspace/identity-secret')).body.identitySecret as string;
    expect(secretAfter).not.toBe(secretBefore);
    expect(await page.locator('#identity-secret-value').textContent()).toBe(secretAfter);
    await page.getByRole('button', { name: 'Hide the identity secret' }).click();
    expect(await page.getByText(secretAfter).count()).toBe(0);

    // Removing a row moves focus to the row before it; verification off again for the tests after this one.
    await page.getByRole('button', { name: 'Remove https://staging.acme.test' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-allowedOrigins-0');
    await page.getByRole('checkbox', { name: 'Require identity verification' }).uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(async () => (await api('GET', '/v1/admin/workspace')).body.requireIdentityVerification).toBe(false);
    expect((await api('GET', '/v1/admin/workspace')).body.allowedOrigins).toEqual(before.allowedOrigins);

    // Erasing a participant on request has its own screen, linked from Settings: someone unknown is said so at the field; Ada is erased after confirming.
    await page.getByRole('link', { name: 'erase a participant' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName + ' ' + document.activeElement?.textContent)).toBe('H1 Privacy');
    expect(new URL(page.url()).pathname).toBe('/admin/privacy');
    const erase = page.getByRole('form', { name: 'Erase a participant' });
    await erase.getByLabel('Email').fill('nobody@example.com');
    await erase.getByRole('button', { name: 'Erase…' }).click();
    await erase.getByRole('button', { name: 'Yes, erase' }).click();
    await expect.poll(() => erase.locator('[data-field="email"] .error').textContent()).toContain('No participant with this email');
    await erase.getByLabel('Email').fill('Ada@Example.com');
    await erase.getByRole('button', { name: 'Erase…' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, erase');
    await shot('settings-4-erase-confirm');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('region', { name: 'Erase a participant' }).getByRole('status').first().textContent()).toBe(
      'Erased Ada@Example.com; 1 booking keeps counting without them.',
    );
    const adaBookings = ((await api('GET', '/v1/admin/bookings')).body.bookings as { participant: { name: string | null; email: string | null } }[]).filter((b) => b.participant.email === null);
    expect(adaBookings).toHaveLength(1);
    expect(JSON.stringify((await api('GET', '/v1/admin/bookings')).body)).not.toContain('ada@example.com');

    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${served.url}/admin/settings`);
    await page.getByRole('region', { name: 'Embed snippet' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot('settings-4-mobile');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('member calendars: an unreachable CalDAV server is refused at its field; Google sign-in says it is not set up; a broken connection says how to fix it', async () => {
    // Connecting logs in to the calendar server first: more than expect.poll's 1 s default on a busy machine.
    const calendarPoll = { timeout: 10_000 };
    const members = (await api('GET', '/v1/admin/members')).body.members as { id: string; name: string }[];
    const maya = members.find((m) => m.name === 'Maya Patel')!;
    await page.goto(`${served.url}/admin/members/${maya.id}`);
    const section = page.getByRole('region', { name: 'Calendars' });
    await expect.poll(() => section.textContent(), calendarPoll).toContain('No calendar connected yet');

    // This server has no Google OAuth client (no GOOGLE_CLIENT_ID): the API's 422 is explained.
    await section.getByRole('button', { name: 'Create a Google sign-in link' }).click();
    await expect.poll(() => section.textContent()).toContain('Google sign-in is not set up on this server');
    expect(await section.textContent()).toContain('GOOGLE_CLIENT_ID');

    // The API logs in before it stores anything: nothing listens on port 9, so it refuses, at the address field.
    await section.getByRole('radio', { name: /CalDAV server/ }).check();
    await section.getByLabel('Service', { exact: true }).selectOption('other');
    await section.getByLabel('Server address').fill('http://127.0.0.1:9/');
    await section.getByLabel('Username').fill('maya');
    await section.getByLabel('App-specific password', { exact: true }).fill('not-stored');
    await section.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => section.locator('[data-field="serverUrl"] .error').textContent(), calendarPoll).toContain('Beckon could not reach the calendar server');
    expect(await section.getByLabel('Server address').getAttribute('aria-invalid')).toBe('true');
    expect((await api('GET', `/v1/admin/members/${maya.id}/calendars`)).body.calendars).toEqual([]);
    await shot('calendars-1-unreachable');

    // A Google connection whose grant was revoked, as the calendar service leaves it (status and lastError).
    await database.db.execute(
      `insert into calendar_connections (member_id, provider, label, credentials_encrypted, busy_calendar_ids, write_calendar_id, status, last_error)
       values ('${maya.id}', 'google', 'maya@acme.test (Google)', null, '["primary"]', 'primary', 'broken',
               'Reading busy time: Google refused the stored grant (invalid_grant: Token has been expired or revoked.); reconnect the calendar')`,
    );
    await page.reload();
    const card = page.getByRole('listitem', { name: 'maya@acme.test (Google)' });
    await expect.poll(() => card.locator('.badge').textContent()).toBe('Broken');
    expect(await card.textContent()).toContain('Not working: Maya Patel is not offered for interviews until this is fixed');
    expect(await card.textContent()).toContain('invalid_grant');
    expect(await card.textContent()).toContain('Create a new Google sign-in link and have Maya Patel open it');
    await shot('calendars-2-broken');
    await page.setViewportSize({ width: 375, height: 812 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'calendars-2b-mobile-broken.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    await card.getByRole('button', { name: 'Reconnect maya@acme.test (Google)' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Connect a calendar');
    expect(await section.getByRole('radio', { name: 'Google Calendar' }).isChecked()).toBe(true);

    await card.getByRole('button', { name: 'Remove maya@acme.test (Google)' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, remove');
    await page.getByRole('group', { name: 'Confirm removing maya@acme.test (Google)' }).getByRole('button', { name: 'Yes, remove' }).click();
    await expect.poll(() => section.getByRole('status').first().textContent()).toBe('Removed maya@acme.test (Google).');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Calendars');
    expect((await api('GET', `/v1/admin/members/${maya.id}/calendars`)).body.calendars).toEqual([]);
  });

  it('member calendars: connects a CalDAV account on a real CalDAV server (Radicale), picks its calendars, reconnects it when broken, and removes it', async ({ skip }) => {
    const { radicaleAvailable, startRadicale } = await import('../../server/test/calendars/support/radicale.js');
    if (!radicaleAvailable) {
      if (process.env.BECKON_REQUIRE_SERVICES === '1') throw new Error('BECKON_REQUIRE_SERVICES=1 but radicale is not installed at /usr/bin/radicale');
      return skip('radicale not installed (apt-get install radicale)');
    }
    // Connecting logs in to the calendar server first: more than expect.poll's 1 s default on a busy machine.
    const calendarPoll = { timeout: 10_000 };
    const radicale = await startRadicale({ username: 'maya', password: 'app-specific-secret' });
    try {
      const work = await radicale.makeCalendar('work', 'Work');
      const personal = await radicale.makeCalendar('personal', 'Personal');
      const members = (await api('GET', '/v1/admin/members')).body.members as { id: string; name: string }[];
      const maya = members.find((m) => m.name === 'Maya Patel')!;
      await page.goto(`${served.url}/admin/members/${maya.id}`);
      const section = page.getByRole('region', { name: 'Calendars' });
      await section.getByRole('radio', { name: /CalDAV server/ }).check();
      await section.getByLabel('Service', { exact: true }).selectOption('other');
      await section.getByLabel('Server address').fill(radicale.url);
      await section.getByLabel('Username').fill('maya');

      // A wrong password: the server's 422 names the password field, and the message is shown there.
      await section.getByLabel('App-specific password', { exact: true }).fill('wrong-password');
      await section.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect.poll(() => section.locator('[data-field="password"] .error').textContent(), calendarPoll).toContain('refused this username and password');
      expect((await api('GET', `/v1/admin/members/${maya.id}/calendars`)).body.calendars).toEqual([]);

      // The right one: two calendars found; busy time from Work only, interviews to Work.
      await section.getByLabel('App-specific password', { exact: true }).fill('app-specific-secret');
      await section.getByRole('button', { name: 'Connect', exact: true }).click();
      const choose = page.getByRole('form', { name: 'Choose calendars' });
      await expect.poll(() => choose.textContent(), calendarPoll).toContain('It has 2 calendars');
      await choose.getByRole('group', { name: 'Check for busy time' }).getByRole('checkbox', { name: 'Personal' }).uncheck();
      await choose.getByRole('group', { name: 'Add interviews to' }).getByRole('radio', { name: 'Work' }).check();
      await shot('calendars-3-choose');
      await choose.getByRole('button', { name: 'Save calendar choice' }).click();
      const label = 'maya @ ' + new URL(radicale.url).host;
      await expect.poll(() => section.getByRole('status').first().textContent(), calendarPoll).toBe(`Connected ${label}.`);
      const listed = (await api('GET', `/v1/admin/members/${maya.id}/calendars`)).body.calendars as { id: string; busyCalendarIds: string[]; writeCalendarId: string }[];
      expect(listed).toHaveLength(1); // the choice changed the new connection in place
      expect(listed[0]).toMatchObject({ provider: 'caldav', label, status: 'active', busyCalendarIds: [work], writeCalendarId: work });
      expect(JSON.stringify(listed)).not.toContain('app-specific-secret');
      const card = page.getByRole('listitem', { name: label });
      // The announcement comes at once, the list a reload later: wait for the whole new card, not a prefix of the old one.
      await expect.poll(() => card.textContent(), calendarPoll).toContain('Busy timeWorkInterviewsWork');
      expect(await card.locator('.badge').textContent()).toBe('Connected');
      expect(await section.getByLabel('App-specific password', { exact: true }).inputValue()).toBe(''); // not kept once connected
      await shot('calendars-4-connected');

      // Later: Personal counts too and interviews stop going to Work, chosen without the password again.
      await card.getByRole('button', { name: `Change calendars of ${label}` }).click();
      const change = card.getByRole('form', { name: `Calendars of ${label}` });
      await expect.poll(() => page.evaluate(() => document.activeElement?.closest('label')?.textContent), calendarPoll).toBe('Work'); // the first choice
      await change.getByRole('group', { name: 'Check for busy time' }).getByRole('checkbox', { name: 'Personal' }).check({ timeout: 10_000 });
      await change.getByRole('group', { name: 'Add interviews to' }).getByRole('radio', { name: 'None' }).check();
      await shot('calendars-4b-change');
      await change.getByRole('button', { name: 'Save calendars' }).click();
      await expect.poll(() => section.getByRole('status').first().textContent(), calendarPoll).toBe(`Saved the calendars of ${label}.`);
      await expect.poll(() => card.textContent(), calendarPoll).toContain('Busy timeWork, PersonalInterviewsNot written to this calendar');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Change calendars of ${label}`);
      const changed = (await api('GET', `/v1/admin/members/${maya.id}/calendars`)).body.calendars as { id: string; busyCalendarIds: string[]; writeCalendarId: string | null }[];
      expect(changed).toHaveLength(1);
      expect(changed[0]!.id).toBe(listed[0]!.id); // the same connection, changed in place
      expect([...changed[0]!.busyCalendarIds].sort()).toEqual([work, personal].sort());
      expect(changed[0]!.writeCalendarId).toBeNull();

      // Broken as a revoked password leaves it: reconnecting with a working password replaces it.
      await database.db.execute(
        `update calendar_connections set status = 'broken', last_error = 'Reading busy time: the server refused the credentials (HTTP 401); reconnect with a new app-specific password' where id = '${listed[0]!.id}'`,
      );
      await page.reload();
      await expect.poll(() => card.locator('.badge').textContent()).toBe('Broken');
      expect(await card.textContent()).toContain('Reconnect with a new app-specific password');
      await card.getByRole('button', { name: `Reconnect ${label}` }).click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(`Reconnect ${label}`);
      await section.getByLabel('Server address').fill(radicale.url);
      await section.getByLabel('Username').fill('maya');
      await section.getByLabel('App-specific password', { exact: true }).fill('app-specific-secret');
      await section.getByRole('button', { name: 'Reconnect', exact: true }).click();
      await page.getByRole('form', { name: 'Choose calendars' }).getByRole('button', { name: 'Keep it as it is' }).click();
      await expect.poll(async () => (await api('GET', `/v1/admin/members/${maya.id}/calendars`)).body.calendars.map((c: { status: string }) => c.status), calendarPoll).toEqual(['active']);
      await expect.poll(() => card.locator('.badge').textContent(), calendarPoll).toBe('Connected');

      await card.getByRole('button', { name: `Remove ${label}` }).click();
      await page.getByRole('button', { name: 'Yes, remove' }).click();
      await expect.poll(() => section.textContent(), calendarPoll).toContain('No calendar connected yet');
      expect((await api('GET', `/v1/admin/members/${maya.id}/calendars`)).body.calendars).toEqual([]);
    } finally {
      await radicale.dispose();
    }
  });

  it('works at 375 px wide', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    for (const [url, name] of [
      ['/admin/studies', '12-mobile-studies'],
      ['/admin/members', '13-mobile-members'],
      ['/admin/bookings?view=past', '14-mobile-bookings'],
      ['/admin/incentives?show=all', '14b-mobile-incentives'],
    ] as const) {
      await page.goto(`${served.url}${url}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await shot(name);
    }
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
    await page.getByRole('link', { name: 'Maya Patel' }).first().click();
    await page.getByRole('heading', { name: 'Availability' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot('15-mobile-availability');
    await page.goto(`${served.url}/admin/studies/new`);
    await page.getByLabel('Name', { exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot('16-mobile-study-new');
  });

  it('ran without script errors or CSP violations; sign-out forgets the key', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Secret key').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
