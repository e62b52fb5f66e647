// What every server-rendered page shares (the participant's booking and manage pages, the team's
// booking page): one stylesheet, a CSP with a fresh nonce, no caching, no framing, and forms
// posted as application/x-www-form-urlencoded.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HttpError } from '../../errors.js';
import { html, SafeHtml } from '../../mail/layout.js';

const STYLE = `
  :root { color-scheme: light dark; --accent: #4f46e5; }
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: Canvas; color: CanvasText; }
  main { max-width: 40rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
  h1 { font-size: 1.6rem; line-height: 1.25; } h2 { font-size: 1.15rem; margin-top: 2rem; }
  .muted { opacity: .75; } .notice { padding: .75rem 1rem; border-radius: .5rem; background: color-mix(in srgb, var(--accent) 12%, Canvas); }
  .error { background: color-mix(in srgb, #dc2626 15%, Canvas); }
  fieldset { border: 1px solid color-mix(in srgb, CanvasText 20%, Canvas); border-radius: .5rem; margin: 1rem 0; padding: .75rem 1rem; }
  legend { font-weight: 600; padding: 0 .25rem; }
  .slots { display: flex; flex-wrap: wrap; gap: .5rem; }
  .slots label { border: 1px solid color-mix(in srgb, CanvasText 25%, Canvas); border-radius: .5rem; padding: .35rem .7rem; cursor: pointer; }
  .slots input:checked + span { font-weight: 700; color: var(--accent); }
  .brand { margin-bottom: 1.5rem; } .brand img { height: 36px; max-width: 220px; object-fit: contain; }
  .zone { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; } .zone select { flex: 1 1 14rem; width: auto; min-width: 0; max-width: 100%; }
  .days { display: grid; grid-template-columns: repeat(auto-fill, minmax(4.1rem, 1fr)); gap: .4rem; margin: 1rem 0 .25rem; }
  .day { display: flex; flex-direction: column; align-items: center; padding: .35rem .2rem; border-radius: .5rem; font-size: .85rem; line-height: 1.25;
    border: 1px solid color-mix(in srgb, CanvasText 25%, Canvas); color: inherit; text-decoration: none; min-width: 0; }
  .day strong { font-size: .95rem; white-space: nowrap; }
  .day.empty { opacity: .4; border-style: dashed; }
  .day[aria-current] { background: var(--accent); border-color: var(--accent); color: white; }
  .toggle { font-size: .9rem; }
  textarea { font: inherit; width: 100%; box-sizing: border-box; padding: .45rem .6rem; border-radius: .4rem; border: 1px solid color-mix(in srgb, CanvasText 30%, Canvas); }
  button.danger { background: #b91c1c; } .cancel a { margin-left: 1rem; }
  input[type=text], input[type=email], select { font: inherit; padding: .45rem .6rem; width: 100%; box-sizing: border-box; border-radius: .4rem; border: 1px solid color-mix(in srgb, CanvasText 30%, Canvas); }
  button { font: inherit; padding: .6rem 1.1rem; border-radius: .5rem; border: 0; background: var(--accent); color: white; cursor: pointer; }
  button.secondary { background: transparent; color: inherit; border: 1px solid currentColor; }
  :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
  @media (prefers-reduced-motion: no-preference) { button { transition: filter .15s; } button:hover { filter: brightness(1.1); } }
`;

// No redirect to learn the zone (it cost a second page load): where the page asks for the zone
// and none is chosen yet, the browser's own zone is preselected, and the participant confirms it.
const ZONE_HINT = `document.addEventListener('DOMContentLoaded',function(){var s=document.getElementById('tz');if(s&&!s.value){try{s.value=Intl.DateTimeFormat().resolvedOptions().timeZone;}catch(e){}}});`;

export function page(reply: FastifyReply, title: string, body: SafeHtml | ((nonce: string) => SafeHtml), status = 200): FastifyReply {
  const nonce = randomBytes(16).toString('base64');
  // Scripts: on the booking page, the widget's page bundle from this origin, which talks to this
  // origin only. Everything also works without it. Images: the company's logo, https only.
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'self' 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data: https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
  const content = typeof body === 'function' ? body(nonce) : body;
  const document = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex"><title>${title}</title><style nonce="${nonce}">${new SafeHtml(STYLE)}</style>
<script nonce="${nonce}">${new SafeHtml(ZONE_HINT)}</script>
</head><body><main>${content}</main></body></html>`;
  return reply.status(status).header('Content-Security-Policy', csp).header('Cache-Control', 'no-store').header('X-Frame-Options', 'DENY').type('text/html; charset=utf-8').send(document.toString());
}

/** Pages post plain HTML forms; kept to their own scopes so the JSON API still answers 415 to a form. Rate limited like every public route. */
export function acceptForms(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => done(null, body));
  app.addHook('onRequest', app.rateLimit());
}

/** application/x-www-form-urlencoded into a multi-valued map. */
export function formFields(body: unknown): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(typeof body === 'string' ? body : '')) fields.set(key, [...(fields.get(key) ?? []), value]);
  return fields;
}

export const errorNotice = (error: unknown) =>
  error instanceof HttpError ? html`<p class="notice error" role="alert">${error.message}</p>` : html``;

