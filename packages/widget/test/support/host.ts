// A product site for the browser tests, on its own origin (127.0.0.1, another port): every path
// answers with the page the test asked for, under a strict Content-Security-Policy with a fresh
// nonce, optionally with a hostile stylesheet. /local/<file>.js serves this run's widget build from the
// site itself (the "served from your own domain" setup, and the server-down case); /hang/beckon.js
// is the loader whose chunks never answer; /held.svg is an image that holds the page's load event
// until release().
import { snippetLine } from '@beckon/shared/snippet';
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { inject } from 'vitest';
import type {} from '../../../server/test/support/widget-build.js';

/**
 * The snippet's first line, exactly as packages/widget/README.md documents it (test/snippet.test.ts
 * holds the README and the demo site to it): the queueing stub, and the loader injected once the
 * page's load event has fired, with the nonce of the snippet's own script tag.
 */
export { snippetLine };

/** The snippet before issue 12: the stub, and a parser-inserted async script tag (which holds the load event). */
const OLD_STUB = `!function(w,n){w[n]=w[n]||function(){(w[n].q=w[n].q||[]).push(arguments)}}(window,'beckon');`;

export interface PageOptions {
  publicKey: string;
  /** What init gets as apiHost. */
  apiHost: string;
  /** The widget script's URL; default `${apiHost}/widget/beckon.js`. */
  scriptSrc?: string;
  /** Inline JS run right after the snippet and init (queued calls), with the nonce. */
  calls?: string;
  /** Include the snippet (or the tag) twice. */
  twice?: boolean;
  /**
   * How the page embeds Beckon: the documented snippet (default); `tag`, the stub and a plain
   * `<script async src>` as documented before issue 12; `none`, the same page without Beckon.
   */
  embed?: 'snippet' | 'tag' | 'none';
  /** An image in the page that the server holds (and so the load event) until release(). */
  holdLoad?: boolean;
  hostile?: boolean;
  /** Origins besides the widget's that the CSP allows to connect to. */
  connect?: string[];
  /** Run before the snippet: e.g. a router keeping the original history methods. */
  before?: string;
  /** script-src 'nonce-…' 'strict-dynamic' (no host allowlist) instead of nonce + widget origin. */
  strictDynamic?: boolean;
  /** More init options. */
  init?: Record<string, unknown>;
  /** More page CSS (with the nonce). */
  css?: string;
  /**
   * Instead of a product page, the hosted booking page the server renders at /b/{slug}: this data
   * and /local/beckon-page.js.
   */
  hosted?: { api: string; study: unknown; workspace: unknown };
}

/** The hostile stylesheet of the issue and a few more ways a host page can leak into a widget. */
export const HOSTILE_CSS = `
  * { all: unset; }
  div, section, dialog, p, ul, li, form, fieldset, label { display: none !important; }
  button, input, select, a { font: 700 30px/3 "Comic Sans MS", cursive !important; color: red !important; background: yellow !important; }
  * { box-sizing: content-box !important; letter-spacing: 3px !important; }
  html { font-size: 5px !important; }
  body { color: #0f0; font: italic 24px/4 serif; text-transform: uppercase; }
  main { display: block; padding: 24px; }
  head, script, style, title { display: none; }
`;

