// Mail jobs: each re-reads its booking as it is now, decides whether the mail still makes
// sense (no reminder for a cancelled interview, none for a time it was moved away from),
// renders it and sends it with a Message-ID fixed by the job, so a retry is the same message.
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { bookings, calendarConnections, members, memberships, users, zoomConnections } from '../db/schema.js';
import type { BookingMailPayload, JobHandler, JobHandlers, NewJob } from '../jobs/kinds.js';
import { enqueue } from '../jobs/queue.js';
import { ErasedParticipant, hasWayToJoin, MAIL_KINDS, messageIdFor, renderMail, type Mailer, type MailKind, type MailVariant } from '../mail/index.js';
import { bookingMailContext } from '../mail/context.js';
import { renderCalendarReconnect } from '../mail/calendar-reconnect.js';
import { renderZoomReconnect } from '../mail/zoom-reconnect.js';
import type { SecretBox } from '../security/secrets.js';
import { incentiveToHandOver } from './incentives.js';
import { mailablePersonOfBooking, unsubscribeToken } from './people.js';

export interface NotificationDeps {
  db: Database;
  mailer: Mailer;
  secretBox: SecretBox;
  publicUrl: string;
  from: string;
}

type BookingRow = typeof bookings.$inferSelect;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** How late a reminder may still go out: after a worker outage, a late reminder is dropped rather than sent hours late. */
const REMINDER_GRACE_MS: Record<'24h' | '1h', number> = { '24h': 2 * HOUR, '1h': 15 * MINUTE };
const REMINDER_LEAD_MS: Record<'24h' | '1h', number> = { '24h': 24 * HOUR, '1h': HOUR };

/** Whether a mail of this kind still makes sense for the booking as it is now. */
function stillWanted(kind: MailKind, booking: BookingRow, payload: BookingMailPayload, now: Date): boolean {
  const sameTime = payload.startsAt === undefined || Date.parse(payload.startsAt) === booking.startsAt.getTime();
  // A mail for one interviewer is moot once another leads the interview.
  if (payload.hostId !== undefined && payload.hostId !== booking.hostId) return false;
  switch (kind) {
    case 'cancelled':
      return booking.status === 'cancelled';
    case 'rescheduled':
      // The interviewer it was taken from is told unless it came back to them since.
      if (payload.audience === 'previous_host') return booking.status === 'confirmed' && booking.hostId !== payload.previousHostId;
      return booking.status === 'confirmed';
    case 'thank_you':
      // Only once the interview was marked done: a no-show (or an unmarked one) is thanked for nothing.
      return booking.status === 'completed' && sameTime;
    case 'incentive':
      // Once handed over it is owed, whatever the booking says since; the incentive row decides.
      return true;
    case 'reminder': {
      const before = payload.before ?? '24h';
      const due = booking.startsAt.getTime() - REMINDER_LEAD_MS[before];
      return booking.status === 'confirmed' && sameTime && now.getTime() <= due + REMINDER_GRACE_MS[before];
    }
    default:
      return booking.status === 'confirmed' && sameTime;
  }
}

/** The workspace's owners and admins: who is asked when an interviewer does not answer. */
async function workspaceAdmins(db: Database, workspaceId: string): Promise<{ name: string; email: string }[]> {
  return db
    .select({ name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.role, ['owner', 'admin'])));
}

function variantOf(kind: MailKind, payload: BookingMailPayload): MailVariant | undefined {
  if (kind === 'reminder') return payload.before ?? '24h';
  if (kind === 'rescheduled' || kind === 'cancelled') return payload.audience ?? 'participant';
  if (kind === 'attendance') return payload.stage ?? 'first';
  return undefined;
}

function mailHandler(deps: NotificationDeps, kind: MailKind): JobHandler<`mail.${MailKind}`> {
  return async (job) => {
    const { payload } = job;
    const now = job.now ?? new Date();
    const [booking] = await deps.db.select().from(bookings).where(eq(bookings.id, payload.bookingId));
    if (!booking || !stillWanted(kind, booking, payload, now)) return;
    const variant = variantOf(kind, payload);
    const context = await bookingMailContext(deps, booking);
    if (kind === 'thank_you') {
      // Not transactional: nothing for someone who unsubscribed or whom the team marked do-not-contact.
      const person = await mailablePersonOfBooking(deps.db, booking.id);
      if (person?.doNotContact) return;
      if (person) context.unsubscribeUrl = `${deps.publicUrl}/u/${unsubscribeToken(deps.secretBox, person.personId)}`;
    }
    if (kind === 'incentive') {
      const given = await incentiveToHandOver(deps.db, deps.secretBox, booking.id);
      if (!given) return;
      // What was promised at booking, even if the study's offer changed since.
      context.study.incentiveDescription = given.description;
      context.incentiveHandover = given.handover;
    }
    if (payload.previousStartsAt) context.booking.previousStartsAt = new Date(payload.previousStartsAt);
    if (payload.previousHostId) {
      const [previous] = await deps.db.select({ name: members.name, email: members.email, timeZone: members.timeZone }).from(members).where(eq(members.id, payload.previousHostId));
      context.previousHost = previous ?? null;
    }
    if (kind === 'attendance' && variant === 'escalate') {
      context.admins = await workspaceAdmins(deps.db, booking.workspaceId);
      if (context.admins.length === 0) return; // nobody above the interviewer to ask
    }
    let chosen = variant;
    if (kind === 'join_details') {
      // The link that was to follow: the participant gets it now, or the team hears nobody can give one.
      chosen = hasWayToJoin(context) ? 'participant' : 'host';
      if (chosen === 'host') context.admins = await workspaceAdmins(deps.db, booking.workspaceId);
    }
    let mail;
    try {
      mail = renderMail(kind, context, chosen);
    } catch (error) {
      if (error instanceof ErasedParticipant) return; // nobody to send it to any more
      throw error;
    }
    await deps.mailer.send({ ...mail, messageId: messageIdFor(`job-${job.id}.${booking.id}`, deps.from) });
    const toldParticipant = kind === 'confirmation' || (kind === 'rescheduled' && variant === 'participant');
    if (toldParticipant && !hasWayToJoin(context)) await enqueue(deps.db, joinDetailsJob(booking, now));
  };
}

