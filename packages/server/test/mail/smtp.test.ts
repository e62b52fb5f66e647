// Mail through a real SMTP server (smtp-server, started here on a free port), read back byte by
// byte; and what happens when there is no server, or one that never answers.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, messageIdFor, smtpOptionsFromUrl, type Mailer } from '../../src/mail/mailer.js';
import { renderMail } from '../../src/mail/templates.js';
import { eventOf } from './support/ical.js';
import { leaves, parseMime, type MimePart } from './support/mime.js';
import { mailContext } from './support/context.js';
import { freePort } from '../support/process.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

const FROM = 'Beckon <research@beckon.test>';
const part = (message: MimePart, type: string) => leaves(message).find((p) => p.type === type);

describe('sending through a real SMTP server', () => {
  let smtp: TestSmtp;
  let mailer: Mailer;
  beforeAll(async () => {
    smtp = await startSmtp();
    mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: FROM });
  });
  afterAll(async () => {
    await mailer.close();
    await smtp.close();
  });

  it('delivers the confirmation with its Message-ID, text, HTML and calendar parts', async () => {
    const mail = renderMail('confirmation', mailContext({ participant: { name: 'Ada <script>x</script> Lovelace' } }));
    const messageId = messageIdFor('job-41.6f1c2d3e', FROM);
    expect(messageId).toBe('<job-41.6f1c2d3e@beckon.test>');
    const result = await mailer.send({ ...mail, messageId });
    expect(mailer.kind).toBe('smtp');
    expect(result).toEqual({ messageId, accepted: ['ada@example.com'], rejected: [] });

    const got = smtp.received.find((r) => r.raw.includes(messageId));
    expect(got).toBeDefined();
    expect(got!.from).toBe('research@beckon.test');
    expect(got!.to).toEqual(['ada@example.com']);

    const message = parseMime(got!.raw);
    expect(message.headers.get('message-id')).toBe(messageId);
    expect(message.headers.get('from')).toBe('Acme <research@beckon.test>');
    expect(message.headers.get('to')).toBe('ada@example.com');
    expect(message.headers.get('reply-to')).toBe('maya@acme.test');
    expect(message.headers.get('subject')).toBe(mail.subject);
    expect(message.headers.get('auto-submitted')).toBe('auto-generated');

    const text = part(message, 'text/plain');
    expect(text?.body.replace(/\r\n/g, '\n')).toBe(mail.text);
    expect(text?.body).toContain('Monday, March 16, 2026, 3:00 – 3:20 PM');

    const htmlPart = part(message, 'text/html');
    expect(htmlPart?.body.replace(/\r\n/g, '\n')).toBe(mail.html);
    expect(htmlPart?.body).toContain('Ada &lt;script&gt;x&lt;/script&gt; Lovelace');

    // The calendar alternative that makes clients show accept/decline…
    const calendar = part(message, 'text/calendar');
    expect(calendar?.params.method).toBe('REQUEST');
    const { calendar: vcalendar, event } = eventOf(calendar!.body);
    expect(vcalendar.get('METHOD')).toBe('REQUEST');
    expect(event.get('UID')).toBe('booking-6f1c2d3e@beckon.test');
    expect(event.get('DTSTART')).toBe('20260316T140000Z');
    // …and the same invite as a file, for clients that only look at attachments.
    const attachment = part(message, 'application/ics');
    expect(attachment?.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(attachment?.body).toBe(calendar?.body);
  });

  it('a cancel carries a text/calendar part with method=CANCEL', async () => {
    const mail = renderMail('cancelled', mailContext({ booking: { icalSequence: 3 }, cancelledBy: 'participant' }), 'host');
    const messageId = '<job-42.cancel@beckon.test>';
    await mailer.send({ ...mail, messageId });
    const message = parseMime(smtp.received.find((r) => r.raw.includes(messageId))!.raw);
    expect(message.headers.get('from')).toBe('Beckon <research@beckon.test>');
    expect(message.headers.get('reply-to')).toBeUndefined();
    const calendar = part(message, 'text/calendar');
    expect(calendar?.params.method).toBe('CANCEL');
    expect(eventOf(calendar!.body).event.get('STATUS')).toBe('CANCELLED');
    expect(eventOf(calendar!.body).event.get('SEQUENCE')).toBe('3');
  });

  it('a retry of the same job sends the same Message-ID', async () => {
    const mail = renderMail('reminder', mailContext(), '24h');
    const messageId = messageIdFor('job-43.reminder-24h', FROM);
    await mailer.send({ ...mail, messageId });
    await mailer.send({ ...mail, messageId });
    const copies = smtp.received.filter((r) => parseMime(r.raw).headers.get('message-id') === messageId);
    expect(copies).toHaveLength(2);
    expect(part(parseMime(copies[0]!.raw), 'text/calendar')).toBeUndefined();
  });

  it('reuses pooled connections instead of opening one per message', async () => {
    const before = smtp.connections();
    for (let i = 0; i < 3; i++) await mailer.send({ ...renderMail('thank_you', mailContext()), messageId: `<pool-${i}@beckon.test>` });
    expect(smtp.connections() - before).toBe(0);
    expect(smtp.connections()).toBe(1);
  });

  it('a message with no usable Message-ID is refused before anything is sent', async () => {
    const before = smtp.received.length;
    await expect(mailer.send({ ...renderMail('thank_you', mailContext()), messageId: 'no at sign' })).rejects.toThrow(/Message-ID/);
    await expect(mailer.send({ ...renderMail('thank_you', mailContext()), to: [], messageId: '<x@y>' })).rejects.toThrow(/recipient/);
    expect(smtp.received.length).toBe(before);
  });
});

