// Booking, rescheduling and cancelling. Each is one transaction that re-checks the slot on
// fresh data, decides caps, quotas and the host, writes the booking and enqueues its side
// effects; the exclusion constraint is the guard between concurrent bookings (a host just
// taken is passed over for the next free one), and when none is left it becomes a 409.
import { createHash, randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, max, sql, type SQL } from 'drizzle-orm';
import { hostsFreeAt, rankHosts, type HostBookingStats } from '@beckon/shared/schedule';
import { mayMatch, type Rule } from '@beckon/shared/rules';
import { screen } from '@beckon/shared/screener';
import { toInstant, type BookingCreated, type BookingRequest, type JoinFallback, type Screener, type Slot } from '@beckon/shared/api';
import type { Database, Transaction } from '../db/client.js';
import { bookings, consents, consentTexts, idempotencyKeys, incentives, members, participants, studies, studyMembers, workspaces } from '../db/schema.js';
import { conflict, HttpError, notFound, PG, pgCode, unprocessable } from '../errors.js';
import { sha256, type SecretBox } from '../security/secrets.js';
import { isTeamToken, manageUrl } from '../security/booking-links.js';
import type { BusyTimeSource } from '../calendars/busy-time.js';
import { needsHostLocks, quotaUse, readBusyBeforeBooking, schedulingInput, studySlots, studyWeek, type BusyRead, type MovingBooking, type SchedulingInput } from './availability.js';
import { enqueue } from '../jobs/queue.js';
import { emitWebhook } from '../integrations/webhooks.js';
import { enqueuePayout } from '../integrations/payouts.js';
import { assertIncentiveBudget } from './incentives.js';
import type { BookingMailPayload, NewJob } from '../jobs/kinds.js';
import type { CapacityCache } from './capacity.js';
import { verifiedIdentity } from './identity.js';
import { SingleFlight } from './single-flight.js';
import { contactRuleRefusal, contactVerdict, personLocks, resolvePerson } from './people.js';
import type { Workspace } from './workspaces.js';
import type { StudyRow } from './studies.js';
import type { MemberRow } from './members.js';
import { isUuid } from '@beckon/shared/ids';
import { builtOnce } from '../db/built-once.js';

export interface BookingDeps {
  db: Database;
  busyTime: BusyTimeSource;
  /** Told of every change to a study's bookings, so the widget's "can it take one" is never stale. */
  capacity: Pick<CapacityCache, 'forget' | 'version'>;
  secretBox: SecretBox;
  publicUrl: string;
  now?: () => Date;
}

/** The booking services' dependencies, as the app holds them. */
export const bookingDeps = (app: { db: Database; busyTime: BusyTimeSource; capacity: CapacityCache; secretBox: SecretBox; config: { publicUrl: string } }): BookingDeps => ({
  db: app.db,
  busyTime: app.busyTime,
  capacity: app.capacity,
  secretBox: app.secretBox,
  publicUrl: app.config.publicUrl,
});

type BookingRow = typeof bookings.$inferSelect;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A 409 for a slot someone else just took, with the nearest free ones to choose from. */
class SlotTaken extends Error {}
/** The interviewer the team chose is not free then. */
class HostBusy extends Error {}

// ---------------------------------------------------------------------------------------------
// Eligibility: what is checked before any slot is touched.

function checkEligibility(study: StudyRow, request: BookingRequest, now: Date): void {
  const screened = screen(study.screener as Screener | null, request.answers);
  if (!screened.ok) {
    if (screened.reason === 'screened_out') throw unprocessable('screened_out', 'These answers do not fit this study', screened.field);
    throw unprocessable('invalid_answer', screened.reason, screened.field);
  }
  // Targeting decides who the widget invites; a hosted link is an invitation in itself. The
  // server knows traits but not the browser's event history, so events count as unknown.
  const viaWidget = (request.source ?? 'widget') === 'widget';
  if (viaWidget && study.targeting) {
    const user = { userId: request.participant.userId, traits: request.participant.traits ?? {} };
    if (!mayMatch(study.targeting as Rule, user, now)) throw unprocessable('not_eligible', 'This study is looking for other participants');
  }
}

// ---------------------------------------------------------------------------------------------
// Idempotency: a retried request with the same key gets the first answer.

function requestHash(studyId: string, body: unknown): string {
  return createHash('sha256').update(`${studyId}\n${JSON.stringify(body)}`).digest('hex');
}

async function replayIdempotent(tx: Transaction, deps: BookingDeps, workspaceId: string, key: string, hash: string): Promise<BookingResult | undefined> {
  // Two requests with one key wait for each other here rather than both booking.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${workspaceId}:${key}`}, 0))`);
  return storedAnswer(tx, deps, workspaceId, key, hash);
}

/** The first answer to a request with this key, if one was stored (with the booking it made). */
async function storedAnswer(db: Database | Transaction, deps: BookingDeps, workspaceId: string, key: string, hash: string): Promise<BookingResult | undefined> {
  const [stored] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.workspaceId, workspaceId), eq(idempotencyKeys.key, key)));
  if (!stored) return undefined;
  if (stored.requestHash !== hash) {
    throw unprocessable('idempotency_key_reused', 'This Idempotency-Key was used for a different request', 'Idempotency-Key');
  }
  // The manage link is derived again, never stored: a reader of the database could cancel with it.
  const { booking } = stored.responseBody;
  return { status: stored.responseStatus, body: { booking: { ...booking, manageUrl: manageUrl(deps.publicUrl, deps.secretBox.deriveToken('manage', booking.id)) } } };
}

// ---------------------------------------------------------------------------------------------
// Booking.

/** The participant record and the person (see people.ts) a booking request names. */
async function upsertParticipant(tx: Transaction, workspaceId: string, participant: BookingRequest['participant'], personLocked = false): Promise<{ participantId: string; personId: string }> {
  const personId = await resolvePerson(tx, workspaceId, participant, new Date(), { locked: personLocked });
  const participantId = await upsertParticipantRecord(tx, workspaceId, participant, personId);
  return { participantId, personId };
}