/**
 * The participant was told a link would follow: it goes out before their first reminder (an
 * hour before it), with the way to join as it is then, or the team is told there is none.
 */
function joinDetailsJob(booking: BookingRow, now: Date): NewJob {
  const start = booking.startsAt.getTime();
  const firstReminder = start - 24 * HOUR > now.getTime() ? start - 24 * HOUR : start - HOUR;
  const startsAt = booking.startsAt.toISOString();
  return {
    kind: 'mail.join_details',
    payload: { bookingId: booking.id, startsAt },
    runAt: new Date(Math.max(now.getTime(), firstReminder - HOUR)),
    dedupeKey: `mail.join_details:${booking.id}:${startsAt}`,
  };
}

type MailHandlers = Pick<JobHandlers, `mail.${MailKind}`>;

export function notificationHandlers(deps: NotificationDeps): MailHandlers {
  const handlers = Object.fromEntries(MAIL_KINDS.map((kind) => [`mail.${kind}`, mailHandler(deps, kind)]));
  // One handler per kind in MAIL_KINDS, which lists every MailKind.
  return handlers as MailHandlers;
}

export interface ReconnectDeps extends NotificationDeps {
  /** A consent link for a Google connection made with the deployment's OAuth client; undefined otherwise. */
  googleConnectUrl?: (member: { id: string; workspaceId: string; email: string }) => string | undefined;
  /** The same for a Microsoft connection. */
  microsoftConnectUrl?: (member: { id: string; workspaceId: string; email: string }) => string | undefined;
}

/**
 * A connection whose access was revoked stops that interviewer being offered; they are asked,
 * once, to reconnect (Google, Microsoft: a fresh sign-in link; CalDAV: a new app-specific password in the admin app).
 */
export function reconnectHandler(deps: ReconnectDeps): JobHandler<'mail.calendar_reconnect'> {
  return async (job) => {
    const [row] = await deps.db
      .select({ connection: calendarConnections, member: members })
      .from(calendarConnections)
      .innerJoin(members, eq(calendarConnections.memberId, members.id))
      .where(eq(calendarConnections.id, job.payload.connectionId));
    if (!row || row.connection.status !== 'broken') return; // fixed (or removed) in the meantime
    const { connection, member } = row;
    const signIn = connection.provider === 'google' ? deps.googleConnectUrl : connection.provider === 'microsoft' ? deps.microsoftConnectUrl : undefined;
    const link = signIn?.(member) ?? `${deps.publicUrl}/admin/members/${member.id}`;
    const mail = renderCalendarReconnect({ member, connection, link });
    await deps.mailer.send({ ...mail, messageId: messageIdFor(`job-${job.id}.calendar-${connection.id}`, deps.from) });
  };
}

/** A Zoom connection whose access was revoked: its member is asked, once a day at most, to connect again. */
export function zoomReconnectHandler(deps: NotificationDeps & { zoomConnectUrl?: (member: { id: string; workspaceId: string }) => string | undefined }): JobHandler<'mail.zoom_reconnect'> {
  return async (job) => {
    const [row] = await deps.db
      .select({ connection: zoomConnections, member: members })
      .from(zoomConnections)
      .innerJoin(members, eq(zoomConnections.memberId, members.id))
      .where(eq(zoomConnections.id, job.payload.connectionId));
    if (!row || row.connection.status !== 'broken') return; // connected again (or removed) in the meantime
    const { connection, member } = row;
    const link = deps.zoomConnectUrl?.(member) ?? `${deps.publicUrl}/admin/members/${member.id}`;
    const mail = renderZoomReconnect({ member, connection, link });
    await deps.mailer.send({ ...mail, messageId: messageIdFor(`job-${job.id}.zoom-${connection.id}`, deps.from) });
  };
}
