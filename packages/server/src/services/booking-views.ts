// A booking as each side sees it: the team in the admin app (by study and time, with who is
// coming), the participant through their manage link.
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import { toInstant, type AdminBooking, type AdminBookingsQuery, type ParticipantBooking } from '@beckon/shared/api';
import { participantTitle } from '@beckon/shared/participant';
import type { Static } from '@sinclair/typebox';
import type { Database } from '../db/client.js';
import { bookings, participants } from '../db/schema.js';
import { manageUrl } from '../security/booking-links.js';
import { wayToJoin } from '../mail/context.js';
import { bookingParties, bookingParticipant, canChange } from './booking.js';

type BookingRow = typeof bookings.$inferSelect;

function toAdminBooking(row: BookingRow, participant: { name: string | null; email: string | null } | undefined): AdminBooking {
  return {
    id: row.id,
    studyId: row.studyId,
    hostId: row.hostId,
    coHostIds: row.coHostIds,
    start: toInstant(row.startsAt),
    end: toInstant(row.endsAt),
    status: row.status,
    participant: { name: participant?.name ?? null, email: participant?.email ?? null, timeZone: row.participantTimeZone },
    source: row.source,
    answers: row.answers,
    createdAt: toInstant(row.createdAt),
  };
}

/** At most 1,000, earliest first. */
export async function listBookings(db: Database, workspaceId: string, query: Static<typeof AdminBookingsQuery>): Promise<AdminBooking[]> {
  const { studyId, from, to } = query;
  const rows = await db
    .select({ booking: bookings, participant: { name: participants.name, email: participants.email } })
    .from(bookings)
    .leftJoin(participants, eq(bookings.participantId, participants.id))
    .where(
      and(
        eq(bookings.workspaceId, workspaceId),
        studyId ? eq(bookings.studyId, studyId) : undefined,
        from ? gte(bookings.startsAt, new Date(from)) : undefined,
        to ? lt(bookings.startsAt, new Date(to)) : undefined,
      ),
    )
    .orderBy(asc(bookings.startsAt))
    .limit(1000);
  return rows.map((row) => toAdminBooking(row.booking, row.participant ?? undefined));
}

/** One booking as listed, after the team changed it. */
export async function adminBooking(db: Database, booking: BookingRow): Promise<AdminBooking> {
  return toAdminBooking(booking, await bookingParticipant(db, booking));
}

/** The participant's view of their booking, behind the token of their manage link. */
export async function participantBooking(db: Database, publicUrl: string, booking: BookingRow, token: string, now = new Date()): Promise<ParticipantBooking> {
  const { study, hostName, hostJoinFallback, workspaceName, brandName } = await bookingParties(db, booking);
  return {
    booking: {
      id: booking.id,
      start: toInstant(booking.startsAt),
      end: toInstant(booking.endsAt),
      status: booking.status,
      timeZone: booking.participantTimeZone,
      study: { name: participantTitle(study, brandName ?? workspaceName), durationMinutes: study.durationMinutes, slug: study.slug },
      hostName,
      // The link the emails give: the booking's own, else the host's personal meeting link.
      meetingUrl: wayToJoin(study.meetingLocation, booking.meetingUrl, hostJoinFallback).meetingUrl,
      manageUrl: manageUrl(publicUrl, token),
      canChange: canChange(booking, now),
    },
  };
}
