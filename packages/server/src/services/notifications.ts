// Mail jobs: each re-reads its booking as it is now, decides whether the mail still makes
// sense (no reminder for a cancelled interview, none for a time it was moved away from),
// renders it and sends it with a Message-ID fixed by the job, so a retry is the same message.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { bookings, calendarConnections, members } from '../db/schema.js';
import type { BookingMailPayload, JobHandler, JobHandlers } from '../jobs/kinds.js';
import { ErasedParticipant, MAIL_KINDS, messageIdFor, renderMail, type Mailer, type MailKind, type MailVariant } from '../mail/index.js';
import { bookingMailContext } from '../mail/context.js';
import { renderCalendarReconnect } from '../mail/calendar-reconnect.js';
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

/** Whether a mail of this kind still makes sense for the booking as it is now. */
function stillWanted(kind: MailKind, booking: BookingRow, payload: BookingMailPayload): boolean {
  const sameTime = payload.startsAt === undefined || Date.parse(payload.startsAt) === booking.startsAt.getTime();
  switch (kind) {
    case 'cancelled':
      return booking.status === 'cancelled';
    case 'thank_you':
      return (booking.status === 'confirmed' || booking.status === 'completed') && sameTime;
    case 'incentive':
      // Once handed over it is owed, whatever the booking says since; the incentive row decides.
      return true;
    default:
      return booking.status === 'confirmed' && sameTime;
  }
}

function mailHandler(deps: NotificationDeps, kind: MailKind): JobHandler<`mail.${MailKind}`> {
  return async (job) => {
    const { payload } = job;
    const [booking] = await deps.db.select().from(bookings).where(eq(bookings.id, payload.bookingId));
    if (!booking || !stillWanted(kind, booking, payload)) return;
    const variant: MailVariant | undefined = kind === 'reminder' ? (payload.before ?? '24h') : kind === 'rescheduled' || kind === 'cancelled' ? (payload.audience ?? 'participant') : undefined;
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
    let mail;
    try {
      mail = renderMail(kind, context, variant);
    } catch (error) {
      if (error instanceof ErasedParticipant) return; // nobody to send it to any more
      throw error;
    }
    await deps.mailer.send({ ...mail, messageId: messageIdFor(`job-${job.id}.${booking.id}`, deps.from) });
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
}

/**
 * A connection whose access was revoked stops that interviewer being offered; they are asked,
 * once, to reconnect (Google: a fresh consent link; CalDAV: a new app-specific password in the admin app).
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
    const link = (connection.provider === 'google' ? deps.googleConnectUrl?.(member) : undefined) ?? `${deps.publicUrl}/admin/members/${member.id}`;
    const mail = renderCalendarReconnect({ member, connection, link });
    await deps.mailer.send({ ...mail, messageId: messageIdFor(`job-${job.id}.calendar-${connection.id}`, deps.from) });
  };
}
