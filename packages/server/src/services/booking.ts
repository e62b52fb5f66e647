// Booking, rescheduling and cancelling. Each is one transaction that re-checks the slot on
// fresh data, decides caps, quotas and the host, writes the booking and enqueues its side
// effects; the exclusion constraint is the last guard, and its error becomes a 409.
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, gt, inArray, max, sql } from 'drizzle-orm';
import { chooseHost, hostsFreeAt, type HostBookingStats } from '@beckon/shared/schedule';
import { mayMatch, type Rule } from '@beckon/shared/rules';
import { screen } from '@beckon/shared/screener';
import { toInstant, type BookingCreated, type BookingRequest, type Screener, type Slot } from '@beckon/shared/api';
import type { Database, Transaction } from '../db/client.js';
import { bookings, consents, consentTexts, idempotencyKeys, incentives, members, participants, studies, workspaces } from '../db/schema.js';
import { conflict, HttpError, notFound, PG, pgCode, unprocessable } from '../errors.js';
import { sha256, type SecretBox } from '../security/secrets.js';
import { isTeamToken, manageUrl } from '../security/booking-links.js';
import type { BusyTimeSource } from '../calendars/busy-time.js';
import { quotaUse, schedulingInput, studySlots, studyWeek, type MovingBooking } from './availability.js';
import { enqueue } from '../jobs/queue.js';
import type { BookingMailPayload, NewJob } from '../jobs/kinds.js';
import type { CapacityCache } from './capacity.js';
import { verifiedIdentity } from './identity.js';
import { contactRuleRefusal, contactVerdict, resolvePerson } from './people.js';
import type { Workspace } from './workspaces.js';
import type { StudyRow } from './studies.js';
import { isUuid } from '@beckon/shared/ids';

export interface BookingDeps {
  db: Database;
  busyTime: BusyTimeSource;
  /** Told of every change to a study's bookings, so the widget's "can it take one" is never stale. */
  capacity: Pick<CapacityCache, 'forget'>;
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

/** A 409 for a slot someone else just took, with the nearest free ones to choose from. */
class SlotTaken extends Error {}

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
  const [stored] = await tx.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.workspaceId, workspaceId), eq(idempotencyKeys.key, key)));
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
async function upsertParticipant(tx: Transaction, workspaceId: string, participant: BookingRequest['participant']): Promise<{ participantId: string; personId: string }> {
  const personId = await resolvePerson(tx, workspaceId, participant);
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
  const [existing] = await tx
    .select({ id: participants.id })
    .from(participants)
    .where(and(eq(participants.workspaceId, workspaceId), eq(participants.email, values.email), sql`${participants.userId} is null`))
    .limit(1);
  if (existing) {
    await tx.update(participants).set({ name: values.name, timeZone: values.timeZone, personId, updatedAt: new Date() }).where(eq(participants.id, existing.id));
    return existing.id;
  }
  const [row] = await tx.insert(participants).values(values).returning({ id: participants.id });
  return row!.id;
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

/** Which hosts run the interview at `start`, decided on locked, fresh data; throws SlotTaken. */
async function assignHosts(
  tx: Transaction,
  deps: BookingDeps,
  study: StudyRow,
  start: Date,
  now: Date,
  moving?: MovingBooking,
): Promise<{ hostId: string; coHostIds: string[]; bufferBefore: number; bufferAfter: number; teamZone: string }> {
  const range = { from: start, to: new Date(start.getTime() + MINUTE) };
  const { hosts, input } = await schedulingInput(tx, study, range, now, deps.busyTime, { lockHosts: true, freshBusy: true, moving });
  const free = hostsFreeAt(input, start);
  if (free.length === 0) throw new SlotTaken();
  let hostId: string;
  let coHostIds: string[] = [];
  if (study.assignmentMode === 'all_hosts') {
    [hostId, ...coHostIds] = free as [string, ...string[]];
  } else if (moving && free.includes(moving.hostId)) {
    hostId = moving.hostId; // a reschedule keeps its interviewer when they are free
  } else {
    hostId = chooseHost(free, await hostStats(tx, study.id, free, studyWeek(start, hosts[0]!.timeZone)))!;
  }
  const host = hosts.find((h) => h.id === hostId)!;
  return { hostId, coHostIds, bufferBefore: host.bufferBeforeMinutes, bufferAfter: host.bufferAfterMinutes, teamZone: hosts[0]!.timeZone };
}

async function assertQuota(tx: Transaction, study: StudyRow, start: Date, teamZone: string, exceptBookingId?: string): Promise<void> {
  const use = await quotaUse(tx, study, teamZone, exceptBookingId);
  if (study.totalQuota !== null && use.total >= study.totalQuota) throw unprocessable('total_quota_reached', 'This study has all the interviews it needs');
  if (study.weeklyQuota !== null && use.inWeekOf(start) >= study.weeklyQuota) {
    throw new SlotTaken(); // another week may still have room: offer alternatives
  }
}

interface ChangeContext {
  /** Google Meet studies learn their link from the calendar write; the first mails wait for it. */
  meetLinkFromCalendar?: boolean;
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
    jobs.push({ kind: 'calendar.upsert', payload: { ...payload, ...(change.meetLinkFromCalendar ? { followUps: firstMails } : {}) } });
    if (!change.meetLinkFromCalendar) jobs.push(...firstMails);
  }
  if (kind === 'rescheduled') jobs.push({ kind: 'calendar.upsert', payload: { ...payload, previousHostId: change.previousHostId } });
  if (kind === 'cancelled') jobs.push({ kind: 'calendar.delete', payload });
  // One job per audience, so a retry after one mail went out does not send it again.
  for (const audience of ['participant', 'host'] as const) {
    if (kind === 'rescheduled') jobs.push({ kind: 'mail.rescheduled', payload: { ...payload, audience, previousStartsAt: previousStartsAt?.toISOString() } });
    if (kind === 'cancelled') jobs.push({ kind: 'mail.cancelled', payload: { ...payload, audience } });
  }
  if (kind !== 'cancelled') {
    const start = booking.startsAt.getTime();
    // Keyed by the time they are for: a reschedule adds new ones, and the old ones see the
    // booking moved and do nothing.
    const timed = (jobKind: 'mail.reminder' | 'mail.attendance' | 'mail.thank_you', runAt: number, extra: Pick<BookingMailPayload, 'before'> = {}) =>
      ({ kind: jobKind, payload: { ...payload, startsAt: booking.startsAt.toISOString(), ...extra }, runAt: at(runAt), dedupeKey: `${jobKind}:${booking.id}:${booking.startsAt.toISOString()}:${JSON.stringify(extra)}` }) satisfies NewJob;
    if (start - 24 * HOUR > now.getTime()) jobs.push(timed('mail.reminder', start - 24 * HOUR, { before: '24h' }));
    if (start - HOUR > now.getTime()) jobs.push(timed('mail.reminder', start - HOUR, { before: '1h' }));
    // Did it happen? Asked before the thank-you, so a no-show marked in time gets none.
    jobs.push(timed('mail.attendance', booking.endsAt.getTime() + 10 * MINUTE));
    jobs.push(timed('mail.thank_you', booking.endsAt.getTime() + HOUR));
  }
  return jobs;
}

