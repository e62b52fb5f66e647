// The development outbox on a real database: what a newcomer without a mail server sees.
import { eq, sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.js';
import { outboxMessages } from '../../src/db/schema.js';
import { createMailer, type Mailer } from '../../src/mail/mailer.js';
import { renderMail } from '../../src/mail/templates.js';
import { errorsPlugin } from '../../src/plugins/errors.js';
import { validationPlugin } from '../../src/plugins/validation.js';
import { devOutboxRoutes } from '../../src/routes/dev/outbox.js';
import { availableKinds, openTestDatabase } from '../support/database.js';
import { eventOf } from './support/ical.js';
import { mailContext } from './support/context.js';

const FROM = 'Beckon <research@beckon.test>';

// The outbox is the embedded (PGlite) default, and PostgreSQL runs the same code: both, when available.
describe.each(availableKinds)('development outbox on %s', (kind) => {
  let database: DatabaseHandle;
  let mailer: Mailer;
  let app: FastifyInstance;

  const rowsFor = (messageId: string) => database.db.select().from(outboxMessages).where(eq(outboxMessages.messageId, messageId));

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    mailer = createMailer({ smtpUrl: undefined, from: FROM, db: database.db });
    // The app's own validation and error handling, as in buildApp, with the plugin on top.
    app = Fastify({ logger: false });
    await app.register(validationPlugin);
    await app.register(errorsPlugin);
    app.decorate('db', database.db);
    await app.register(devOutboxRoutes);
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await mailer?.close();
    await database?.close();
  });

  it('with no SMTP URL, send stores the message with its parts and invite', async () => {
    expect(mailer.kind).toBe('outbox');
    const mail = renderMail('confirmation', mailContext());
    await mailer.send({ ...mail, messageId: '<job-1.booking-a@beckon.test>' });
    const [row, ...more] = await rowsFor('<job-1.booking-a@beckon.test>');
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({
      from: 'Acme <research@beckon.test>',
      to: ['ada@example.com'],
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      ics: mail.ics!.content,
    });
    expect(eventOf(row!.ics!).calendar.get('METHOD')).toBe('REQUEST');
  });

  it('a retried send with the same Message-ID stores nothing new, and the first copy stays', async () => {
    const first = renderMail('reminder', mailContext(), '24h');
    await mailer.send({ ...first, messageId: '<job-2.booking-a@beckon.test>' });
    const [{ count: before }] = (await database.db.select({ count: sql<number>`count(*)::int` }).from(outboxMessages)) as [{ count: number }];
    await mailer.send({ ...first, subject: 'A visibly different second copy', messageId: '<job-2.booking-a@beckon.test>' });
    // The same id written without brackets is the same message.
    await mailer.send({ ...first, subject: 'A third copy', messageId: 'job-2.booking-a@beckon.test' });
    const [{ count: after }] = (await database.db.select({ count: sql<number>`count(*)::int` }).from(outboxMessages)) as [{ count: number }];
    expect(after).toBe(before);
    const rows = await rowsFor('<job-2.booking-a@beckon.test>');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.subject).toBe(first.subject);
  });

  it('a message without an invite stores no ics; team mail keeps every recipient', async () => {
    await mailer.send({ ...renderMail('thank_you', mailContext()), messageId: '<job-3.booking-a@beckon.test>' });
    await mailer.send({ ...renderMail('host_notice', mailContext()), messageId: '<job-4.booking-a@beckon.test>' });
    expect((await rowsFor('<job-3.booking-a@beckon.test>'))[0]!.ics).toBeNull();
    const [team] = await rowsFor('<job-4.booking-a@beckon.test>');
    expect(team!.to).toEqual(['maya@acme.test', 'jonas@acme.test']);
    expect(team!.from).toBe('Beckon <research@beckon.test>');
  });

  it('refuses a bad Message-ID, and needs a database when there is no SMTP', async () => {
    await expect(mailer.send({ ...renderMail('thank_you', mailContext()), messageId: '<two@at@signs>' })).rejects.toThrow(/Message-ID/);
    expect(() => createMailer({ smtpUrl: undefined, from: FROM })).toThrow(/database/);
  });

  describe('routes', () => {
    let confirmationId: number;
    const evilSubject = 'Hello <script>alert(1)</script> & welcome';

    beforeAll(async () => {
      confirmationId = (await rowsFor('<job-1.booking-a@beckon.test>'))[0]!.id;
      const mail = renderMail('confirmation', mailContext({ participant: { name: '<script>alert(2)</script>', email: 'eve@example.com' } }));
      await mailer.send({ ...mail, subject: evilSubject, text: `${mail.text}\n</pre><script>alert(3)</script>`, messageId: '<job-5.booking-b@beckon.test>' });
    });

    it('GET /dev/outbox.json lists messages newest first with every part', async () => {
      const response = await app.inject({ url: '/dev/outbox.json' });
      expect(response.statusCode).toBe(200);
      const { messages } = response.json() as { messages: { id: number; messageId: string; to: string[]; subject: string; text: string; html: string; ics: string | null; createdAt: string }[] };
      expect(messages.map((m) => m.messageId)).toEqual([
        '<job-5.booking-b@beckon.test>',
        '<job-4.booking-a@beckon.test>',
        '<job-3.booking-a@beckon.test>',
        '<job-2.booking-a@beckon.test>',
        '<job-1.booking-a@beckon.test>',
      ]);
      const newest = messages[0]!;
      expect(newest.subject).toBe(evilSubject);
      expect(newest.to).toEqual(['eve@example.com']);
      expect(newest.ics).toMatch(/^BEGIN:VCALENDAR/);
      expect(new Date(newest.createdAt).toISOString()).toBe(newest.createdAt);
    });

    it('GET /dev/outbox.json filters by recipient and limits', async () => {
      const byTo = (await app.inject({ url: '/dev/outbox.json?to=maya@acme.test' })).json() as { messages: { messageId: string }[] };
      expect(byTo.messages.map((m) => m.messageId)).toEqual(['<job-4.booking-a@beckon.test>']);
      const limited = (await app.inject({ url: '/dev/outbox.json?limit=2' })).json() as { messages: unknown[] };
      expect(limited.messages).toHaveLength(2);
      expect((await app.inject({ url: '/dev/outbox.json?limit=0' })).statusCode).toBe(400);
    });

    it('GET /dev/outbox is an HTML list: time, to, subject, escaped, under a strict CSP', async () => {
      const response = await app.inject({ url: '/dev/outbox' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(response.headers['content-security-policy']).not.toMatch(/script-src/);
      expect(response.body).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt; &amp; welcome');
      expect(response.body).not.toContain('<script');
      expect(response.body).toContain(`<a href="/dev/outbox/${confirmationId}">`);
      expect(response.body).toContain('eve@example.com');
      expect(response.body.indexOf('eve@example.com')).toBeLessThan(response.body.indexOf('ada@example.com'));
    });

    it('GET /dev/outbox/:id shows headers, the HTML part in a sandboxed frame, the text part and the invite link', async () => {
      const id = (await rowsFor('<job-5.booking-b@beckon.test>'))[0]!.id;
      const response = await app.inject({ url: `/dev/outbox/${id}` });
      expect(response.statusCode).toBe(200);
      expect(response.body).not.toContain('<script');
      expect(response.body).toContain('&lt;/pre&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
      expect(response.body).toMatch(new RegExp(`<iframe src="/dev/outbox/${id}/html" sandbox="allow-popups allow-popups-to-escape-sandbox"`));
      expect(response.body).toContain(`href="/dev/outbox/${id}/invite.ics"`);
      expect(response.body).toContain('&lt;job-5.booking-b@beckon.test&gt;');
      expect(response.body).toContain('METHOD:REQUEST');
    });

    it('GET /dev/outbox/:id/html serves the message as sent, sandboxed by its CSP, links opening in a new tab', async () => {
      const [row] = await rowsFor('<job-5.booking-b@beckon.test>');
      const response = await app.inject({ url: `/dev/outbox/${row!.id}/html` });
      expect(response.statusCode).toBe(200);
      const csp = response.headers['content-security-policy'] as string;
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).toMatch(/sandbox allow-popups/);
      expect(csp).not.toMatch(/allow-scripts|allow-same-origin/);
      expect(response.body).toContain('<head><base target="_blank">');
      expect(response.body.replace('<base target="_blank">', '')).toBe(row!.html);
      expect(response.body).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    });

    it('GET /dev/outbox/:id/invite.ics downloads the invite as text/calendar with its method', async () => {
      const response = await app.inject({ url: `/dev/outbox/${confirmationId}/invite.ics` });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8; method=REQUEST');
      expect(response.headers['content-disposition']).toBe('attachment; filename="invite.ics"');
      expect(eventOf(response.body).event.get('UID')).toBe('booking-6f1c2d3e@beckon.test');
    });

    it('answers 404 for a missing message or invite and 400 for a malformed id', async () => {
      const noIcs = (await rowsFor('<job-3.booking-a@beckon.test>'))[0]!.id;
      const missing = await app.inject({ url: '/dev/outbox/999999999' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ error: { code: 'outbox_message_not_found', message: 'No message 999999999 in the outbox' } });
      expect((await app.inject({ url: `/dev/outbox/${noIcs}/invite.ics` })).statusCode).toBe(404);
      expect((await app.inject({ url: '/dev/outbox/abc' })).statusCode).toBe(400);
    });

    it('can also be given the database directly, without a db decoration', async () => {
      const bare = Fastify({ logger: false });
      await bare.register(devOutboxRoutes, { db: database.db });
      try {
        const response = await bare.inject({ url: '/dev/outbox.json?limit=1' });
        expect((response.json() as { messages: { messageId: string }[] }).messages[0]!.messageId).toBe('<job-5.booking-b@beckon.test>');
      } finally {
        await bare.close();
      }
    });
  });
});
