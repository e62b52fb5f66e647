// What the widget's browser test files (test/browser*.test.ts) share: each file starts its own
// Chromium, Beckon server (buildApp on its own copy of the migrated database) and product site, so
// the files run side by side on separate workers; and the page scripts and studies they use.
import type { Browser, Page } from 'playwright-core';
import { launch } from './browser.js';
import { freePort, startBeckon, type Beckon, type Workspace } from './beckon.js';
import { startHost, type Host, type PageOptions } from './host.js';

export interface Suite {
  browser: Browser;
  beckon: Beckon;
  host: Host;
}

/** A file's Chromium, server and product site, started together. */
export async function startSuite(): Promise<Suite> {
  const hostPort = await freePort();
  const [browser, beckon, host] = await Promise.all([launch(), startBeckon(), startHost(hostPort)]);
  return { browser, beckon, host };
}

/** Closes what startSuite started (whatever of it did start). */
export async function stopSuite(suite: Partial<Suite>): Promise<void> {
  await suite.browser?.close();
  await suite.host?.close();
  await suite.beckon?.close();
}

/** A workspace whose only live study is created with `fields`, and the page that embeds it. */
export async function setupStudy({ beckon, host }: Suite, fields: Record<string, unknown>, page: Partial<PageOptions> = {}): Promise<{ ws: Workspace; studyId: string }> {
  const ws = await beckon.workspace([host.origin]);
  const hostId = await ws.host('Maya');
  const { id } = await ws.study([hostId], fields);
  host.serve({ publicKey: ws.publicKey, apiHost: beckon.origin, ...page });
  return { ws, studyId: id };
}

/** The kinds of intercept event recorded for a study, sorted. */
export const studyEvents = async (beckon: Beckon, studyId: string): Promise<string[]> => (await beckon.query(`select kind from intercept_events where study_id = '${studyId}'`)).map((e) => e.kind).sort();

/** The page's identify call for someone who signed up three days ago (`extra`: more traits). */
export const recentSignup = (extra = '') =>
  `beckon('identify', 'user-ada', { email: 'ada@example.com', name: 'Ada Lovelace', plan: 'pro', signedUpAt: new Date(Date.now() - 3 * 864e5).toISOString() ${extra} });`;

export const SCREENER = {
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

export const widget = (page: Page) => page.locator('beckon-widget');

/** Goes to `url` and resolves once the load event has fired, with how long that took (for the log only). */
export async function loadedIn(page: Page, url: string): Promise<number> {
  const t = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  return Math.round(performance.now() - t);
}

export const intercept = (page: Page) => page.getByRole('dialog', { name: 'Got 20 minutes to talk to us?' });
