// Mail jobs: each re-reads its booking as it is now, decides whether the mail still makes
// sense (no reminder for a cancelled interview, none for a time it was moved away from),
// renders it and sends it with a Message-ID fixed by the job, so a retry is the same message.
import { and, eq, inArray, or } from 'drizzle-orm';
import type { Screener } from '@beckon/shared/api';
import type { Rule } from '@beckon/shared/rules';
import type { Database } from '../db/client.js';
import { bookings, calendarConnections, members, participants, studies, studyMembers, workspaces } from '../db/schema.js';
import { ErasedParticipant, MAIL_KINDS, messageIdFor, renderMail, type BookingMailContext, type Mailer, type MailKind, type MailVariant } from '../mail/index.js';
import { button, heading, muted, paragraph, renderHtml, renderText } from '../mail/layout.js';
import type { SecretBox } from '../security/secrets.js';
import { manageUrl, teamUrl } from './booking.js';
import { incentiveToHandOver } from './incentives.js';
import type { JobHandler } from './jobs/worker.js';
import type { ClaimedJob } from './jobs/queue.js';

export interface NotificationDeps {
  db: Database;
  mailer: Mailer;
  secretBox: SecretBox;
  publicUrl: string;
  from: string;
}

type BookingRow = typeof bookings.$inferSelect;

function answerLabels(screener: Screener | null, answers: Record<string, unknown>): { question: string; answer: string }[] {
  return (screener?.questions ?? []).flatMap((question) => {
    const raw = answers[question.id];
    if (raw === undefined) return [];
    const values = Array.isArray(raw) ? raw.map(String) : [String(raw)];
    const labels = values.map((value) => question.options?.find((option) => option.id === value)?.label ?? value);
    return [{ question: question.prompt, answer: labels.join(', ') }];
  });
}

/** The segment in words, for the interviewer, when the rule is one of the presets' shapes. */
export function segmentName(targeting: Rule | null): string | null {
  if (!targeting) return null;
  const conditions = 'all' in targeting ? targeting.all : [targeting];
  for (const condition of conditions) {
    if (!('trait' in condition) || !('value' in condition) || typeof condition.value !== 'number') continue;
    const days = condition.value;
    if (condition.trait === 'signedUpAt' && condition.op === 'within_last_days') return `Recent sign-up (last ${days} days)`;
    if (condition.trait === 'canceledAt' && condition.op === 'within_last_days') return `Recently churned (last ${days} days)`;
    if (condition.trait === 'lastSeenAt' && condition.op === 'more_than_days_ago') return `Inactive (${days}+ days)`;
  }
  return 'Matched the study’s targeting';
}

/** How mails to the team name a participant whose data was erased. */
export const ERASED_PARTICIPANT = 'A participant whose data was erased';

export async function mailContext(deps: NotificationDeps, booking: BookingRow): Promise<BookingMailContext> {
  const [[study], [participant], [workspace], team] = await Promise.all([
    deps.db.select().from(studies).where(eq(studies.id, booking.studyId)),
    deps.db.select().from(participants).where(eq(participants.id, booking.participantId)),
    deps.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, booking.workspaceId)),
    deps.db
      .select({ id: members.id, name: members.name, email: members.email, timeZone: members.timeZone })
      .from(members)
      .leftJoin(studyMembers, and(eq(studyMembers.memberId, members.id), eq(studyMembers.studyId, booking.studyId)))
      // Who runs this interview, and the study's observers.
      .where(or(inArray(members.id, [booking.hostId, ...booking.coHostIds]), eq(studyMembers.role, 'observer'))),
  ]);
  const host = team.find((member) => member.id === booking.hostId)!;
  const intercept = study!.intercept as { body?: string };
  const location = study!.meetingLocation as { kind: string; details?: string };
  return {
    booking: {
      id: booking.id,
      icalUid: booking.icalUid,
      icalSequence: booking.icalSequence,
      startsAt: booking.startsAt,
      endsAt: booking.endsAt,
      meetingUrl: booking.meetingUrl,
      location: location.kind === 'phone' || location.kind === 'in_person' ? (location.details ?? null) : null,
      manageUrl: manageUrl(deps.publicUrl, deps.secretBox.deriveToken('manage', booking.id)),
      teamUrl: teamUrl(deps.publicUrl, deps.secretBox, booking.id),
      source: booking.source,
    },
    study: {
      name: study!.name,
      durationMinutes: study!.durationMinutes,
      about: intercept.body ?? null,
      incentiveDescription: (study!.incentive as { description?: string } | null)?.description ?? null,
      interviewGuide: study!.interviewGuide,
      bookingUrl: `${deps.publicUrl}/b/${study!.slug}`,
    },
    participant: participant?.email
      ? { name: participant.name ?? 'there', email: participant.email, timeZone: booking.participantTimeZone }
      : // Erased on request: the team hears what happens without the person; they are mailed nothing.
        { name: ERASED_PARTICIPANT, email: '', timeZone: booking.participantTimeZone },
    host: { name: host.name, email: host.email, timeZone: host.timeZone },
    observers: team.filter((member) => member.id !== booking.hostId).map(({ name, email }) => ({ name, email })),
    qualification: { segment: segmentName(study!.targeting), answers: answerLabels(study!.screener as Screener | null, booking.answers) },
    workspaceName: workspace?.name ?? 'Beckon',
    ...(booking.cancelledBy ? { cancelledBy: booking.cancelledBy } : {}),
  };
}