async function upsertParticipantRecord(tx: Transaction, workspaceId: string, participant: BookingRequest['participant'], personId: string): Promise<string> {
  const values = {
    workspaceId,
    userId: participant.userId ?? null,
    email: participant.email.toLowerCase(),
    name: participant.name,
    timeZone: participant.timeZone,
    traits: participant.traits ?? {},
    personId,
  };
  if (participant.userId) {
    const [row] = await tx
      .insert(participants)
      .values(values)
      .onConflictDoUpdate({
        target: [participants.workspaceId, participants.userId],
        targetWhere: sql`${participants.userId} is not null`,
        set: { email: values.email, name: values.name, timeZone: values.timeZone, traits: values.traits, personId, updatedAt: new Date() },
      })
      .returning({ id: participants.id });
    return row!.id;
  }
  // Known by email alone: the same record again (the person's lock orders concurrent requests), in one round trip.
  const result = await tx.execute(sql`
    with existing as (
      select ${participants.id} as id from ${participants}
      where ${participants.workspaceId} = ${workspaceId} and ${participants.email} = ${values.email} and ${participants.userId} is null
      limit 1),
    updated as (
      update ${participants} set name = ${values.name}, time_zone = ${values.timeZone}, person_id = ${personId}, updated_at = now()
      where ${participants.id} = (select id from existing) returning ${participants.id} as id),
    inserted as (
      insert into ${participants} (workspace_id, email, name, time_zone, traits, person_id)
      select ${workspaceId}::uuid, ${values.email}::text, ${values.name}::text, ${values.timeZone}::text, ${JSON.stringify(values.traits)}::jsonb, ${personId}::uuid
      where not exists (select 1 from existing) returning ${participants.id} as id)
    select id from updated union all select id from inserted`);
  // Both drivers return `{ rows }`.
  return (result as unknown as { rows: [{ id: string }] }).rows[0].id;
}

/**
 * The consent or NDA text the study asks for, checked against what the participant accepted: the
 * text's id and the version they were shown (an older version is refused: they must read the new one).
 */
async function requiredConsent(tx: Transaction, workspaceId: string, study: StudyRow, request: BookingRequest) {
  if (!study.consentTextId) return undefined;
  const [text] = await tx.select().from(consentTexts).where(and(eq(consentTexts.workspaceId, workspaceId), eq(consentTexts.id, study.consentTextId)));
  if (!text) return undefined;
  const accepted = request.acceptedConsent;
  if (!accepted || accepted.consentTextId !== text.id || accepted.version !== text.version) {
    throw unprocessable('consent_required', `Please read and accept "${text.title}" (version ${text.version}) before booking`, 'acceptedConsent');
  }
  return text;
}

/** Round-robin fairness: this study's bookings per host in the slot's week, and when each was last booked. */
async function hostStats(tx: Transaction, studyId: string, hostIds: string[], week: { start: Date; end: Date }): Promise<HostBookingStats[]> {
  const rows = await tx
    .select({
      hostId: bookings.hostId,
      thisWeek: sql<number>`count(*) filter (where ${bookings.startsAt} >= ${week.start} and ${bookings.startsAt} < ${week.end} and ${bookings.status} <> 'cancelled')`.mapWith(Number),
      lastBookedAt: max(bookings.createdAt),
    })
    .from(bookings)
    .where(and(eq(bookings.studyId, studyId), inArray(bookings.hostId, hostIds)))
    .groupBy(bookings.hostId);
  return hostIds.map((hostId) => {
    const row = rows.find((r) => r.hostId === hostId);
    return { hostId, bookingsThisWeekForStudy: row?.thisWeek ?? 0, lastBookedAt: row?.lastBookedAt ? new Date(row.lastBookedAt).toISOString() : null };
  });
}

interface Assignment {
  hostId: string;
  coHostIds: string[];
  bufferBefore: number;
  bufferAfter: number;
}

const slotRange = (start: Date) => ({ from: start, to: new Date(start.getTime() + MINUTE) });

/**
 * Who may run the interview at `start`, in the order to try them; throws SlotTaken. Bookings of
 * different hosts or times do not wait for each other: the exclusion constraint keeps a host from
 * two interviews at once, and a candidate just taken is passed over (see insertWithFirstFreeHost).
 * So a new booking under no rule that counts across bookings is decided on what was read before
 * its transaction (BusyRead.settled); the others (caps, co-hosts, moves) read again inside it,
 * with the hosts' rows locked (needsHostLocks).
 */
async function assignHosts(
  tx: Transaction,
  deps: BookingDeps,
  study: StudyRow,
  start: Date,
  now: Date,
  readBusy: BusyRead,
  moving?: MovingBooking,
  requiredHostId?: string,
): Promise<{ candidates: Assignment[]; teamZone: string }> {
  const lockHosts = study.assignmentMode === 'all_hosts' || moving !== undefined || ((hosts: MemberRow[]) => needsHostLocks(study, hosts));
  const { hosts, input } = await schedulingInput(tx, study, slotRange(start), now, deps.busyTime, { lockHosts, freshBusy: true, moving, readBusy });
  return rankCandidates(study, hosts, input, start, (free, teamZone) => hostStats(tx, study.id, free, studyWeek(start, teamZone)), moving, requiredHostId);
}