async function alternatives(deps: BookingDeps, study: StudyRow, around: Date, now: Date, moving?: MovingBooking): Promise<Slot[]> {
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

export async function findWorkspaceStudy(db: Database, workspaceId: string, studyId: string): Promise<StudyRow> {
  const [study] = await db.select().from(studies).where(and(eq(studies.workspaceId, workspaceId), eq(studies.id, studyId)));
  if (!study) throw notFound('study_not_found', 'No study with this id in this workspace');
  return study;
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
  const study = await findWorkspaceStudy(deps.db, workspace.id, studyId);
  if (study.status !== 'live') throw unprocessable('study_not_live', 'This study is not taking bookings');
  // An unsigned visitor still books, as a person known by email: without a user id or traits.
  const participant = verifiedIdentity(workspace, deps.secretBox, request.participant, 'participant.signature');
  request = { ...request, participant };
  checkEligibility(study, request, now);
  const start = new Date(request.start);
  const hash = requestHash(studyId, request);

  try {
    const result = await deps.db.transaction(async (tx): Promise<BookingResult> => {
      if (idempotencyKey) {
        const replay = await replayIdempotent(tx, deps, workspace.id, idempotencyKey, hash);
        if (replay) return replay;
      }
      const { participantId, personId } = await upsertParticipant(tx, workspace.id, request.participant);
      const [upcoming] = await tx
        .select({ id: bookings.id })
        .from(bookings)
        .where(and(eq(bookings.studyId, study.id), eq(bookings.participantId, participantId), eq(bookings.status, 'confirmed'), gt(bookings.endsAt, now)))
        .limit(1);
      if (upcoming) throw unprocessable('already_booked', 'You already have an interview booked for this study; your confirmation email has the link to change it');
      // The workspace's contact rules, for this person on every device and study.
      const rule = (await contactVerdict(tx, workspace, personId, now)).booking;
      if (rule) throw contactRuleRefusal(rule);
      const consent = await requiredConsent(tx, workspace.id, study, request);

      const assigned = await assignHosts(tx, deps, study, start, now);
      await assertQuota(tx, study, start, assigned.teamZone);

      const id = randomUUID();
      const token = deps.secretBox.deriveToken('manage', id);
      const endsAt = new Date(start.getTime() + study.durationMinutes * MINUTE);
      const [booking] = await tx
        .insert(bookings)
        .values({
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
        })
        .returning();
      if (consent) await tx.insert(consents).values({ workspaceId: workspace.id, personId, consentTextId: consent.id, version: consent.version, bookingId: id, acceptedAt: now });
      const { incentive } = study;
      if (incentive) {
        await tx.insert(incentives).values({ bookingId: id, kind: incentive.kind, amountCents: incentive.amountCents, currency: incentive.currency, description: incentive.description });
      }
      await enqueue(tx, ...sideEffects(booking!, 'booked', now, { meetLinkFromCalendar: study.meetingLocation.kind === 'google_meet' }));

      const body: BookingCreated = {
        booking: {
          id,
          start: toInstant(start),
          end: toInstant(endsAt),
          status: 'confirmed',
          manageUrl: manageUrl(deps.publicUrl, token),
          icalUid: booking!.icalUid,
          ...(booking!.meetingUrl ? { meetingUrl: booking!.meetingUrl } : {}),
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
export async function bookingParties(db: Database, booking: BookingRow): Promise<{ study: StudyRow; hostName: string; hostTimeZone: string; workspaceName: string }> {
  const [rows] = await db
    .select({ study: studies, hostName: members.name, hostTimeZone: members.timeZone, workspaceName: workspaces.name })
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

export async function cancelBooking(deps: BookingDeps, target: { token: string } | { id: string; workspaceId: string }, by: 'participant' | 'host'): Promise<BookingRow> {
  const now = deps.now?.() ?? new Date();
  const cancelled = await deps.db.transaction(async (tx) => {
    const booking = 'token' in target ? await bookingByToken(tx, target.token, { lock: true }) : await bookingById(tx, target.workspaceId, target.id);
    if (booking.status === 'cancelled') return booking; // cancelling twice is harmless and sends nothing twice
    if (by === 'participant') assertChangeable(booking, now);
    else if (booking.status !== 'confirmed') throw unprocessable('booking_not_confirmed', `This booking is ${booking.status}`);
    const [cancelled] = await tx
      .update(bookings)
      .set({ status: 'cancelled', cancelledAt: now, cancelledBy: by, icalSequence: booking.icalSequence + 1, updatedAt: now })
      .where(eq(bookings.id, booking.id))
      .returning();
    await tx.update(incentives).set({ status: 'void' }).where(and(eq(incentives.bookingId, booking.id), eq(incentives.status, 'pending')));
    await enqueue(tx, ...sideEffects(cancelled!, 'cancelled', now));
    return cancelled!;
  });
  deps.capacity.forget(cancelled.studyId);
  return cancelled;
}

export async function rescheduleBooking(deps: BookingDeps, token: string, newStart: Date): Promise<BookingRow> {
  const now = deps.now?.() ?? new Date();
  let study: StudyRow | undefined;
  let moving: BookingRow | undefined;
  try {
    const moved = await deps.db.transaction(async (tx) => {
      const booking = await bookingByToken(tx, token, { lock: true });
      moving = booking;
      assertChangeable(booking, now);
      [study] = await tx.select().from(studies).where(eq(studies.id, booking.studyId));
      if (!study || study.status !== 'live') throw unprocessable('study_not_live', 'This study is not taking new times; you can still cancel');
      if (newStart.getTime() === booking.startsAt.getTime()) return booking;
      const assigned = await assignHosts(tx, deps, study, newStart, now, booking);
      await assertQuota(tx, study, newStart, assigned.teamZone, booking.id);
      const endsAt = new Date(newStart.getTime() + study.durationMinutes * MINUTE);
      // The same row moves: its id, manage link and calendar UID stay; the old time is
      // released only if the new one is written.
      const [moved] = await tx
        .update(bookings)
        .set({
          hostId: assigned.hostId,
          coHostIds: assigned.coHostIds,
          startsAt: newStart,
          endsAt,
          blockedFrom: new Date(newStart.getTime() - assigned.bufferBefore * MINUTE),
          blockedUntil: new Date(endsAt.getTime() + assigned.bufferAfter * MINUTE),
          manageTokenExpiresAt: endsAt,
          icalSequence: booking.icalSequence + 1,
          updatedAt: now,
        })
        .where(eq(bookings.id, booking.id))
        .returning();
      await enqueue(tx, ...sideEffects(moved!, 'rescheduled', now, { previousStartsAt: booking.startsAt, previousHostId: booking.hostId }));
      return moved!;
    });
    deps.capacity.forget(moved.studyId);
    return moved;
  } catch (error) {
    if (study && (error instanceof SlotTaken || pgCode(error) === PG.exclusionViolation)) {
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

export async function markOutcome(deps: BookingDeps, workspaceId: string, id: string, outcome: 'completed' | 'no_show', now = new Date()): Promise<BookingRow> {
  const marked = await deps.db.transaction(async (tx) => {
    const booking = await bookingById(tx, workspaceId, id);
    if (booking.status === 'cancelled') throw unprocessable('booking_cancelled', 'A cancelled booking has no outcome');
    if (booking.startsAt > now) throw unprocessable('interview_not_started', 'Mark the outcome after the interview has started');
    const [updated] = await tx.update(bookings).set({ status: outcome, updatedAt: now }).where(eq(bookings.id, id)).returning();
    // A no-show owes nothing; done after all (a no-show marked by mistake), it is owed again.
    const [from, to] = outcome === 'no_show' ? (['pending', 'void'] as const) : (['void', 'pending'] as const);
    await tx.update(incentives).set({ status: to }).where(and(eq(incentives.bookingId, id), eq(incentives.status, from)));
    return updated!;
  });
  deps.capacity.forget(marked.studyId);
  return marked;
}