interface MailJobPayload {
  bookingId: string;
  /** For timed mails: the start they were scheduled for; a moved booking makes them moot. */
  startsAt?: string;
  before?: '24h' | '1h';
  audience?: 'participant' | 'host';
  /** For a reschedule notice: the time it moved from. */
  previousStartsAt?: string;
}

/** Whether a mail of this kind still makes sense for the booking as it is now. */
function stillWanted(kind: MailKind, booking: BookingRow, payload: MailJobPayload): boolean {
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

function mailHandler(deps: NotificationDeps, kind: MailKind): JobHandler {
  return async (job: ClaimedJob) => {
    const payload = job.payload as unknown as MailJobPayload;
    const [booking] = await deps.db.select().from(bookings).where(eq(bookings.id, payload.bookingId));
    if (!booking || !stillWanted(kind, booking, payload)) return;
    const variant: MailVariant | undefined = kind === 'reminder' ? (payload.before ?? '24h') : kind === 'rescheduled' || kind === 'cancelled' ? (payload.audience ?? 'participant') : undefined;
    const context = await mailContext(deps, booking);
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

export function notificationHandlers(deps: NotificationDeps): Record<string, JobHandler> {
  return Object.fromEntries(MAIL_KINDS.map((kind) => [`mail.${kind}`, mailHandler(deps, kind)]));
}

export interface ReconnectDeps extends NotificationDeps {
  /** A consent link for a Google connection made with the deployment's OAuth client; undefined otherwise. */
  googleConnectUrl?: (member: { id: string; workspaceId: string; email: string }) => string | undefined;
}

/**
 * A connection whose access was revoked stops that interviewer being offered; they are asked,
 * once, to reconnect (Google: a fresh consent link; CalDAV: a new app-specific password in the admin app).
 */
export function reconnectHandler(deps: ReconnectDeps): JobHandler {
  return async (job) => {
    const { connectionId } = job.payload as { connectionId: string };
    const [row] = await deps.db
      .select({ connection: calendarConnections, member: members })
      .from(calendarConnections)
      .innerJoin(members, eq(calendarConnections.memberId, members.id))
      .where(eq(calendarConnections.id, connectionId));
    if (!row || row.connection.status !== 'broken') return; // fixed (or removed) in the meantime
    const { connection, member } = row;
    const link = (connection.provider === 'google' ? deps.googleConnectUrl?.(member) : undefined) ?? `${deps.publicUrl}/admin/members/${member.id}`;
    const subject = 'Action needed: reconnect your calendar to keep getting interviews';
    const blocks = [
      heading('Your calendar is disconnected'),
      paragraph(`Hi ${member.name}, Beckon can no longer read your calendar “${connection.label}”, so you are not offered for interviews until it is reconnected. Interviews already booked stay booked.`),
      button(link, 'Reconnect my calendar'),
      muted(connection.provider === 'caldav' ? 'For iCloud or Fastmail, create a new app-specific password and add the calendar again.' : 'The link works for 7 days.'),
    ];
    await deps.mailer.send({
      to: [member.email],
      subject,
      text: renderText(blocks),
      html: renderHtml(subject, blocks),
      messageId: messageIdFor(`job-${job.id}.calendar-${connection.id}`, deps.from),
    });
  };
}
