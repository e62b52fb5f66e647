// The admin app (/admin/), the API reference (/docs) and the API console (/docs/try) as a person
// opens them in Chromium, from the built server on loopback (`node packages/server/dist/main.js`,
// production, PostgreSQL): the load event and the first frame that shows the page's content (the
// admin app's sign-in form; the reference's list of operations; the console's operation groups),
// which may come before the load event, for the very first visit after the server starts, then
// the median and slowest of fresh visits (an empty browser cache each time), and a visit again
// with the browser's cache, with the bytes each kind of visit transferred and the CPU time of the
// page's main thread (which, unlike the times, a busy machine does not inflate). Figures only;
// nothing fails on timing.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import type { Benchmark } from './run.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const POSTGRES = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const FRESH_VISITS = 7;

const PAGES = [
  { label: 'admin app (/admin/, sign-in)', path: '/admin/', shown: 'input[type=email]' },
  { label: 'API reference (/docs)', path: '/docs', shown: '.operation' },
  { label: 'API console (/docs/try, Swagger UI)', path: '/docs/try', shown: '.opblock-tag' },
];

interface Visit {
  /** The load event's end, ms from the navigation's start. */
  load: number;
  /** The first frame in which the content selector matched a visible element, ms from the navigation's start. */
  shown: number;
  /** Bytes over the wire: the document and every resource (0 for those from the browser's cache). */
  bytes: number;
  /** CPU time of the page's main thread until the network went idle (what a busy machine does not inflate). */
  cpu: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Notes in `beckonShownAt` the first frame with a visible `selector`. Source text rather than a
 * function: tsx adds a helper of its own to a function's text that names its inner functions, and
 * the page has no such helper.
 */
const watchFor = (selector: string) => `{
  const check = () => {
    if (document.querySelector(${JSON.stringify(selector)})?.checkVisibility()) globalThis.beckonShownAt = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}`;

async function visit(context: BrowserContext, url: string, shown: string): Promise<Visit> {
  const page = await context.newPage();
  try {
    const devtools = await context.newCDPSession(page);
    await devtools.send('Performance.enable', { timeDomain: 'threadTicks' });
    // Checked on every frame from the document's start, so the time is the first frame that had
    // the content, whether that came before the load event (a page rendered by the server) or after.
    await page.addInitScript(watchFor(shown));
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    const shownAt = await page.waitForFunction(() => (globalThis as { beckonShownAt?: number }).beckonShownAt, undefined, { timeout: 60_000 });
    const shownMs = (await shownAt.jsonValue()) as number;
    // Resources fetched after the content showed (the docs' schema models) count too.
    await page.waitForLoadState('networkidle');
    const { metrics } = await devtools.send('Performance.getMetrics');
    const cpu = (metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0) * 1000;
    const timing = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      return { load: navigation.loadEventEnd, bytes: navigation.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0) };
    });
    return { ...timing, shown: shownMs, cpu };
  } finally {
    await page.close();
  }
}

const ms = (value: number) => `${value.toFixed(0).padStart(5)} ms`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const describe = (v: Visit) => `load ${ms(v.load)} · shown ${ms(v.shown)} · main thread ${ms(v.cpu)} CPU · ${kib(v.bytes)}`;

async function measure(browser: Browser, base: string, page: (typeof PAGES)[number]): Promise<string[]> {
  const url = `${base}${page.path}`;
  const fresh = async () => {
    const context = await browser.newContext();
    try {
      return await visit(context, url, page.shown);
    } finally {
      await context.close();
    }
  };
  const first = await fresh();
  const visits: Visit[] = [];
  for (let i = 0; i < FRESH_VISITS; i++) visits.push(await fresh());
  const byLoad = [...visits].sort((a, b) => a.load - b.load);
  const byShown = [...visits].sort((a, b) => a.shown - b.shown);
  const byCpu = [...visits].sort((a, b) => a.cpu - b.cpu);
  const median = (sorted: Visit[], key: 'load' | 'shown' | 'cpu') => sorted[Math.floor(sorted.length / 2)]![key];
  // The same browser again: what its cache keeps (hashed files for good, the rest revalidated).
  const context = await browser.newContext();
  let again: Visit;
  try {
    await visit(context, url, page.shown);
    again = await visit(context, url, page.shown);
  } finally {
    await context.close();
  }
  return [
    `${page.label}`,
    `  first visit after start     ${describe(first)}`,
    `  fresh visits (${FRESH_VISITS}), median   load ${ms(median(byLoad, 'load'))} · shown ${ms(median(byShown, 'shown'))} · main thread ${ms(median(byCpu, 'cpu'))} CPU · slowest load ${ms(byLoad.at(-1)!.load)}, shown ${ms(byShown.at(-1)!.shown)}`,
    `  again with the cache        ${describe(again)}`,
  ];
}

export const pageLoad: Benchmark = {
  name: 'page load: the admin app and the API docs in Chromium, from the built server',
  async run() {
    if (!existsSync(`${REPO}packages/server/dist/main.js`)) return ['skipped: run `corepack pnpm build` first (this measures what operators run)'];
    if (!existsSync(CHROMIUM)) return [`skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`];
    const name = `beckon_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const databaseUrl = new URL(POSTGRES);
    databaseUrl.pathname = `/${name}`;
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = spawn(process.execPath, ['packages/server/dist/main.js'], {
      cwd: REPO,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl.toString(),
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        PUBLIC_URL: base,
        SMTP_URL: 'smtp://127.0.0.1:9',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let browser: Browser | undefined;
    try {
      for (let i = 0; i < 300 && !(await fetch(`${base}/readyz`).then((r) => r.ok, () => false)); i++) await sleep(100);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      const lines: string[] = [];
      for (const page of PAGES) lines.push(...(await measure(browser, base, page)));
      return lines;
    } catch (error) {
      throw new Error(`${String(error)}\n${output}`);
    } finally {
      await browser?.close();
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  },
};
