import { and, eq, gt, inArray, or, sql } from 'drizzle-orm';
import type { InterceptEvent, ParticipantErase, ParticipantErased } from '@beckon/shared/api';
import type { Transaction } from '../db/client.js';
import { bookings, idempotencyKeys, incentives, interceptEvents, jobs, outboxMessages, participants, people as peopleTable, webhookDeliveries } from '../db/schema.js';
import { badRequest, notFound } from '../errors.js';
import { cancelBooking, type BookingDeps } from './booking.js';
import { emitWebhook } from '../integrations/webhooks.js';
import { resolvePerson } from './people.js';

/** Never an id: keeps an `in (…)` list from being empty. */
const NO_ID = '00000000-0000-0000-0000-000000000000';

/**
 * What the server remembers of identified users from their intercept events: the participant
 * record of each user id (with its person, see people.ts), when they were last asked (the
 * recontact window) and whether they asked never to be asked again. Returns each user id's
 * participant record and person, for the events to point at.
 */
export async function recordParticipantSignals(tx: Transaction, workspaceId: string, events: InterceptEvent[], now: Date): Promise<Map<string, { participantId: string; personId: string }>> {
  const byUser = new Map<string, { shown: boolean; optedOut: boolean; traits?: InterceptEvent['traits'] }>();
  for (const event of events) {
    if (!event.userId) continue;
    const signal = byUser.get(event.userId) ?? { shown: false, optedOut: false };
    signal.shown ||= event.kind === 'shown';
    signal.optedOut ||= event.kind === 'opted_out';
    // The traits identify() was given (checked against the signature when the workspace verifies identity).
    if (event.traits) signal.traits = event.traits;
    byUser.set(event.userId, signal);
  }
  const linked = new Map<string, { participantId: string; personId: string }>();
  for (const [userId, signal] of [...byUser].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const personId = await resolvePerson(tx, workspaceId, { userId, traits: signal.traits }, now);
    const [row] = await tx
      .insert(participants)
      .values({ workspaceId, userId, personId, lastShownAt: signal.shown ? now : null, optedOutAt: signal.optedOut ? now : null })
      .onConflictDoUpdate({
        target: [participants.workspaceId, participants.userId],
        targetWhere: sql`${participants.userId} is not null`,
        set: {
          personId,
          lastShownAt: signal.shown ? now : sql`${participants.lastShownAt}`,
          optedOutAt: signal.optedOut ? sql`coalesce(${participants.optedOutAt}, ${now})` : sql`${participants.optedOutAt}`,
          updatedAt: now,
        },
      })
      .returning({ id: participants.id, optedOutAt: participants.optedOutAt });
    linked.set(userId, { participantId: row!.id, personId });
    // Only the first opt-out is news; coalesce kept an earlier one.
    if (signal.optedOut && row?.optedOutAt?.getTime() === now.getTime()) await emitWebhook(tx, workspaceId, { type: 'participant.opted_out', userId, optedOutAt: now }, now);
  }
  return linked;
}

/**
 * Webhook deliveries (waiting ones and the log) keep the event but not the person: their name,
 * email and user id go from booking and incentive payloads; their opt-out events go entirely.
 */
async function eraseFromWebhooks(tx: Transaction, ids: string[], userIds: string[]): Promise<void> {
  const idList = sql.join(ids.map((id) => sql`${id}`), sql`, `);
  for (const path of ['booking', 'incentive']) {
    const at = sql.raw(`'{data,${path},participant}'`);
    await tx
      .update(webhookDeliveries)
      .set({ payload: sql`jsonb_set(${webhookDeliveries.payload}, ${at}, jsonb_build_object('id', ${webhookDeliveries.payload} #> ${at} -> 'id', 'userId', null, 'email', null, 'name', null))` })
      .where(sql`${webhookDeliveries.payload} #>> ${sql.raw(`'{data,${path},participant,id}'`)} in (${idList})`);
  }
  if (userIds.length > 0) {
    await tx
      .delete(webhookDeliveries)
      .where(and(eq(webhookDeliveries.type, 'participant.opted_out'), inArray(sql<string>`${webhookDeliveries.payload} #>> '{data,participant,userId}'`, userIds)));
  }
}

/**
 * Erases a participant on request, in one transaction that holds their rows: their upcoming
 * interviews are cancelled as the team would cancel them (the calendar event goes, the team is
 * told; the participant is mailed nothing more, as their address is gone by the time any job
 * runs), then their name, email, traits, screener answers, incentive hand-over notes, their
 * events' user ids and page URLs, and their jobs' last errors go. What stays: the bookings and
 * events without the person, so the funnel still counts, and the product's user id marked opted
 * out, so they are never invited again.
 */
