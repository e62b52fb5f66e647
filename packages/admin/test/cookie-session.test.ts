// A person signed in as themselves in real Chromium: the sign-in link (as the CLI, the banner or
// the email gives it) lands in the admin app signed in, with a cookie the page cannot read, and
// signing out ends the session on the server.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignInLink, ensureMembership, ensureUser } from '../../server/src/auth/accounts.js';
import type { DatabaseHandle } from '../../server/src/db/client.js';
import { openTestDatabase, primaryKind } from '../../server/test/support/database.js';
import { buildTestApp, type TestApp } from '../../server/test/support/app.js';
import type {} from '../../server/test/support/services.js';

const CHROMIUM = '/usr/bin/chromium';
const here = path.dirname(fileURLToPath(import.meta.url));
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const line = `Chromium not found at ${CHROMIUM}: admin cookie-session test skipped (apt-get install chromium)`;
  if (process.env.BECKON_REQUIRE_SERVICES === '1') throw new Error(`BECKON_REQUIRE_SERVICES=1 but ${line}`);
  console.warn(`[skip] ${line}`);
}

describe.skipIf(!haveChromium)(`signed in as oneself in Chromium, on ${primaryKind}`, () => {
  let database: DatabaseHandle;
  let t: TestApp;
  let url: string;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(here, '..', 'build.mjs')], { stdio: 'pipe' });
    database = await openTestDatabase();
    t = await buildTestApp(database);
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    profile = mkdtempSync(path.join(tmpdir(), 'beckon-admin-cookie-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(String(error)));
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await t?.app.close();
    await database?.close();
  });

  it('follows a sign-in link into the app, signed in with an HttpOnly cookie; sign-out ends the session', async () => {
    const { user } = await ensureUser(t.app.db, { email: 'rae.researcher@acme.test', name: 'Rae' });
    await ensureMembership(t.app.db, { userId: user.id, workspaceId: t.workspace.workspaceId, role: 'researcher' });
    const link = await createSignInLink(t.app.db, url, { userId: user.id, workspaceId: t.workspace.workspaceId, ttlMs: 60_000 });

    await page.goto(link);
    await expect.poll(() => page.getByRole('heading', { name: 'This week', level: 1 }).isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toMatch(/^\/admin/);
    expect(await page.evaluate(() => document.cookie)).not.toContain('beckon_session');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // A reload asks the server again and stays signed in.
    await page.reload();
    await page.getByRole('heading', { name: 'This week', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Password').waitFor();
    await expect.poll(async () => (await t.app.db.query.sessions.findMany({ where: (row, { eq }) => eq(row.userId, user.id) })).length).toBe(0);
    await page.reload();
    await page.getByLabel('Password').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