export function csp(nonce: string, widgetOrigin: string, connect: string[] = [], strictDynamic = false): string {
  return [
    "default-src 'none'",
    strictDynamic ? `script-src 'nonce-${nonce}' 'strict-dynamic'` : `script-src 'nonce-${nonce}' ${widgetOrigin}`,
    `style-src 'nonce-${nonce}'`,
    `connect-src ${[widgetOrigin, ...connect].join(' ')}`,
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function hostedPage(o: PageOptions, nonce: string): string {
  // JSON inside <script>: '<' escaped so no value can close the element.
  const data = JSON.stringify(o.hosted).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Book an interview</title></head>
<body>
<main id="beckon-booking"></main>
<script type="application/json" id="beckon-booking-data">${data}</script>
<script src="/local/beckon-page.js" nonce="${nonce}" defer></script>
</body>
</html>`;
}

function page(o: PageOptions, nonce: string): string {
  if (o.hosted) return hostedPage(o, nonce);
  const src = o.scriptSrc ?? `${o.apiHost}/widget/beckon.js`;
  const embed = o.embed ?? 'snippet';
  const calls = `beckon('init', ${JSON.stringify({ publicKey: o.publicKey, apiHost: o.apiHost, ...o.init })});
  ${o.calls ?? ''}`;
  const twice = (html: string) => (o.twice ? `${html}\n${html}` : html);
  const beckon =
    embed == 'none'
      ? ''
      : embed == 'tag'
        ? `<script nonce="${nonce}">\n  ${OLD_STUB}\n  ${calls}\n</script>\n${twice(`<script async src="${src}" nonce="${nonce}"></script>`)}`
        : `<script nonce="${nonce}">\n  ${snippetLine(src)}\n  ${calls}\n</script>${o.twice ? `\n<script nonce="${nonce}">${snippetLine(src)}</script>` : ''}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Analytics</title>
<style nonce="${nonce}">
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1f2937; background: #f8fafc; }
  header { display: flex; gap: 16px; padding: 12px 24px; background: #111827; color: #fff; }
  header a, header button { color: #e5e7eb; }
  main { max-width: 880px; margin: 24px auto; padding: 0 24px; }
  .cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; }
  .card { background: #fff; border: 1px solid #e5e7eb; border-radius: 12px; padding: 16px; min-height: 120px; }
  ${o.hostile ? HOSTILE_CSS : ''}
  ${o.css ?? ''}
</style>
<script nonce="${nonce}">
  window.__violations = [];
  addEventListener('securitypolicyviolation', function (e) { __violations.push(e.violatedDirective + ' ' + e.blockedURI); });
  ${o.before ?? ''}
</script>
${beckon}
</head>
<body>
<header><strong>Acme Analytics</strong><a href="/app/dashboard">Dashboard</a><button type="button" id="to-settings">Settings</button></header>
<main id="content">
  <h1>Good morning, Ada</h1>
  <div class="cards"><div class="card">Active users 12,480</div><div class="card">Conversion 4.2%</div><div class="card">Reports 37</div></div>
  <p><label>Search <input id="search" type="search"></label> <button type="button" id="last">Export</button></p>${o.holdLoad ? '\n  <img src="/held.svg" alt="" width="1" height="1">' : ''}
</main>
<script nonce="${nonce}">
  document.getElementById('to-settings').addEventListener('click', function () { history.pushState({}, '', '/settings'); });
</script>
</body>
</html>`;
}

export interface Host {
  origin: string;
  /** The page every path answers with from now on. */
  serve(options: PageOptions): void;
  /** Answers the held /held.svg requests, and from now on answers it at once. */
  release(): void;
  /** The paths of /hang/ requests that are being held, unanswered. */
  hanging(): string[];
  close(): Promise<void>;
}

export async function startHost(port: number): Promise<Host> {
  let current: PageOptions | undefined;
  let held: (() => void)[] | undefined = [];
  const hanging = new Map<ServerResponse, string>();
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    // /stale/: a loader cached from before a release, whose chunks are gone.
    if (path.startsWith('/stale/') && path != '/stale/beckon.js') return void res.writeHead(404).end();
    // /hang/: a loader whose chunks' server accepts the request and never answers.
    if (path.startsWith('/hang/') && path != '/hang/beckon.js') {
      hanging.set(res, path);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (path == '/held.svg') {
      const answer = () => void res.writeHead(200, { 'content-type': 'image/svg+xml' }).end('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
      return void (held ? held.push(answer) : answer());
    }
    const local = /^\/(?:local|stale|hang)\/([a-z-]+(?:\.[0-9a-f]+)?\.js)$/.exec(path);
    if (local) {
      const body = await readFile(join(inject('widgetBuild'), local[1]!)).catch(() => undefined);
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/javascript' }).end(body);
      return;
    }
    if (!current || path == '/favicon.ico') return void res.writeHead(404).end();
    const nonce = randomBytes(12).toString('base64');
    const widgetOrigin = new URL(current.scriptSrc ?? current.apiHost, `http://127.0.0.1:${port}`).origin;
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': csp(nonce, widgetOrigin, [current.apiHost, ...(current.connect ?? [])], current.strictDynamic),
        'cache-control': 'no-store',
      })
      .end(page(current, nonce));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${port}`,
    serve: (o) => {
      current = o;
      held ??= [];
    },
    release: () => {
      held?.forEach((answer) => answer());
      held = undefined;
    },
    hanging: () => [...hanging.values()],
    close: () => {
      for (const res of hanging.keys()) res.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