describe('SMTP_URL', () => {
  it('becomes connection options: TLS for smtps, decoded credentials, query parameters as options', () => {
    expect(smtpOptionsFromUrl('smtps://user%40acme:p%3Ass@mail.acme.test:465?maxConnections=1&tls.rejectUnauthorized=false&name=beckon')).toEqual({
      host: 'mail.acme.test',
      port: 465,
      secure: true,
      auth: { user: 'user@acme', pass: 'p:ss' },
      maxConnections: 1,
      tls: { rejectUnauthorized: false },
      name: 'beckon',
    });
    expect(smtpOptionsFromUrl('smtp://[::1]:2525')).toEqual({ host: '::1', port: 2525, secure: false });
    expect(() => smtpOptionsFromUrl('http://mail.acme.test')).toThrow(/smtp/);
  });
});

describe('SMTP with credentials and a refused recipient', () => {
  it('logs in with the user and password from the URL', async () => {
    const smtp = await startSmtp({ requireAuth: true });
    const mailer = createMailer({ smtpUrl: `smtp://beckon:${encodeURIComponent('s3cret:with@chars')}@127.0.0.1:${smtp.port}`, from: FROM });
    try {
      await mailer.send({ ...renderMail('thank_you', mailContext()), messageId: '<auth-1@beckon.test>' });
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.user).toBe('beckon');
    } finally {
      await mailer.close();
      await smtp.close();
    }
  });

  it('wrong credentials fail the send', async () => {
    const smtp = await startSmtp({ requireAuth: true });
    const mailer = createMailer({ smtpUrl: `smtp://beckon:wrong@127.0.0.1:${smtp.port}`, from: FROM });
    try {
      await expect(mailer.send({ ...renderMail('thank_you', mailContext()), messageId: '<auth-2@beckon.test>' })).rejects.toThrow(/Invalid/);
      expect(smtp.received).toHaveLength(0);
    } finally {
      await mailer.close();
      await smtp.close();
    }
  });

  it('one refused observer does not fail the team’s mail (a retry would duplicate it for the others); it is reported', async () => {
    const smtp = await startSmtp({ rejectRecipient: 'jonas@acme.test' });
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: FROM });
    try {
      const result = await mailer.send({ ...renderMail('host_notice', mailContext()), messageId: '<partial-1@beckon.test>' });
      expect(result.accepted).toEqual(['maya@acme.test']);
      expect(result.rejected).toEqual(['jonas@acme.test']);
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.to).toEqual(['maya@acme.test']);
    } finally {
      await mailer.close();
      await smtp.close();
    }
  });
});

describe('SMTP down', () => {
  const timeouts = { connectionMs: 500, greetingMs: 500, socketMs: 1_000 };



  it('a closed port rejects the send promptly', async () => {
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${await freePort()}`, from: FROM, timeouts });
    const started = Date.now();
    try {
      await expect(mailer.send({ ...renderMail('confirmation', mailContext()), messageId: '<down-1@beckon.test>' })).rejects.toThrow(/ECONNREFUSED|connect/i);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await mailer.close();
    }
  });

  it('a server that accepts the connection but never greets fails after the greeting timeout, not never', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const { port } = silent.address() as net.AddressInfo;
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, timeouts });
    const started = Date.now();
    try {
      await expect(mailer.send({ ...renderMail('confirmation', mailContext()), messageId: '<down-2@beckon.test>' })).rejects.toThrow(/greeting|timeout/i);
      const elapsed = Date.now() - started;
      expect(sockets.size).toBeGreaterThan(0);
      expect(elapsed).toBeGreaterThanOrEqual(400);
      expect(elapsed).toBeLessThan(3_000);
    } finally {
      await mailer.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('a server that drops the connection mid-conversation fails the send promptly', async () => {
    let accepted = 0;
    const rude = net.createServer((socket) => {
      accepted++;
      socket.write('220 rude.test ESMTP\r\n');
      socket.once('data', () => socket.destroy());
    });
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', () => resolve()));
    const { port } = rude.address() as net.AddressInfo;
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, timeouts });
    const started = Date.now();
    try {
      await expect(mailer.send({ ...renderMail('confirmation', mailContext()), messageId: '<down-3@beckon.test>' })).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(accepted).toBeLessThanOrEqual(2);
    } finally {
      await mailer.close();
      await new Promise<void>((resolve) => rude.close(() => resolve()));
    }
  });

  it('the default timeouts are finite, so a hung server can never hold a job forever', async () => {
    const { DEFAULT_SMTP_TIMEOUTS } = await import('../../src/mail/mailer.js');
    for (const value of Object.values(DEFAULT_SMTP_TIMEOUTS)) {
      expect(value).toBeGreaterThan(0);
      expect(value).toBeLessThanOrEqual(60_000);
    }
  });
});
