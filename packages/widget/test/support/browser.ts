// Debian's Chromium driven by playwright-core (never a downloaded browser), and what the tests
// read from a page: errors, CSP violations, layout shift, focus, axe-core results.
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
/** Screenshots are taken only when asked for: BECKON_SCREENSHOTS=1. */
const takeScreenshots = process.env.BECKON_SCREENSHOTS === '1';

/** Whether the browser suite runs; prints one line when it is skipped, fails when it must run. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.BECKON_REQUIRE_SERVICES === '1') throw new Error(`BECKON_REQUIRE_SERVICES=1 but ${CHROMIUM} is missing`);
  console.log(`widget browser tests skipped: no ${CHROMIUM} (apt-get install chromium to run them; BECKON_REQUIRE_SERVICES=1 makes this an error)`);
  return false;
}

export async function launch(): Promise<Browser> {
  if (takeScreenshots) mkdirSync(SCREENSHOTS, { recursive: true });
  // Playwright gives every launch a fresh temporary profile (--user-data-dir).
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export interface Watched {
  page: Page;
  /** Uncaught errors and console errors, except the browser's own "Failed to load resource". */
  errors: string[];
  /** Every console error, those included. */
  console: string[];
  /** Waits for the widget's animations to finish, then saves a screenshot to test/screenshots/ when BECKON_SCREENSHOTS=1. */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function open(browser: Browser, options: BrowserContextOptions = {}): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'Europe/Berlin', ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() != 'error') return;
    consoleErrors.push(m.text());
    if (!m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  // Every layout shift from the first paint on, attributed by its sources: Chromium names a source
  // node only when it is in the document's own tree, so a shift whose sources are all named host
  // elements is the host page's own; any other is the widget's (its nodes are all in its shadow
  // root, and the test pages remove none of theirs). Input or not: whether a shift falls within
  // 500 ms of an input depends on how busy the machine is.
  await page.addInitScript(() => {
    const shifts: Shift[] = ((window as any).__shifts = []);
    const box = (r: DOMRectReadOnly) => [r.x, r.y, r.width, r.height].map(Math.round).join(',');
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as any[]) {
        const sources: { node: Node | null; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[] = e.sources ?? [];
        const named = sources.every((s) => s.node?.isConnected && !(s.node as Element).closest?.('beckon-widget'));
        shifts.push({
          value: e.value,
          input: e.hadRecentInput,
          by: sources.length && named ? 'host' : 'widget',
          at: Math.round(e.startTime),
          moved: sources.map((s) => `${s.node?.nodeName ?? '?'} ${box(s.previousRect)} → ${box(s.currentRect)}`),
        });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  // The rules chunk announces itself with a window event; this listener runs before the loader's.
  await page.addInitScript(() => addEventListener('beckon:rules', () => ((window as any).__rules = true)));
  return {
    page,
    errors,
    console: consoleErrors,
    shot: async (name) => {
      // Settled either way, so that a test runs the same with screenshots and without.
      await settle(page);
      if (takeScreenshots) await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
    },
    close: () => context.close(),
  };
}

/** The deeply focused element (through shadow roots): its accessible-ish name and role. */
export function focused(page: Page): Promise<{ name: string; tag: string; inWidget: boolean; id: string }> {
  return page.evaluate(() => {
    let a: Element | null = document.activeElement;
    const inWidget = a?.tagName == 'BECKON-WIDGET';
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    const label = a?.closest('label');
    const name = (a?.getAttribute('aria-label') || (a?.tagName == 'INPUT' && label?.textContent) || a?.textContent || '').trim();
    return { name, tag: a?.tagName.toLowerCase() ?? '', inWidget, id: a?.id ?? '' };
  });
}

/** Presses Tab (or Shift+Tab) until the focused element's name matches, as a keyboard user would. */
export async function tabTo(page: Page, name: RegExp, { max = 40, back = false } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (name.test((await focused(page)).name)) return;
  }
  throw new Error(`no focusable element named ${name} within ${max} Tab presses; at ${JSON.stringify(await focused(page))}`);
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Waits for the widget's entrance animations to finish (colours are only final then). */
export async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => (document.querySelector('beckon-widget')?.shadowRoot?.getAnimations() ?? []).every((a) => a.playState == 'finished'));
}

/** axe-core's violations inside the widget (its host and shadow tree). */
export async function axeViolations(page: Page): Promise<string[]> {
  await settle(page);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await axeSource);
  const result = await page.evaluate(async () => {
    const r = await (window as any).axe.run({ include: [['beckon-widget']] }, { resultTypes: ['violations'] });
    return { passes: r.passes.length, violations: r.violations.map((v: any) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => JSON.stringify(n.target)).join(', ')})`) };
  });
  if (result.passes == 0) throw new Error('axe checked nothing: is the widget there?');
  return result.violations;
}

/** A layout-shift entry: its score, whether it followed an input, whose it is, what moved where (x,y,w,h). */
export interface Shift {
  value: number;
  input: boolean;
  by: 'host' | 'widget';
  at: number;
  moved: string[];
}

/**
 * The layout shifts so far that the widget caused, counted as Cumulative Layout Shift counts them:
 * not those within 500 ms of the person's own input (Escape closing the widget removes it, which
 * Chromium may report as its box shrinking to nothing). None is the goal.
 */
export const widgetShifts = async (page: Page): Promise<Shift[]> => (await page.evaluate(() => (window as any).__shifts as Shift[])).filter((s) => s.by == 'widget' && !s.input);

/**
 * Where every element of the host page is (outside the widget), to compare before and after the
 * widget appears: whatever the page's own late layout did before, the widget must move nothing.
 */
export const hostLayout = (page: Page): Promise<string[]> =>
  page.evaluate(() =>
    [...document.body.querySelectorAll('*')]
      .filter((el) => !el.closest('beckon-widget'))
      .map((el) => {
        const r = el.getBoundingClientRect();
        return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} ${[r.x, r.y, r.width, r.height].join(',')}`;
      }),
  );

/**
 * Waits until the rules chunk has run in the page: the loader has decided by then (it decides as
 * the chunk's event resolves its promise, in the same task), so "nothing shows" means something.
 */
export async function decided(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as any).__rules);
}

/** Waits until beckon.js has run in the page (replaced the stub, replayed the calls, counted the page view). */
export async function loaderRan(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as any).beckon?.v);
}

/** The CSP violations the page saw. */
export const violations = (page: Page): Promise<string[]> => page.evaluate(() => (window as any).__violations);
