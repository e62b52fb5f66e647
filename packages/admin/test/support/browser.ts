// The admin app in real Chromium against the real server (buildApp on a fresh database), served
// at /admin under the server's strict Content-Security-Policy. Each browser test file calls
// useAdminBrowser() once and gets its own database, server and browser context (its own cookies,
// storage and permissions), so a file runs alone or beside the others. After each test the page
// must have logged no script error and no CSP violation. The app is built once per run
// (global-setup.ts) and the server serves that build and this run's widget build (the server's
// test/support/widget-build.ts: the study preview runs it); Chromium is started once per worker
// (see chromiumForThisWorker).
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import type { AccountRole } from '@beckon/shared/api';
import { ensureMembership, ensureUser } from '../../../server/src/auth/accounts.js';
import type { Config } from '../../../server/src/config.js';
import type { DatabaseHandle } from '../../../server/src/db/client.js';
import { buildTestApp, type TestApp } from '../../../server/test/support/app.js';
import { openTestDatabase, primaryKind } from '../../../server/test/support/database.js';
// Brings in the `postgresUrl` entry of vitest's ProvidedContext that the server's setup provides.
import type {} from '../../../server/test/support/services.js';
import type {} from './global-setup.js';
import type {} from '../../../server/test/support/widget-build.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const ADMIN_CSP = "default-src 'self'; script-src 'self'; style-src 'self'";

export const DESKTOP = { width: 1280, height: 900 };
/** The password every test person gets (at least 10 characters, as the server asks). */
export const PASSWORD = 'correct horse battery staple';
/** The workspace's owner, whom signIn() signs in as unless told otherwise. */
export const OWNER = { email: 'olivia.owner@acme.test', name: 'Olivia Owner' };
export const PHONE = { width: 375, height: 812 };

export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const line = `Chromium not found at ${CHROMIUM}: admin browser tests skipped (apt-get install chromium)`;
  if (process.env.BECKON_REQUIRE_SERVICES === '1') throw new Error(`BECKON_REQUIRE_SERVICES=1 but ${line}`);
  console.warn(`[skip] ${line}`);
}

/** The describe name of a browser test file: what it covers, and on which database. */
export const inChromium = (what: string) => `admin ${what} in Chromium against the server on ${primaryKind}`;

export interface AdminBrowser {
  readonly page: Page;
  readonly t: TestApp;
  readonly database: DatabaseHandle;
  /** Where the app is served, e.g. http://127.0.0.1:41234 (the app itself is under /admin). */
  readonly url: string;
  /** The admin API as the workspace's secret key calls it (no browser involved). */
  api(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** A full-page screenshot into this run's screenshot folder, when BECKON_SCREENSHOTS=1 asked for them; else nothing. */
  shot(name: string, options?: { fullPage?: boolean; page?: Page }): Promise<void>;
  /** A person with this role in the test workspace and PASSWORD (made directly, as the operator's CLI or an accepted invitation would). */
  person(role: AccountRole, who: { email: string; name: string; memberId?: string | null }): Promise<{ userId: string; email: string }>;
  /** Signs in through the sign-in form with email and PASSWORD (the owner, unless told) and waits for the main navigation. */
  signIn(as?: { email: string }, page?: Page): Promise<void>;
  /** Runs the mail jobs and gives the newest development-outbox message to this address. */
  latestMailTo(email: string): Promise<{ subject: string; text: string } | undefined>;
  /** The first link in `text` to this path, pointed at the test server (the mail names PUBLIC_URL). */
  linkIn(text: string, path: string): string;
  /** A second, separate browser context (its own cookies and storage), closed with the file. */
  newContext(): Promise<BrowserContext>;
  /** Runs `check` with the window at phone width, then puts the desktop width back. */
  onPhone<T>(check: () => Promise<T>): Promise<T>;
}

/**
 * One Chromium per worker, shared by the files it runs (the suite runs with isolate: false, so
 * this module and the browser outlive a file); each file works in contexts of its own, which
 * share nothing with another's. Starting Chromium took seconds per file on a busy machine.
 * Playwright stops the browser when the worker exits; one that crashed is started again.
 */
let sharedChromium: Promise<Browser> | undefined;
async function chromiumForThisWorker(): Promise<Browser> {
  const running = await sharedChromium?.catch(() => undefined);
  if (running?.isConnected()) return running;
  sharedChromium = chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return sharedChromium;
}

/** A fresh context (no cookies, no storage) the size and place of the tests' person. */
async function freshContext(): Promise<BrowserContext> {
  return (await chromiumForThisWorker()).newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: 'Europe/London' });
}

