// Sending mail. With an SMTP URL configured, messages go through a pooled nodemailer SMTP
// transport whose timeouts make a hung server fail the job (which the worker retries) instead
// of holding it forever. Without one (the embedded default), they go to the development
// outbox table and are shown at /dev/outbox.
//
// Delivery is at-least-once: the job worker may run a send twice (a crash after the server
// accepted the message, before the job was marked done). The caller therefore gives every
// message a stable Message-ID derived from the job, so a repeat carries the same Message-ID
// (which receiving systems and clients use to recognise a duplicate), and the outbox stores it once.
import type { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { Database } from '../db/client.js';
import { outboxMessages } from '../db/schema.js';
import type { RenderedMail } from './types.js';

export interface OutgoingMail extends RenderedMail {
  /** Stable across retries of one job, e.g. "<job-123.2f1c…@beckon.example>"; see messageIdFor. */
  messageId: string;
}

export interface SendResult {
  messageId: string;
  accepted: string[];
  /** Recipients the SMTP server refused while accepting the others (a retry would duplicate the rest). */
  rejected: string[];
}

export interface SmtpTimeouts {
  /** To open the TCP (and TLS) connection. */
  connectionMs: number;
  /** From connecting to the server's greeting. */
  greetingMs: number;
  /** Of inactivity on an open connection. */
  socketMs: number;
}

export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000 };

export interface MailerOptions {
  /** smtp:// or smtps:// URL (credentials in it); undefined → development outbox. */
  smtpUrl: string | undefined;
  /** The From header, e.g. "Beckon <research@example.com>"; a message's fromName replaces the display name. */
  from: string;
  /** Needed for the development outbox. */
  db?: Database;
  timeouts?: Partial<SmtpTimeouts>;
  /** Simultaneous SMTP connections in the pool. */
  maxConnections?: number;
}

export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  send(mail: OutgoingMail): Promise<SendResult>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- addresses and ids

/** The address inside "Name <address>", or the whole string when it is a bare address. */
export function addressOf(from: string): string {
  const match = /<([^<>]+)>\s*$/.exec(from);
  return (match ? match[1]! : from).trim();
}

function displayNameOf(from: string): string | undefined {
  const match = /^\s*"?([^"<]*?)"?\s*<[^<>]+>\s*$/.exec(from);
  return match?.[1] ? match[1] : undefined;
}

const MESSAGE_ID = /^<[^\s<>@]+@[^\s<>@]+>$/;

/** "<a@b>" from "<a@b>" or "a@b"; anything else is a programming error and throws. */
export function normalizeMessageId(messageId: string): string {
  const trimmed = messageId.trim();
  const wrapped = trimmed.startsWith('<') ? trimmed : `<${trimmed}>`;
  if (!MESSAGE_ID.test(wrapped)) throw new Error(`Not a valid Message-ID: ${JSON.stringify(messageId)}`);
  return wrapped;
}

/**
 * A Message-ID from a stable key (e.g. `job-${job.id}.${bookingId}`), on the domain of the
 * From address, so it is the same on every attempt of one job and unique across jobs.
 */
export function messageIdFor(key: string, from: string): string {
  const local = key.replace(/[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]/g, '-').replace(/^\.+|\.+$/g, '') || 'message';
  const domain = addressOf(from).split('@')[1]?.replace(/[^A-Za-z0-9.-]/g, '') || 'beckon.localhost';
  return `<${local}@${domain}>`;
}

function checkMail(mail: OutgoingMail): string {
  if (mail.to.length === 0) throw new Error('A message needs at least one recipient');
  return normalizeMessageId(mail.messageId);
}

// ---------------------------------------------------------------- SMTP

function coerce(value: string): string | number | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
}

/**
 * SMTP_URL → nodemailer connection options: smtps:// is TLS from the start, smtp:// upgrades
 * with STARTTLS when offered; user and password are percent-decoded; query parameters become
 * options (`?tls.rejectUnauthorized=false`, `?maxConnections=1`) and win over Beckon's defaults.
 *
 * Parsed here rather than passed as `{ url }`: nodemailer's createTransport drops every other
 * option of an object that has `url`, which silently loses pooling and all the timeouts.
 */