async function rankCandidates(
  study: StudyRow,
  hosts: MemberRow[],
  input: SchedulingInput['input'],
  start: Date,
  statsOf: (free: string[], teamZone: string) => Promise<HostBookingStats[]>,
  moving?: MovingBooking,
  requiredHostId?: string,
): Promise<{ candidates: Assignment[]; teamZone: string }> {
  const free = hostsFreeAt(input, start);
  if (free.length === 0) throw new SlotTaken();
  if (requiredHostId && !free.includes(requiredHostId)) throw new HostBusy();
  const assignment = (hostId: string, coHostIds: string[] = []): Assignment => {
    const host = hosts.find((h) => h.id === hostId)!;
    return { hostId, coHostIds, bufferBefore: host.bufferBeforeMinutes, bufferAfter: host.bufferAfterMinutes };
  };
  const teamZone = hosts[0]!.timeZone;
  if (requiredHostId) {
    // The team chose who leads; in an all-hosts study the others still attend.
    return { candidates: [assignment(requiredHostId, study.assignmentMode === 'all_hosts' ? free.filter((id) => id !== requiredHostId) : [])], teamZone };
  }
  if (study.assignmentMode === 'all_hosts') {
    const [hostId, ...coHostIds] = free as [string, ...string[]];
    return { candidates: [assignment(hostId, coHostIds)], teamZone };
  }
  if (moving && free.includes(moving.hostId)) return { candidates: [assignment(moving.hostId)], teamZone }; // a reschedule keeps its interviewer when they are free
  const order = rankHosts(free, await statsOf(free, teamZone));
  return { candidates: order.map((hostId) => assignment(hostId)), teamZone };
}

/**
 * The candidates decided before the transaction, as they stand now: those another booking has
 * taken since are dropped (none left: SlotTaken, before the booking does any other work), and the
 * first one no other request is booking at this moment is claimed and put first. So the requests
 * of a race spread over the free hosts instead of queueing for the same one, and the losers learn
 * it at once. The claim is an advisory lock per host and start, held to commit; the exclusion
 * constraint still decides (see insertWithFirstFreeHost). `locksFirst` (the person's) are waited
 * for first, in the same round trip. A request that finds every free host claimed waits for those
 * bookings to end before doing any work of its own, and is then refused at once if they took them.
 */
async function claimCandidate(tx: Transaction, candidates: Assignment[], start: Date, durationMinutes: number, locksFirst: SQL[], waitForClaims = true): Promise<Assignment[]> {
  const ends = start.getTime() + durationMinutes * MINUTE;
  const at = (time: number) => sql`${new Date(time).toISOString()}::timestamptz`;
  const free = candidates.map(
    (candidate, i) =>
      sql`not exists (select 1 from ${bookings} b where b.host_id = ${candidate.hostId} and b.status = 'confirmed'
        and b.blocked_from < ${at(ends + candidate.bufferAfter * MINUTE)} and b.blocked_until > ${at(start.getTime() - candidate.bufferBefore * MINUTE)}) as ${sql.raw(`f${i}`)}`,
  );
  const claimKey = (candidate: Assignment) => sql`hashtextextended(${`booking:${candidate.hostId}:${start.toISOString()}`}, 0)`;
  const claims = candidates.map((candidate, i) => sql`case when ${sql.raw(`f${i}`)} and pg_try_advisory_xact_lock(${claimKey(candidate)}) then ${i} end`);
  // coalesce stops at the first claim it gets: one lock at most.
  const result = await tx.execute(sql`
    with locked as (select ${sql.join([sql`1`, ...locksFirst], sql`, `)}),
    f as (select ${sql.join(free, sql`, `)} from locked)
    select array[${sql.join(
      candidates.map((_, i) => sql`${sql.raw(`f${i}`)}`),
      sql`, `,
    )}] as free, coalesce(${sql.join(claims, sql`, `)}) as claimed from f`);
  // Both drivers return `{ rows }`.
  const [row] = (result as unknown as { rows: [{ free: boolean[]; claimed: number | null }] }).rows;
  const stillFree = candidates.filter((_, i) => row.free[i]);
  if (stillFree.length === 0) throw new SlotTaken();
  const first = row.claimed === null ? undefined : candidates[Number(row.claimed)];
  if (first) return [first, ...stillFree.filter((candidate) => candidate !== first)];
  if (!waitForClaims) return stillFree;
  // Each host still free is being booked by another request right now: wait for those to finish
  // (in turn order, as every waiter does), then look again, the claims now this request's own.
  await tx.execute(sql`select ${sql.join(
    stillFree.map((candidate) => sql`pg_advisory_xact_lock(${claimKey(candidate)})`),
    sql`, `,
  )}`);
  return claimCandidate(tx, stillFree, start, durationMinutes, [], false);
}

/**
 * Writes the new booking with the first candidate whose time is still free. The insert says
 * ON CONFLICT DO NOTHING, so the exclusion constraint decides by speculative insertion: a
 * candidate another transaction is booking right now is waited for (never in a cycle, since the
 * waiter's own row is withdrawn first) and, once taken, simply yields no row. One statement per
 * try: no savepoint, no row lock.
 */
async function insertWithFirstFreeHost(candidates: Assignment[], insert: (assigned: Assignment) => Promise<BookingRow | undefined>): Promise<{ row: BookingRow; assigned: Assignment }> {
  for (const assigned of candidates) {
    const row = await insert(assigned);
    if (row) return { row, assigned };
  }
  throw new SlotTaken();
}

/**
 * Moves the booking to the first candidate whose time is still free. An update cannot say ON
 * CONFLICT, so each try is a savepoint holding that host's row lock: moves of one host are decided
 * one after the other, and a failed try releases its lock, so no move waits while holding another
 * host (no deadlock). A first pass takes only hosts nobody is booking right now (NOWAIT); a
 * second waits for the busy ones in turn.
 */
async function updateWithFirstFreeHost<T>(tx: Transaction, candidates: Assignment[], update: (db: Transaction, assigned: Assignment) => Promise<T>): Promise<{ row: T; assigned: Assignment }> {
  const attempt = (assigned: Assignment, wait: boolean) =>
    tx.transaction(async (savepoint) => {
      await savepoint.execute(wait ? sql`select 1 from ${members} where ${members.id} = ${assigned.hostId} for update` : sql`select 1 from ${members} where ${members.id} = ${assigned.hostId} for update nowait`);
      return update(savepoint, assigned);
    });
  const contended: Assignment[] = [];
  for (const assigned of candidates) {
    try {
      return { row: await attempt(assigned, false), assigned };
    } catch (error) {
      const code = pgCode(error);
      if (code === PG.lockNotAvailable) contended.push(assigned);
      else if (code !== PG.exclusionViolation) throw error;
    }
  }
  for (const assigned of contended) {
    try {
      return { row: await attempt(assigned, true), assigned };
    } catch (error) {
      if (pgCode(error) !== PG.exclusionViolation) throw error;
    }
  }
  throw new SlotTaken();
}

