// The admin app in real Chromium against the real server (buildApp on a real database), served
// at /admin under the server's strict Content-Security-Policy: sign in, add a member, set their
// availability, create and edit a study, see it listed, then act on a real booking and read the
// funnel. Screenshots go to $BECKON_SCREENSHOTS (default: <tmpdir>/beckon-admin-screenshots).
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

    await page.getByRole('link', { name: 'Availability of Maya Patel' }).click();
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

  it('works at 375 px wide', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    for (const [url, name] of [
      ['/admin/studies', '12-mobile-studies'],
      ['/admin/members', '13-mobile-members'],
      ['/admin/bookings?view=past', '14-mobile-bookings'],
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