export async function eraseParticipant(
  deps: BookingDeps,
  workspaceId: string,
  who: ParticipantErase,
  now = new Date(),
): Promise<ParticipantErased> {
  if (Boolean(who.email) === Boolean(who.userId)) throw badRequest('invalid_request', 'Give either the email or the user id of the participant to erase', who.email ? 'userId' : 'email');
  const match = who.email ? sql`lower(${participants.email}) = lower(${who.email})` : eq(participants.userId, who.userId!);
  const erased = await deps.db.transaction(async (tx) => {
    // Locked: a booking by the same person waits, and then finds them erased.
    const named = await tx
      .select({ id: participants.id, personId: participants.personId })
      .from(participants)
      .where(and(eq(participants.workspaceId, workspaceId), match))
      .for('update');
    // Every record of the same person (a user id and the email they booked with are one person).
    const personIds = [...new Set(named.flatMap((row) => (row.personId ? [row.personId] : [])))];
    const people = await tx
      .select({ id: participants.id, userId: participants.userId, email: participants.email })
      .from(participants)
      .where(and(eq(participants.workspaceId, workspaceId), or(inArray(participants.id, named.map((row) => row.id).concat(NO_ID)), inArray(participants.personId, personIds.concat(NO_ID)))))
      .for('update');
    if (people.length === 0) throw notFound('participant_not_found', `No participant with this ${who.email ? 'email' : 'user id'} in this workspace`);
    const ids = people.map((person) => person.id);
    const userIds = people.flatMap((person) => (person.userId ? [person.userId] : []));
    const emails = [...new Set(people.flatMap((person) => (person.email ? [person.email.toLowerCase()] : [])))];

    const upcoming = await tx
      .select({ id: bookings.id, studyId: bookings.studyId })
      .from(bookings)
      .where(and(inArray(bookings.participantId, ids), eq(bookings.status, 'confirmed'), gt(bookings.startsAt, now)));
    for (const booking of upcoming) await cancelBooking({ ...deps, db: tx }, { id: booking.id, workspaceId }, 'host');

    await tx
      .update(participants)
      .set({ email: null, name: null, traits: {}, anonymousId: null, timeZone: null, optedOutAt: sql`coalesce(${participants.optedOutAt}, ${now})`, updatedAt: now })
      .where(inArray(participants.id, ids));
    if (personIds.length > 0) {
      // The panel keeps the person, without anything that names them, held by do-not-contact (they
      // asked to be forgotten, not to be asked again); the user id stays so that holds.
      await tx
        .update(peopleTable)
        .set({ email: null, name: null, traits: {}, erasedAt: now, doNotContactAt: sql`coalesce(${peopleTable.doNotContactAt}, ${now.toISOString()}::timestamptz)`, doNotContactBy: sql`coalesce(${peopleTable.doNotContactBy}, 'participant')`, updatedAt: now })
        .where(inArray(peopleTable.id, personIds));
    }
    const erased = await tx.update(bookings).set({ answers: {}, updatedAt: now }).where(inArray(bookings.participantId, ids)).returning({ id: bookings.id });
    await eraseFromWebhooks(tx, ids, userIds);
    const bookingIds = erased.map((booking) => booking.id);
    if (userIds.length > 0) {
      // Their events, and those from the same browser before identify() named them.
      const browsers = tx.select({ anonymousId: interceptEvents.anonymousId }).from(interceptEvents).where(and(eq(interceptEvents.workspaceId, workspaceId), inArray(interceptEvents.userId, userIds)));
      await tx
        .update(interceptEvents)
        .set({ userId: null, url: null })
        .where(and(eq(interceptEvents.workspaceId, workspaceId), or(inArray(interceptEvents.userId, userIds), inArray(interceptEvents.anonymousId, browsers))));
    }
    if (bookingIds.length > 0) {
      // A replayed booking request would answer with the stored response; there is nothing left to replay.
      await tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.workspaceId, workspaceId), inArray(sql<string>`${idempotencyKeys.responseBody}->'booking'->>'id'`, bookingIds)));
      await tx.update(incentives).set({ deliverySealed: null }).where(inArray(incentives.bookingId, bookingIds));
      // A mail server's refusal can quote the address.
      await tx.update(jobs).set({ lastError: null }).where(inArray(sql<string>`${jobs.payload}->>'bookingId'`, bookingIds));
    }
    for (const email of emails) {
      // The development outbox keeps copies of what was mailed to or about them.
      const pattern = `%${email.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const addressed = sql`exists (select 1 from unnest(${outboxMessages.to}) as address where lower(address) = ${email})`;
      await tx.delete(outboxMessages).where(or(addressed, sql`lower(${outboxMessages.text}) like ${pattern}`));
    }
    return {
      result: { participants: ids.length, bookingsCancelled: upcoming.length, bookingsErased: bookingIds.length },
      studyIds: [...new Set(upcoming.map((booking) => booking.studyId))],
    };
  });
  // Told again once committed: the cancellations inside told it before the transaction ended.
  for (const studyId of erased.studyIds) deps.capacity.forget(studyId);
  return erased.result;
}