export function smtpOptionsFromUrl(smtpUrl: string): Record<string, unknown> {
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`SMTP URL must be smtp:// or smtps://, got ${url.protocol}`);
  const options: Record<string, unknown> = { host: url.hostname.replace(/^\[|\]$/g, ''), secure: url.protocol === 'smtps:' };
  if (url.port) options.port = Number(url.port);
  if (url.username) options.auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  for (const [key, raw] of url.searchParams) {
    const [head, ...rest] = key.split('.');
    if (!head) continue;
    if (rest.length === 0) {
      options[head] = coerce(raw);
    } else {
      const nested = (options[head] ??= {}) as Record<string, unknown>;
      nested[rest.join('.')] = coerce(raw);
    }
  }
  return options;
}

function smtpMailer(options: MailerOptions & { smtpUrl: string }): Mailer {
  const timeouts = { ...DEFAULT_SMTP_TIMEOUTS, ...options.timeouts };
  const fromAddress = addressOf(options.from);
  const transportOptions = {
    pool: true,
    maxConnections: options.maxConnections ?? 3,
    // A pooled connection that closes without an error puts its message back in the queue;
    // nodemailer's default is to do that without limit; one retry on a fresh connection is enough.
    maxRequeues: 1,
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    dnsTimeout: timeouts.connectionMs,
    ...smtpOptionsFromUrl(options.smtpUrl),
  } as SMTPPool.Options;
  // nodemailer is loaded with the first message: a server with nothing to send does without it.
  let transport: Promise<Transporter> | undefined;
  const transportOf = () => (transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(transportOptions)));
  return {
    kind: 'smtp',
    async send(mail) {
      const messageId = checkMail(mail);
      const info = await (await transportOf()).sendMail({
        from: mail.fromName ? { name: mail.fromName, address: fromAddress } : options.from,
        to: mail.to,
        ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId,
        // Automated mail: out-of-office responders should not answer it (RFC 3834).
        headers: { 'Auto-Submitted': 'auto-generated', ...(mail.unsubscribeUrl ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}) },
        ...(mail.unsubscribeUrl ? { list: { unsubscribe: mail.unsubscribeUrl } } : {}),
        // nodemailer adds this both as a text/calendar alternative (method=…), which makes
        // clients show accept/decline, and as an invite.ics attachment for the others.
        ...(mail.ics ? { icalEvent: { method: mail.ics.method, content: mail.ics.content, filename: 'invite.ics' } } : {}),
      });
      const asStrings = (list: unknown): string[] =>
        Array.isArray(list) ? list.map((entry) => (typeof entry === 'string' ? entry : String((entry as { address?: string }).address))) : [];
      return { messageId, accepted: asStrings(info.accepted), rejected: asStrings(info.rejected) };
    },
    async close() {
      if (transport) (await transport).close();
    },
  };
}

// ---------------------------------------------------------------- development outbox

function outboxMailer(options: MailerOptions & { db: Database }): Mailer {
  const { db } = options;
  const fromAddress = addressOf(options.from);
  return {
    kind: 'outbox',
    async send(mail) {
      const messageId = checkMail(mail);
      const name = mail.fromName ?? displayNameOf(options.from);
      await db
        .insert(outboxMessages)
        .values({
          messageId,
          from: name ? `${name} <${fromAddress}>` : fromAddress,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          ics: mail.ics?.content ?? null,
        })
        // A retried job stores nothing new: the first copy is the one shown.
        .onConflictDoNothing({ target: outboxMessages.messageId });
      return { messageId, accepted: [...mail.to], rejected: [] };
    },
    async close() {},
  };
}

export function createMailer(options: MailerOptions): Mailer {
  if (options.smtpUrl) return smtpMailer({ ...options, smtpUrl: options.smtpUrl });
  if (!options.db) throw new Error('The development outbox needs a database: pass db, or configure SMTP_URL');
  return outboxMailer({ ...options, db: options.db });
}
