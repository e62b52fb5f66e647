// A booking email's context, read from the database as the booking is now. The calendar event's
// text is built from the same context, so the invite and the event never disagree.
import { and, eq, inArray, or } from 'drizzle-orm';
import type { JoinFallback, MeetingLocation, Screener, ScreenerAnswers } from '@beckon/shared/api';
import { incentiveText, participantTitle } from '@beckon/shared/participant';
import type { Rule } from '@beckon/shared/rules';
import type { Database } from '../db/client.js';
import { bookings, members, participants, studies, studyMembers, workspaces } from '../db/schema.js';
import { manageUrl, teamUrl } from '../security/booking-links.js';
import type { SecretBox } from '../security/secrets.js';
import type { BookingMailContext } from './types.js';

/** What building a context needs: reading, and the key the booking's links derive from. */
export interface MailContextDeps {
  db: Database;
  secretBox: SecretBox;
  publicUrl: string;
}

type BookingRow = typeof bookings.$inferSelect;

/** How mails to the team name a participant whose data was erased. */
export const ERASED_PARTICIPANT = 'A participant whose data was erased';

function answerLabels(screener: Screener | null, answers: ScreenerAnswers): { question: string; answer: string }[] {
  return (screener?.questions ?? []).flatMap((question) => {
    const raw = answers[question.id];
    if (raw === undefined) return [];
    const values = Array.isArray(raw) ? raw : [raw];
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

/**
 * How the participant joins, as things are now: the booking's link (a study's video link, the Meet
 * link its calendar event made, or its Zoom meeting's), else the study's phone instructions or address, else the
 * host's own fallback (a personal meeting link, a phone number, an address); nothing when none is set.
 */
export function wayToJoin(location: MeetingLocation, meetingUrl: string | null, fallback: JoinFallback | null): { meetingUrl: string | null; location: string | null } {
  if (meetingUrl) return { meetingUrl, location: null };
  const details = location.details?.trim();
  if ((location.kind === 'phone' || location.kind === 'in_person') && details) return { meetingUrl: null, location: details };
  if (!fallback) return { meetingUrl: null, location: null };
  if (fallback.kind === 'video_url') return { meetingUrl: fallback.details, location: null };
  return { meetingUrl: null, location: fallback.kind === 'phone' ? `By phone: ${fallback.details}` : fallback.details };
}

export async function bookingMailContext(deps: MailContextDeps, booking: BookingRow): Promise<BookingMailContext> {
  const [[study], [participant], [workspace], team] = await Promise.all([
    deps.db.select().from(studies).where(eq(studies.id, booking.studyId)),
    deps.db.select().from(participants).where(eq(participants.id, booking.participantId)),
    deps.db.select({ name: workspaces.name, brandName: workspaces.brandName, logoUrl: workspaces.logoUrl }).from(workspaces).where(eq(workspaces.id, booking.workspaceId)),
    deps.db
      .select({ id: members.id, name: members.name, email: members.email, timeZone: members.timeZone, joinFallback: members.joinFallback })
      .from(members)
      .leftJoin(studyMembers, and(eq(studyMembers.memberId, members.id), eq(studyMembers.studyId, booking.studyId)))
      // Who runs this interview, and the study's observers.
      .where(or(inArray(members.id, [booking.hostId, ...booking.coHostIds]), eq(studyMembers.role, 'observer'))),
  ]);
  // Foreign keys keep both: a booking's study and host cannot be deleted while it exists.
  if (!study) throw new Error(`Booking ${booking.id} has no study`);
  const host = team.find((member) => member.id === booking.hostId);
  if (!host) throw new Error(`Booking ${booking.id} has no host`);
  const join = wayToJoin(study.meetingLocation, booking.meetingUrl, host.joinFallback);
  // What participants see: the company's brand name, the study's public title and description.
  const company = workspace?.brandName ?? workspace?.name ?? 'Beckon';
  return {
    booking: {
      id: booking.id,
      icalUid: booking.icalUid,
      icalSequence: booking.icalSequence,
      startsAt: booking.startsAt,
      endsAt: booking.endsAt,
      meetingUrl: join.meetingUrl,
      location: join.location,
      manageUrl: manageUrl(deps.publicUrl, deps.secretBox.deriveToken('manage', booking.id)),
      teamUrl: teamUrl(deps.publicUrl, deps.secretBox, booking.id),
      source: booking.source,
    },
    study: {
      name: study.name,
      title: participantTitle(study, company),
      durationMinutes: study.durationMinutes,
      about: study.publicDescription ?? study.intercept.body,
      incentiveDescription: study.incentive ? incentiveText(study.incentive) : null,
      interviewGuide: study.interviewGuide,
      bookingUrl: `${deps.publicUrl}/b/${study.slug}`,
    },
    participant: participant?.email
      ? { name: participant.name ?? 'there', email: participant.email, timeZone: booking.participantTimeZone }
      : // Erased on request: the team hears what happens without the person; they are mailed nothing.
        { name: ERASED_PARTICIPANT, email: '', timeZone: booking.participantTimeZone },
    host: { name: host.name, email: host.email, timeZone: host.timeZone },
    observers: team.filter((member) => member.id !== booking.hostId).map(({ name, email }) => ({ name, email })),
    qualification: { segment: segmentName(study.targeting), answers: answerLabels(study.screener, booking.answers) },
    workspaceName: company,
    logoUrl: workspace?.logoUrl ?? null,
    ...(booking.cancelledBy ? { cancelledBy: booking.cancelledBy } : {}),
    ...(booking.cancelReason ? { cancelReason: booking.cancelReason } : {}),
  };
}
