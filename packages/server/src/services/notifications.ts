// Mail jobs: each re-reads its booking as it is now, decides whether the mail still makes
// sense (no reminder for a cancelled interview, none for a time it was moved away from),
// renders it and sends it with a Message-ID fixed by the job, so a retry is the same message.
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
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

type Told = NonNullable<BookingRow['told']>;

/** One mail a job sends, with the facts it tells and what its reader knows once it is sent. */
interface Send {
  kind: MailKind;
  variant?: MailVariant;
  previousStartsAt?: string;
  previousHostId?: string;
  /** A mail to an interviewer who no longer leads it (a cancellation): them, at the time they knew. */
  toHost?: { id: string; startsAt: string };
  /** What the reader knows once it went out. */
  note?: (told: Told) => Told;
}

const withoutHost = (told: Told, hostId: string): Told => ({ ...told, hosts: Object.fromEntries(Object.entries(told.hosts).filter(([id]) => id !== hostId)) });

/**
 * The mails a job sends, from what each reader was last told (the booking's `told`): after
 * changes that came quickly one after another, each person hears the net change from what they
 * heard last, once. An interviewer never told of the interview is not told it is gone; one who
 * already had it hears of its new time rather than of a new interview; the participant hears
 * from the host and time they knew. Bookings made before `told` was kept: the job's own facts.
 */
function sendsOf(kind: MailKind, variant: MailVariant | undefined, booking: BookingRow, payload: BookingMailPayload): Send[] {
  const asJob: Send = { kind, variant, previousStartsAt: payload.previousStartsAt, previousHostId: payload.previousHostId };
  const told = booking.told;
  if (!told) return [asJob];
  const host = booking.hostId;
  const start = booking.startsAt.toISOString();
  const participantKnows = (t: Told): Told => ({ ...t, participant: { hostId: host, startsAt: start } });
  const hostKnows = (t: Told): Told => ({ ...t, hosts: { ...t.hosts, [host]: start } });
  if (kind === 'confirmation') return [{ ...asJob, note: participantKnows }];
  if (kind === 'host_notice') {
    const knew = told.hosts[host];
    if (knew === start) return []; // theirs at this time already (given back to them)
    // Theirs before at another time: the new time, not a new interview.
    return [knew ? { kind: 'rescheduled', variant: 'host', previousStartsAt: knew, note: hostKnows } : { kind, variant, note: hostKnows }];
  }
  if (kind === 'rescheduled' && variant === 'participant') {
    const was = told.participant;
    // Not confirmed yet (the confirmation still to go tells it as it is now), or known as it is.
    if (!was || (was.hostId === host && was.startsAt === start)) return [];
    return [{ kind, variant, previousStartsAt: was.startsAt, previousHostId: was.hostId, note: participantKnows }];
  }
  if (kind === 'rescheduled' && variant === 'previous_host') {
    const from = payload.previousHostId;
    const knew = from === undefined ? undefined : told.hosts[from];
    // Never told it was theirs: nothing to take back.
    if (from === undefined || knew === undefined) return [];
    return [{ kind, variant, previousStartsAt: knew, previousHostId: from, note: (t) => withoutHost(t, from) }];
  }
  if (kind === 'rescheduled' && variant === 'host') {
    const knew = told.hosts[host];
    // Not told yet that it is theirs (their notice, still to go, has the time as it is), or told this time.
    if (knew === undefined || knew === start) return [];
    return [{ kind, variant, previousStartsAt: knew, note: hostKnows }];
  }
  if (kind === 'cancelled' && variant === 'participant') return told.participant ? [{ kind, variant, note: (t) => ({ ...t, participant: null }) }] : [];
  if (kind === 'cancelled') {
    // Each interviewer who was told it was theirs, at the time they knew: the one who leads it
    // now, or one a move took it from before they heard so.
    return Object.entries(told.hosts).map(([id, knew]) => ({ kind, variant, toHost: { id, startsAt: knew }, note: (t: Told) => withoutHost(t, id) }));
  }
  return [asJob];
}

/** Records what a mail that went out told its reader (under the booking's row lock: mails of one booking may run side by side). */
async function noteTold(db: Database, bookingId: string, note: (told: Told) => Told): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select({ told: bookings.told }).from(bookings).where(eq(bookings.id, bookingId)).for('update');
    if (row?.told) await tx.update(bookings).set({ told: note(row.told) }).where(eq(bookings.id, bookingId));
  });
}

