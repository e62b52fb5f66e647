// Development only: the outbox of mail that would have been sent, when no SMTP server is
// configured. Register it only then (it shows every participant's email to anyone who can
// reach the server). The email's own HTML is served from a separate route, under a CSP that
// sandboxes it and blocks scripts, and shown in a sandboxed iframe: a message can never run
// code in this page.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Database } from '../../db/client.js';
import { notFound } from '../../errors.js';
import { html, SafeHtml } from '../../mail/layout.js';
import { outboxMessage, outboxMessagesTo, type OutboxMessage } from '../../mail/outbox.js';

export interface DevOutboxOptions {
  /** The database to read; the app's `db` decoration by default. */
  db?: Database;
}

/** For the pages Beckon itself renders here: nothing but inline styles and same-origin frames. */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** For a message's HTML: no scripts, no forms, its own opaque origin; links may open a new tab. */
const MESSAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https: http:; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox";

const idParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
  required: ['id'],
  additionalProperties: false,
} as const;

const listQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    to: { type: 'string', minLength: 1, maxLength: 320 },
  },
  additionalProperties: false,
} as const;

const PAGE_STYLE = `body{font:14px/1.5 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif;margin:0;padding:24px;color:#111827}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{color:#6b7280;font-weight:600}a{color:#2454c5}pre{background:#f5f6f8;padding:12px;border-radius:6px;white-space:pre-wrap;word-break:break-word}
iframe{width:100%;height:640px;border:1px solid #e5e7eb;border-radius:6px}.muted{color:#6b7280}dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dt{color:#6b7280}dd{margin:0}`;

function page(title: string, body: SafeHtml): string {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>${new SafeHtml(PAGE_STYLE)}</style></head><body>${body}</body></html>`.value;
}

/** Links inside the framed message open in a new tab (the sandbox allows that), not inside the frame. */
function withNewTabLinks(messageHtml: string): string {
  const base = '<base target="_blank">';
  return /<head[^>]*>/i.test(messageHtml) ? messageHtml.replace(/<head[^>]*>/i, (head) => head + base) : base + messageHtml;
}

const icsMethod = (ics: string): string => /^METHOD:([A-Z-]+)\r?$/m.exec(ics)?.[1] ?? 'PUBLISH';

function toJson(row: OutboxMessage) {
  return {
    id: row.id,
    messageId: row.messageId,
    from: row.from,
    to: row.to,
    subject: row.subject,
    text: row.text,
    html: row.html,
    ics: row.ics,
    createdAt: row.createdAt.toISOString(),
  };
}

export const devOutboxRoutes: FastifyPluginAsync<DevOutboxOptions> = async (app, options) => {
  const db = options.db ?? (app as FastifyInstance & { db?: Database }).db;
  if (!db) throw new Error('devOutboxRoutes needs a database: pass { db } or decorate the app with db');

  const list = (limit: number, to?: string) => outboxMessagesTo(db, limit, to);
  const find = (id: number) => outboxMessage(db, id);

  app.get<{ Querystring: { limit: number; to?: string } }>(
    '/dev/outbox.json',
    { schema: { hide: true, querystring: listQuery } },
    async (request) => ({ messages: (await list(request.query.limit, request.query.to)).map(toJson) }),
  );

  app.get<{ Querystring: { limit: number; to?: string } }>('/dev/outbox', { schema: { hide: true, querystring: listQuery } }, async (request, reply) => {
    const rows = await list(request.query.limit, request.query.to);
    const body = html`<h1>Development outbox</h1>
<p class="muted">No SMTP server is configured (SMTP_URL), so Beckon keeps its email here instead of sending it. Newest first.
<a href="/dev/outbox.json">JSON</a></p>
${
  rows.length === 0
    ? html`<p>No messages yet. Book an interview and its emails appear here.</p>`
    : html`<table><thead><tr><th>Time (UTC)</th><th>To</th><th>Subject</th><th>Invite</th></tr></thead><tbody>${rows.map(
        (row) =>
          html`<tr><td>${row.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</td><td>${row.to.join(', ')}</td><td><a href="/dev/outbox/${row.id}">${row.subject}</a></td><td>${row.ics ? icsMethod(row.ics) : ''}</td></tr>`,
      )}</tbody></table>`
}`;
    return reply.type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).header('x-content-type-options', 'nosniff').send(page('Outbox', body));
  });

  app.get<{ Params: { id: number } }>('/dev/outbox/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const row = await find(request.params.id);
    const body = html`<p><a href="/dev/outbox">&larr; Outbox</a></p>
<h1>${row.subject}</h1>
<dl><dt>From</dt><dd>${row.from}</dd><dt>To</dt><dd>${row.to.join(', ')}</dd><dt>Date</dt><dd>${row.createdAt.toISOString()}</dd><dt>Message-ID</dt><dd>${row.messageId}</dd>
${row.ics ? html`<dt>Invite</dt><dd><a href="/dev/outbox/${row.id}/invite.ics" download="invite.ics">invite.ics</a> (METHOD:${icsMethod(row.ics)})</dd>` : null}</dl>
<h2>HTML part</h2>
<iframe src="/dev/outbox/${row.id}/html" sandbox="allow-popups allow-popups-to-escape-sandbox" title="HTML part of the message" referrerpolicy="no-referrer"></iframe>
<h2>Text part</h2>
<pre>${row.text}</pre>
${row.ics ? html`<h2>Calendar invite</h2><pre>${row.ics}</pre>` : null}`;
    return reply.type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).header('x-content-type-options', 'nosniff').send(page(row.subject, body));
  });

  app.get<{ Params: { id: number } }>('/dev/outbox/:id/html', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const row = await find(request.params.id);
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', MESSAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(withNewTabLinks(row.html));
  });

  app.get<{ Params: { id: number } }>('/dev/outbox/:id/invite.ics', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const row = await find(request.params.id);
    if (!row.ics) throw notFound('outbox_invite_not_found', `Message ${row.id} has no calendar invite`);
    return reply
      .type(`text/calendar; charset=utf-8; method=${icsMethod(row.ics)}`)
      .header('content-disposition', 'attachment; filename="invite.ics"')
      .header('x-content-type-options', 'nosniff')
      .send(row.ics);
  });
};