/**
 * The server serves the admin app itself (routes/pages/assets.ts). Should that route be absent,
 * the test serves the build at /admin the same way in front of the app, so the app is still tested.
 */
async function serve(t: TestApp): Promise<{ url: string; close: () => Promise<void> }> {
  const probe = await t.app.inject({ method: 'GET', url: '/admin' });
  if (probe.statusCode === 200 && String(probe.headers['content-type']).startsWith('text/html')) {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    return { url: address, close: () => t.app.close() };
  }
  const dist = inject('adminBuild');
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

/**
 * Call once at the top of a browser test file's describe; read the fields in tests and in hooks
 * registered after it. `config`: settings the file's server runs with (e.g. an emulation's
 * endpoints), over the test defaults; called when the set-up runs.
 */
export function useAdminBrowser(options: { config?: () => Partial<Config> } = {}): AdminBrowser {
  let database: DatabaseHandle | undefined;
  let t: TestApp | undefined;
  let served: { url: string; close: () => Promise<void> } | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const consoleErrors: string[] = [];
  const extraContexts: BrowserContext[] = [];
  const screenshots = inject('adminScreenshots');

  beforeAll(async () => {
    database = await openTestDatabase();
    t = await buildTestApp(database, options.config?.(), { assetDirs: { admin: inject('adminBuild'), widget: inject('widgetBuild') } });
    served = await serve(t);
    context = await freshContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      // A refused request (the wrong key's 401, a taken slug's 409) is logged by Chromium itself.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
  });

  afterEach(() => {
    expect(consoleErrors.splice(0), 'script errors or CSP violations in the page').toEqual([]);
  });

  afterAll(async () => {
    await context?.close();
    await Promise.all(extraContexts.map((extra) => extra.close()));
    await served?.close();
    await t?.app.close();
    await database?.close();
  });

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useAdminBrowser: the ${what} is not set up yet; read it in tests or in hooks registered after useAdminBrowser()`);
    return value;
  };
  const browser: AdminBrowser = {
    get page() {
      return ready(page, 'page');
    },
    get t() {
      return ready(t, 'app');
    },
    get database() {
      return ready(database, 'database');
    },
    get url() {
      return ready(served, 'server').url;
    },
    async api(method, url, payload, headers = {}) {
      const response = await browser.t.app.inject({ method, url, headers: { ...browser.t.auth, ...headers }, ...(payload ? { payload } : {}) });
      return { status: response.statusCode, body: response.json() };
    },
    async shot(name, options = {}) {
      if (!screenshots) return;
      await (options.page ?? browser.page).screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: options.fullPage ?? true });
    },
    async person(role, who) {
      const { user } = await ensureUser(browser.t.app.db, { email: who.email, name: who.name, password: PASSWORD });
      await ensureMembership(browser.t.app.db, { userId: user.id, workspaceId: browser.t.workspace.workspaceId, role, memberId: who.memberId ?? null });
      return { userId: user.id, email: who.email };
    },
    async signIn(as, onPage = browser.page) {
      if (!as) await browser.person('owner', OWNER);
      await onPage.goto(`${browser.url}/admin`);
      await onPage.getByLabel('Email').fill((as ?? OWNER).email);
      await onPage.getByLabel('Password').fill(PASSWORD);
      await onPage.getByLabel('Password').press('Enter');
      await onPage.getByRole('navigation', { name: 'Main' }).waitFor();
    },
    async latestMailTo(email) {
      await browser.t.app.worker.runOnce();
      const response = await browser.t.app.inject({ url: `/dev/outbox.json?to=${encodeURIComponent(email)}` });
      return response.json().messages[0];
    },
    linkIn(text, linkPath) {
      const found = new RegExp(`https?://[^\\s)]+${linkPath.replace(/[/?]/g, '\\$&')}[^\\s)]*`).exec(text)?.[0];
      if (!found) throw new Error(`No link to ${linkPath} in:\n${text}`);
      const link = new URL(found);
      return `${browser.url}${link.pathname}${link.search}`;
    },
    async newContext() {
      const context = await freshContext();
      extraContexts.push(context);
      context.on('page', (page) => {
        page.setDefaultTimeout(10_000);
        page.on('pageerror', (error) => consoleErrors.push(String(error)));
      });
      return context;
    },
    async onPhone(check) {
      await browser.page.setViewportSize(PHONE);
      try {
        return await check();
      } finally {
        await browser.page.setViewportSize(DESKTOP);
      }
    },
  };
  return browser;
}

/** How wide the page is laid out: more than the window means it scrolls sideways. */
export function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