async function assertQuota(tx: Transaction, study: StudyRow, start: Date, teamZone: string, exceptBookingId?: string): Promise<void> {
  if (study.totalQuota === null && study.weeklyQuota === null) return;
  // Counting and then booking must not interleave with another booking of the study.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`quota:${study.id}`}, 0))`);
  const use = await quotaUse(tx, study, teamZone, exceptBookingId);
  if (study.totalQuota !== null && use.total >= study.totalQuota) throw unprocessable('total_quota_reached', 'This study has all the interviews it needs');
  if (study.weeklyQuota !== null && use.inWeekOf(start) >= study.weeklyQuota) {
    throw new SlotTaken(); // another week may still have room: offer alternatives
  }
}

interface ChangeContext {
  /** Google Meet and Teams studies learn their link from the calendar write; the first mails wait for it. */
  meetLinkFromCalendar?: boolean;
  /** Zoom studies (and bookings holding a Zoom meeting) get theirs from the zoom.sync job; mails wait for a new link. */
  zoom?: boolean;
  previousStartsAt?: Date;
  previousHostId?: string;
}

function sideEffects(booking: BookingRow, kind: 'booked' | 'rescheduled' | 'cancelled', now: Date, change: ChangeContext = {}): NewJob[] {
  const payload = { bookingId: booking.id, sequence: booking.icalSequence };
  const { previousStartsAt } = change;
  const at = (time: number) => new Date(Math.max(time, now.getTime()));
  const jobs: NewJob[] = [];
  if (kind === 'booked') {
    const firstMails: NewJob[] = [{ kind: 'mail.confirmation', payload }, { kind: 'mail.host_notice', payload }];
    // The calendar write is a retried job: a confirmed booking never waits on it, only a Meet link does.
    const calendarWrite: NewJob = { kind: 'calendar.upsert', payload: { ...payload, ...(change.meetLinkFromCalendar ? { followUps: firstMails } : {}) } };
    // A Zoom link comes first: the calendar event and the first mails carry it.
    if (change.zoom) jobs.push({ kind: 'zoom.sync', payload: { bookingId: booking.id, followUps: [calendarWrite, ...firstMails] } });
    else jobs.push(calendarWrite);
    if (!change.meetLinkFromCalendar && !change.zoom) jobs.push(...firstMails);
  }
  if (kind === 'rescheduled') {
    const previousHostId = change.previousHostId !== booking.hostId ? change.previousHostId : undefined;
    const moved = { ...payload, previousStartsAt: previousStartsAt?.toISOString(), ...(previousHostId ? { previousHostId } : {}) };
    // One job per audience, so a retry after one mail went out does not send it again.
    const mails: NewJob[] = [{ kind: 'mail.rescheduled', payload: { ...moved, audience: 'participant' } }];
    if (previousHostId) {
      // Another interviewer now leads: the first is told it is off their calendar, the new one
      // gets the interview as new (with its context and invite), not as "moved from".
      mails.push({ kind: 'mail.rescheduled', payload: { ...moved, audience: 'previous_host' } });
      mails.push({ kind: 'mail.host_notice', payload: { ...payload, hostId: booking.hostId } });
    } else {
      mails.push({ kind: 'mail.rescheduled', payload: { ...moved, audience: 'host' } });
    }
    // A new host's Meet link comes from their own calendar's event: the mails wait for it.
    const waitForMeet = Boolean(previousHostId && change.meetLinkFromCalendar);
    // So does a new host's Zoom meeting, made in their account (the first one's is deleted).
    const waitForZoom = Boolean(previousHostId && change.zoom);
    const calendarWrite: NewJob = { kind: 'calendar.upsert', payload: { ...payload, previousHostId: change.previousHostId, ...(waitForMeet ? { followUps: mails } : {}) } };
    if (change.zoom) jobs.push({ kind: 'zoom.sync', payload: { bookingId: booking.id, ...(waitForZoom ? { followUps: [calendarWrite, ...(waitForMeet ? [] : mails)] } : {}) } });
    if (!waitForZoom) jobs.push(calendarWrite);
    if (!waitForMeet && !waitForZoom) jobs.push(...mails);
  }
  if (kind === 'cancelled') {
    jobs.push({ kind: 'calendar.delete', payload });
    if (change.zoom) jobs.push({ kind: 'zoom.sync', payload: { bookingId: booking.id } });
    for (const audience of ['participant', 'host'] as const) jobs.push({ kind: 'mail.cancelled', payload: { ...payload, audience } });
  }
  if (kind !== 'cancelled') {
    const start = booking.startsAt.getTime();
    // Keyed by the time they are for: a reschedule adds new ones, and the old ones see the
    // booking moved and do nothing.
    const timed = (jobKind: 'mail.reminder' | 'mail.attendance', runAt: number, extra: Pick<BookingMailPayload, 'before' | 'stage'> = {}) =>
      ({ kind: jobKind, payload: { ...payload, startsAt: booking.startsAt.toISOString(), ...extra }, runAt: at(runAt), dedupeKey: `${jobKind}:${booking.id}:${booking.startsAt.toISOString()}:${JSON.stringify(extra)}` }) satisfies NewJob;
    if (start - 24 * HOUR > now.getTime()) jobs.push(timed('mail.reminder', start - 24 * HOUR, { before: '24h' }));
    if (start - HOUR > now.getTime()) jobs.push(timed('mail.reminder', start - HOUR, { before: '1h' }));
    // Did it happen? Asked just after; asked again after two days unmarked, then the workspace's
    // admins are asked. The thank-you waits for "done" (markOutcome), so a no-show gets none.
    const end = booking.endsAt.getTime();
    jobs.push(timed('mail.attendance', end + 10 * MINUTE));
    jobs.push(timed('mail.attendance', end + 2 * DAY, { stage: 'again' }));
    jobs.push(timed('mail.attendance', end + 3 * DAY, { stage: 'escalate' }));
  }
  return jobs;
}