const personOf = async (db: Database, memberId: string) =>
  (await db.select({ name: members.name, email: members.email, timeZone: members.timeZone }).from(members).where(eq(members.id, memberId)))[0];

function mailHandler(deps: NotificationDeps, kind: MailKind): JobHandler<`mail.${MailKind}`> {
  return async (job) => {
    const { payload } = job;
    const now = job.now ?? new Date();
    const [booking] = await deps.db.select().from(bookings).where(eq(bookings.id, payload.bookingId));
    if (!booking || !stillWanted(kind, booking, payload, now)) return;
    const sends = sendsOf(kind, variantOf(kind, payload), booking, payload);
    if (sends.length === 0) return;
    const base = await bookingMailContext(deps, booking);
    if (kind === 'thank_you') {
      // Not transactional: nothing for someone who unsubscribed or whom the team marked do-not-contact.
      const person = await mailablePersonOfBooking(deps.db, booking.id);
      if (person?.doNotContact) return;
      if (person) base.unsubscribeUrl = `${deps.publicUrl}/u/${unsubscribeToken(deps.secretBox, person.personId)}`;
      // One thank-you per booking: done, no-show, done again makes a second job, and only one may thank.
      const [claimed] = await deps.db
        .update(bookings)
        .set({ thankedByJob: job.id })
        .where(and(eq(bookings.id, booking.id), eq(bookings.status, 'completed'), or(isNull(bookings.thankedByJob), eq(bookings.thankedByJob, job.id))))
        .returning({ id: bookings.id });
      if (!claimed) return;
    }
    if (kind === 'incentive') {
      const given = await incentiveToHandOver(deps.db, deps.secretBox, booking.id);
      if (!given) return;
      // What was promised at booking, even if the study's offer changed since.
      base.study.incentiveDescription = given.description;
      base.incentiveHandover = given.handover;
    }
    if (kind === 'attendance' && variantOf(kind, payload) === 'escalate') {
      base.admins = await workspaceAdmins(deps.db, booking.workspaceId);
      if (base.admins.length === 0) return; // nobody above the interviewer to ask
    }
    for (const [index, send] of sends.entries()) {
      const context = { ...base, booking: { ...base.booking } };
      if (send.previousStartsAt) context.booking.previousStartsAt = new Date(send.previousStartsAt);
      if (send.previousHostId) context.previousHost = (await personOf(deps.db, send.previousHostId)) ?? null;
      if (send.toHost) {
        const reader = await personOf(deps.db, send.toHost.id);
        if (!reader) continue;
        const startsAt = new Date(send.toHost.startsAt);
        Object.assign(context.booking, { startsAt, endsAt: new Date(startsAt.getTime() + (booking.endsAt.getTime() - booking.startsAt.getTime())) });
        if (send.toHost.id !== booking.hostId) Object.assign(context, { host: reader, observers: [] });
      }
      let chosen = send.variant;
      if (kind === 'join_details') {
        // The link that was to follow: the participant gets it now, or the team hears nobody can give one.
        chosen = hasWayToJoin(context) ? 'participant' : 'host';
        if (chosen === 'host') context.admins = await workspaceAdmins(deps.db, booking.workspaceId);
      }
      let mail;
      try {
        mail = renderMail(send.kind, context, chosen);
      } catch (error) {
        if (error instanceof ErasedParticipant) continue; // nobody to send it to any more
        throw error;
      }
      // One Message-ID per mail of the job, fixed, so a retry is the same message.
      await deps.mailer.send({ ...mail, messageId: messageIdFor(`job-${job.id}${index > 0 ? `-${index}` : ''}.${booking.id}`, deps.from) });
      if (send.note) await noteTold(deps.db, booking.id, send.note);
      const toldParticipant = send.kind === 'confirmation' || (send.kind === 'rescheduled' && chosen === 'participant');
      if (toldParticipant && !hasWayToJoin(context)) await enqueue(deps.db, joinDetailsJob(booking, now));
    }
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
  googleConnectUrl?: (member: { id: string; workspaceId: string; email: string }) => Promise<string | undefined> | string | undefined;
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
    const link = (await signIn?.(member)) ?? `${deps.publicUrl}/admin/members/${member.id}`;
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