/**
 * The losers of one race ask for the same alternatives within moments of each other: computed
 * once, and given to the losers of the next second until a booking of the study changes them.
 */
const alternativesInFlight = new SingleFlight<Slot[]>(1_000);

function alternatives(deps: BookingDeps, study: StudyRow, around: Date, now: Date, moving?: MovingBooking): Promise<Slot[]> {
  return alternativesInFlight.run(`${study.id}:${study.updatedAt.getTime()}:${deps.capacity.version(study.id)}:${around.getTime()}:${moving?.id ?? ''}`, () => nearestFreeSlots(deps, study, around, now, moving));
}

async function nearestFreeSlots(deps: BookingDeps, study: StudyRow, around: Date, now: Date, moving?: MovingBooking): Promise<Slot[]> {
  const from = new Date(Math.max(now.getTime(), around.getTime() - 3 * 24 * HOUR));
  const { slots } = await studySlots(deps.db, study, { from, to: new Date(around.getTime() + 7 * 24 * HOUR) }, now, deps.busyTime, { moving });
  return slots
    .map((slot) => ({ start: slot.start, end: slot.end, distance: Math.abs(Date.parse(slot.start) - around.getTime()) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 5)
    .map(({ start, end }) => ({ start, end }))
    .sort((a, b) => a.start.localeCompare(b.start));
}

function slotTakenError(alternativeSlots: Slot[]): HttpError {
  return conflict('slot_taken', 'That time was just taken; here are the nearest free ones', { alternatives: alternativeSlots });
}

/** The study with its active hosts, one row per host (in studyHosts' order); built once per database. */
const studyWithHostsQuery = (db: Database) =>
  db
    .select({ study: studies, host: members })
    .from(studies)
    .leftJoin(studyMembers, and(eq(studyMembers.studyId, studies.id), eq(studyMembers.role, 'host')))
    .leftJoin(members, and(eq(members.id, studyMembers.memberId), eq(members.active, true)))
    .where(and(eq(studies.workspaceId, sql.placeholder('workspaceId')), eq(studies.id, sql.placeholder('studyId'))))
    .orderBy(asc(members.id))
    .prepare('study_with_hosts');
const studyWithHostsQueries = new WeakMap<Database, ReturnType<typeof studyWithHostsQuery>>();

/** The study and its active hosts (in studyHosts' order), in one round trip. */
async function findStudyWithHosts(db: Database, workspaceId: string, studyId: string): Promise<{ study: StudyRow; hosts: MemberRow[] }> {
  let query = studyWithHostsQueries.get(db);
  if (!query) studyWithHostsQueries.set(db, (query = studyWithHostsQuery(db)));
  const rows = await query.execute({ workspaceId, studyId });
  if (rows.length === 0) throw notFound('study_not_found', 'No study with this id in this workspace');
  return { study: rows[0]!.study, hosts: rows.flatMap((row) => (row.host ? [row.host] : [])) };
}

export async function findWorkspaceStudy(db: Database, workspaceId: string, studyId: string): Promise<StudyRow> {
  const [study] = await db.select().from(studies).where(and(eq(studies.workspaceId, workspaceId), eq(studies.id, studyId)));
  if (!study) throw notFound('study_not_found', 'No study with this id in this workspace');
  return study;
}

/**
 * What a booking of `start` is decided on before its transaction: the study and its hosts, their
 * calendars, and (when no rule needs the hosts locked, see needsHostLocks) the candidates in turn
 * order, or that none is free: a slot already taken costs no transaction. `readBusy` is missing
 * when the study is not live.
 */
type PreparedBooking = { study: StudyRow; readBusy?: BusyRead; decided?: { candidates: Assignment[]; teamZone: string }; taken?: boolean };

const preparations = new SingleFlight<PreparedBooking>();

async function prepareBooking(deps: BookingDeps, workspaceId: string, studyId: string, start: Date, now: Date): Promise<PreparedBooking> {
  const { study, hosts } = await findStudyWithHosts(deps.db, workspaceId, studyId);
  if (study.status !== 'live') return { study };
  const readBusy = await readBusyBeforeBooking(deps.db, study, slotRange(start), deps.busyTime, { now, hosts });
  const { settled } = readBusy;
  if (!settled) return { study, readBusy };
  try {
    return { study, readBusy, decided: await rankCandidates(study, readBusy.hosts, settled.input, start, async () => settled.stats) };
  } catch (error) {
    if (error instanceof SlotTaken) return { study, readBusy, taken: true };
    throw error;
  }
}

/** A new booking (201), or the first answer to a request retried with its Idempotency-Key. */
export interface BookingResult {
  status: number;
  body: BookingCreated;
}

export async function bookSlot(
  deps: BookingDeps,
  workspace: Workspace,
  studyId: string,
  request: BookingRequest,
  idempotencyKey: string | undefined,
): Promise<BookingResult> {
  const now = deps.now?.() ?? new Date();
  const start = new Date(request.start);
  // Everyone asking for this slot at this moment (a race) shares one read and one decision.
  const prepared = await preparations.run(`${workspace.id}:${studyId}:${start.getTime()}`, () => prepareBooking(deps, workspace.id, studyId, start, now));
  const { study } = prepared;
  if (!prepared.readBusy) throw unprocessable('study_not_live', 'This study is not taking bookings');
  const { readBusy, decided } = prepared;
  // An unsigned visitor still books, as a person known by email: without a user id or traits.
  const participant = verifiedIdentity(workspace, deps.secretBox, request.participant, 'participant.signature');
  request = { ...request, participant };
  checkEligibility(study, request, now);
  const hash = requestHash(studyId, request);

  try {
    if (prepared.taken) {
      // Taken, perhaps by this very request's first try: a retry with its key gets the first answer.
      const replay = idempotencyKey ? await storedAnswer(deps.db, deps, workspace.id, idempotencyKey, hash) : undefined;
      if (replay) return replay;
      throw new SlotTaken();
    }
    const result = await deps.db.transaction(async (tx): Promise<BookingResult> => {
      if (idempotencyKey) {
        const replay = await replayIdempotent(tx, deps, workspace.id, idempotencyKey, hash);
        if (replay) return replay;
      }
      // One person's two requests (two tabs, two devices) are decided one after the other: the person's lock, held to commit.
      const locks = personLocks(workspace.id, request.participant);
      // Decided before the transaction: still free, and one candidate claimed (with the person's lock), before any other work.
      const claimed = decided && { ...decided, candidates: await claimCandidate(tx, decided.candidates, start, study.durationMinutes, locks) };
      const { participantId, personId } = await upsertParticipant(tx, workspace.id, request.participant, Boolean(claimed));
      // The workspace's contact rules, for this person on every device and study.
      const verdict = await contactVerdict(tx, workspace, personId, now);
      if (verdict.upcomingStudyIds.includes(study.id)) throw unprocessable('already_booked', 'You already have an interview booked for this study; your confirmation email has the link to change it');
      if (verdict.booking) throw contactRuleRefusal(verdict.booking);
      const consent = await requiredConsent(tx, workspace.id, study, request);

      const { candidates, teamZone } = claimed ?? (await assignHosts(tx, deps, study, start, now, readBusy));
      await assertQuota(tx, study, start, teamZone);
      await assertIncentiveBudget(tx, study, start);

      const id = randomUUID();
      const token = deps.secretBox.deriveToken('manage', id);
      const endsAt = new Date(start.getTime() + study.durationMinutes * MINUTE);
      const { row: booking } = await insertWithFirstFreeHost(candidates, async (assigned) => {
        const [row] = await insertBooking(tx, {
          id,
          workspaceId: workspace.id,
          studyId: study.id,
          hostId: assigned.hostId,
          coHostIds: assigned.coHostIds,
          participantId,
          startsAt: start,
          endsAt,
          blockedFrom: new Date(start.getTime() - assigned.bufferBefore * MINUTE),
          blockedUntil: new Date(endsAt.getTime() + assigned.bufferAfter * MINUTE),
          participantTimeZone: request.participant.timeZone,
          manageTokenHash: sha256(token),
          manageTokenExpiresAt: endsAt,
          icalUid: `${id}@beckon`,
          answers: request.answers ?? {},
          source: request.source ?? 'widget',
          meetingUrl: meetingUrlOf(study),
          // The participant saw the time on screen as they booked; the interviewers learn of it by mail.
          told: { participant: { hostId: assigned.hostId, startsAt: start.toISOString() }, hosts: {} },
        } satisfies NewBookingValues);
        return row;
      });
      if (consent) await tx.insert(consents).values({ workspaceId: workspace.id, personId, consentTextId: consent.id, version: consent.version, bookingId: id, acceptedAt: now });
      const { incentive } = study;
      if (incentive) {
        await tx.insert(incentives).values({ bookingId: id, kind: incentive.kind, amountCents: incentive.amountCents, currency: incentive.currency, description: incentive.description });
      }
      await enqueue(tx, ...sideEffects(booking, 'booked', now, { meetLinkFromCalendar: linkFromCalendar(study), zoom: study.meetingLocation.kind === 'zoom' }));
      await emitWebhook(tx, workspace.id, { type: 'booking.created', bookingId: id }, now);

      const body: BookingCreated = {
        booking: {
          id,
          start: toInstant(start),
          end: toInstant(endsAt),
          status: 'confirmed',
          manageUrl: manageUrl(deps.publicUrl, token),
          icalUid: booking.icalUid,
          ...(booking.meetingUrl ? { meetingUrl: booking.meetingUrl } : {}),
        },
      };
      if (idempotencyKey) {
        const { manageUrl: _secret, ...kept } = body.booking;
        await tx.insert(idempotencyKeys).values({ workspaceId: workspace.id, key: idempotencyKey, requestHash: hash, responseStatus: 201, responseBody: { booking: kept } });
      }
      return { status: 201, body };
    });
    deps.capacity.forget(study.id);
    return result;
  } catch (error) {
    if (error instanceof SlotTaken || pgCode(error) === PG.exclusionViolation) {
      throw slotTakenError(await alternatives(deps, study, start, now));
    }
    throw error;
  }
}

type NewBookingValues = Required<Pick<typeof bookings.$inferInsert, (typeof newBookingColumns)[number]>>;
const newBookingColumns = [
  'id', 'workspaceId', 'studyId', 'hostId', 'coHostIds', 'participantId', 'startsAt', 'endsAt', 'blockedFrom', 'blockedUntil',
  'participantTimeZone', 'manageTokenHash', 'manageTokenExpiresAt', 'icalUid', 'answers', 'source', 'meetingUrl', 'told',
] as const;

/** A new booking's row, or none when the exclusion constraint finds its host taken (see insertWithFirstFreeHost). */
const insertBooking = builtOnce((db) =>
  db
    .insert(bookings)
    .values(Object.fromEntries(newBookingColumns.map((column) => [column, sql.placeholder(column)])) as unknown as NewBookingValues)
    .onConflictDoNothing()
    .returning()
    .prepare(''),
);

/** Whether the study's video link is made by the interviewer's calendar with the event (Google Meet, Microsoft Teams). */
const linkFromCalendar = (study: StudyRow) => study.meetingLocation.kind === 'google_meet' || study.meetingLocation.kind === 'microsoft_teams';

function meetingUrlOf(study: StudyRow): string | null {
  const location = study.meetingLocation;
  return location.kind === 'video_url' && location.details ? location.details : null;
}

// ---------------------------------------------------------------------------------------------
// The participant's manage link.

export async function bookingByToken(db: Database | Transaction, token: string, options: { lock?: boolean } = {}): Promise<BookingRow> {
  const query = db.select().from(bookings).where(eq(bookings.manageTokenHash, sha256(token))).limit(1);
  const [booking] = options.lock ? await query.for('update') : await query;
  if (!booking) throw notFound('booking_not_found', 'This link does not match a booking');
  return booking;
}

/** What a participant's views show beside the booking: the study, the interviewer, the team. */
export async function bookingParties(
  db: Database,
  booking: BookingRow,
): Promise<{ study: StudyRow; hostName: string; hostTimeZone: string; hostJoinFallback: JoinFallback | null; workspaceName: string; brandName: string | null; logoUrl: string | null }> {
  const [rows] = await db
    .select({ study: studies, hostName: members.name, hostTimeZone: members.timeZone, hostJoinFallback: members.joinFallback, workspaceName: workspaces.name, brandName: workspaces.brandName, logoUrl: workspaces.logoUrl })
    .from(studies)
    .innerJoin(members, eq(members.id, booking.hostId))
    .innerJoin(workspaces, eq(workspaces.id, booking.workspaceId))
    .where(eq(studies.id, booking.studyId));
  if (!rows) throw notFound('booking_not_found', 'This link does not match a booking');
  return rows;
}

/** The booking a team link names; a wrong token and a missing booking are the same 404. */
export async function bookingByTeamLink(db: Database, secretBox: SecretBox, bookingId: string, token: string): Promise<BookingRow> {
  const valid = isUuid(bookingId) && isTeamToken(secretBox, bookingId, token);
  const [booking] = valid ? await db.select().from(bookings).where(eq(bookings.id, bookingId)) : [];
  if (!booking) throw notFound('booking_not_found', 'This link does not match a booking');
  return booking;
}

/** Who booked it: name and address, or nothing once erased on request. */
export async function bookingParticipant(db: Database, booking: BookingRow): Promise<{ name: string | null; email: string | null } | undefined> {
  const [participant] = await db.select({ name: participants.name, email: participants.email }).from(participants).where(eq(participants.id, booking.participantId));
  return participant;
}

export function canChange(booking: BookingRow, now: Date): boolean {
  return booking.status === 'confirmed' && booking.manageTokenExpiresAt > now && booking.startsAt > now;
}

function assertChangeable(booking: BookingRow, now: Date): void {
  if (booking.status === 'cancelled') throw unprocessable('booking_cancelled', 'This interview was cancelled; book a new time from the study link');
  if (booking.status !== 'confirmed' || booking.manageTokenExpiresAt <= now) throw new HttpError(410, 'link_expired', 'This link has expired');
  if (booking.startsAt <= now) throw unprocessable('interview_started', 'This interview has already started');
}

export async function cancelBooking(deps: BookingDeps, target: { token: string } | { id: string; workspaceId: string }, by: 'participant' | 'host', reason?: string): Promise<BookingRow> {
  const now = deps.now?.() ?? new Date();
  const cancelled = await deps.db.transaction(async (tx) => {
    const booking = 'token' in target ? await bookingByToken(tx, target.token, { lock: true }) : await bookingById(tx, target.workspaceId, target.id);
    if (booking.status === 'cancelled') return booking; // cancelling twice is harmless and sends nothing twice
    if (by === 'participant') assertChangeable(booking, now);
    else if (booking.status !== 'confirmed') throw unprocessable('booking_not_confirmed', `This booking is ${booking.status}`);
    const [cancelled] = await tx
      .update(bookings)
      .set({ status: 'cancelled', cancelledAt: now, cancelledBy: by, cancelReason: reason?.trim() || null, icalSequence: booking.icalSequence + 1, updatedAt: now })
      .where(eq(bookings.id, booking.id))
      .returning();
    await tx.update(incentives).set({ status: 'void' }).where(and(eq(incentives.bookingId, booking.id), eq(incentives.status, 'pending')));
    // Its Zoom meeting (made, or being made) is deleted.
    await enqueue(tx, ...sideEffects(cancelled!, 'cancelled', now, { zoom: booking.zoomHostId !== null }));
    await emitWebhook(tx, cancelled!.workspaceId, { type: 'booking.cancelled', bookingId: cancelled!.id, cancelledBy: by }, now);
    return cancelled!;
  });
  deps.capacity.forget(cancelled.studyId);
  return cancelled;
}

export async function rescheduleBooking(deps: BookingDeps, token: string, newStart: Date): Promise<BookingRow> {
  return moveBooking(deps, { token }, { start: newStart });
}

/** What the team asks of a move: another interviewer, another time, or both. */
export interface TeamMove {
  hostId?: string;
  start?: Date;
}

/**
 * Moves a booking: the participant to a new time (round robin may give it to another
 * interviewer), or the team to another interviewer and/or time. The same row moves: its id,
 * manage link and calendar UID stay; the old time is released only if the new one is written.
 */
export async function moveBooking(deps: BookingDeps, target: { token: string } | { id: string; workspaceId: string }, move: TeamMove): Promise<BookingRow> {
  const now = deps.now?.() ?? new Date();
  let study: StudyRow | undefined;
  let moving: BookingRow | undefined;
  let newStart: Date | undefined;
  try {
    // The calendars are read before the transaction holds a connection (see readBusyBeforeBooking).
    const before = 'token' in target ? await bookingByToken(deps.db, target.token) : await bookingById(deps.db, target.workspaceId, target.id);
    const [beforeStudy] = await deps.db.select().from(studies).where(eq(studies.id, before.studyId));
    const readBusy = beforeStudy ? await readBusyBeforeBooking(deps.db, beforeStudy, slotRange(move.start ?? before.startsAt), deps.busyTime) : { hosts: [], hostIds: [], busy: {} };
    const moved = await deps.db.transaction(async (tx) => {
      const booking = 'token' in target ? await bookingByToken(tx, target.token, { lock: true }) : await bookingById(tx, target.workspaceId, target.id);
      moving = booking;
      if ('token' in target) assertChangeable(booking, now);
      else {
        if (booking.status !== 'confirmed') throw unprocessable('booking_not_confirmed', `This booking is ${booking.status}`);
        if (booking.startsAt <= now) throw unprocessable('interview_started', 'This interview has already started');
      }
      [study] = await tx.select().from(studies).where(eq(studies.id, booking.studyId));
      if (!study || study.status !== 'live') throw unprocessable('study_not_live', 'This study is not taking new times; you can still cancel');
      newStart = move.start ?? booking.startsAt;
      const hostId = move.hostId;
      if (hostId) {
        const [hosting] = await tx
          .select({ memberId: studyMembers.memberId })
          .from(studyMembers)
          .innerJoin(members, eq(members.id, studyMembers.memberId))
          .where(and(eq(studyMembers.studyId, study.id), eq(studyMembers.memberId, hostId), eq(studyMembers.role, 'host'), eq(members.active, true)));
        if (!hosting) throw unprocessable('not_a_host', 'This person does not host interviews for this study', 'hostId');
      }
      if (newStart.getTime() === booking.startsAt.getTime() && (!hostId || hostId === booking.hostId)) return booking;
      const { candidates, teamZone } = await assignHosts(tx, deps, study, newStart, now, readBusy, booking, hostId);
      await assertQuota(tx, study, newStart, teamZone, booking.id);
      await assertIncentiveBudget(tx, study, newStart, booking.id);
      const start = newStart;
      const endsAt = new Date(start.getTime() + study.durationMinutes * MINUTE);
      const meet = linkFromCalendar(study);
      const zoom = study.meetingLocation.kind === 'zoom' || booking.zoomHostId !== null;
      const { row: moved } = await updateWithFirstFreeHost(tx, candidates, async (db, assigned) => {
        const [row] = await db
          .update(bookings)
          .set({
            hostId: assigned.hostId,
            coHostIds: assigned.coHostIds,
            startsAt: start,
            endsAt,
            blockedFrom: new Date(start.getTime() - assigned.bufferBefore * MINUTE),
            blockedUntil: new Date(endsAt.getTime() + assigned.bufferAfter * MINUTE),
            manageTokenExpiresAt: endsAt,
            icalSequence: booking.icalSequence + 1,
            // A Meet or Teams link belongs to the first interviewer's event, which is removed: the new one's calendar makes another.
            // So does a Zoom meeting, in the first interviewer's account: the new one's gets another.
            ...(assigned.hostId !== booking.hostId && (meet || booking.zoomHostId !== null) ? { meetingUrl: null } : {}),
            updatedAt: now,
          })
          .where(eq(bookings.id, booking.id))
          .returning();
        return row!;
      });
      await enqueue(tx, ...sideEffects(moved, 'rescheduled', now, { previousStartsAt: booking.startsAt, previousHostId: booking.hostId, meetLinkFromCalendar: meet, zoom }));
      await emitWebhook(tx, moved.workspaceId, { type: 'booking.rescheduled', bookingId: moved.id, previousStart: booking.startsAt }, now);
      return moved;
    });
    deps.capacity.forget(moved.studyId);
    return moved;
  } catch (error) {
    if (error instanceof HostBusy) throw new HttpError(409, 'host_busy', 'That interviewer is not free at that time (their hours, calendar, other interviews or limits)', 'hostId');
    if (study && newStart && (error instanceof SlotTaken || pgCode(error) === PG.exclusionViolation)) {
      throw slotTakenError(await alternatives(deps, study, newStart, now, moving));
    }
    throw error;
  }
}

export async function bookingById(db: Database | Transaction, workspaceId: string, id: string): Promise<BookingRow> {
  const [booking] = await db.select().from(bookings).where(and(eq(bookings.workspaceId, workspaceId), eq(bookings.id, id))).for('update');
  if (!booking) throw notFound('booking_not_found', `No booking ${id} in this workspace`);
  return booking;
}

/** booking.attended (and incentive.owed when one is now due, ordered when a provider pays it) or booking.no_show. */
async function outcomeEffects(tx: Transaction, booking: BookingRow, outcome: 'completed' | 'no_show', now: Date): Promise<void> {
  await emitWebhook(tx, booking.workspaceId, { type: outcome === 'completed' ? 'booking.attended' : 'booking.no_show', bookingId: booking.id }, now);
  if (outcome !== 'completed') return;
  const owed = await tx.select({ id: incentives.id }).from(incentives).where(and(eq(incentives.bookingId, booking.id), eq(incentives.status, 'pending')));
  const [study] = await tx.select({ incentive: studies.incentive }).from(studies).where(eq(studies.id, booking.studyId));
  for (const incentive of owed) {
    await emitWebhook(tx, booking.workspaceId, { type: 'incentive.owed', incentiveId: incentive.id }, now);
    if (study?.incentive?.payout === 'tremendous') await enqueuePayout(tx, incentive.id);
  }
}

export async function markOutcome(deps: BookingDeps, workspaceId: string, id: string, outcome: 'completed' | 'no_show', now = new Date()): Promise<BookingRow> {
  const marked = await deps.db.transaction(async (tx) => {
    const booking = await bookingById(tx, workspaceId, id);
    if (booking.status === 'cancelled') throw unprocessable('booking_cancelled', 'A cancelled booking has no outcome');
    if (booking.startsAt > now) throw unprocessable('interview_not_started', 'Mark the outcome after the interview has started');
    const [updated] = await tx.update(bookings).set({ status: outcome, updatedAt: now }).where(eq(bookings.id, id)).returning();
    // The thank-you (and its word on the incentive) follows "done", once; a no-show gets none.
    // Done, no-show, done again before it ran makes a second job: the first to run thanks, and
    // only it (bookings.thankedByJob), so a thank-you that found a no-show leaves it to the next.
    if (outcome === 'completed' && booking.status !== 'completed' && booking.thankedByJob === null) {
      await enqueue(tx, { kind: 'mail.thank_you', payload: { bookingId: id, startsAt: booking.startsAt.toISOString() } });
    }
    // A no-show owes nothing; done after all (a no-show marked by mistake), it is owed again.
    const [from, to] = outcome === 'no_show' ? (['pending', 'void'] as const) : (['void', 'pending'] as const);
    await tx.update(incentives).set({ status: to }).where(and(eq(incentives.bookingId, id), eq(incentives.status, from)));
    if (booking.status !== outcome) await outcomeEffects(tx, booking, outcome, now);
    return updated!;
  });
  deps.capacity.forget(marked.studyId);
  return marked;
}
