import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { isPublicUrl, toInstant, type Availability, type JoinFallback, type Member, type MemberCreate, type MemberUpdate } from '@beckon/shared/api';
import { validateAvailabilityRules, type ClockInterval } from '@beckon/shared/schedule';
import type { Database, Transaction } from '../db/client.js';
import { availabilityOverrides, members, weeklyHours } from '../db/schema.js';
import { badRequest, conflict, notFound, PG, pgCode, unprocessable } from '../errors.js';

export type MemberRow = typeof members.$inferSelect;

export function toMember(row: MemberRow): Member {
  return { id: row.id, email: row.email, name: row.name, role: row.role, timeZone: row.timeZone, active: row.active, joinFallback: row.joinFallback ?? null, createdAt: toInstant(row.createdAt) };
}

/** A personal meeting link is followed by every participant: https only (the schema cannot tie the rule to the kind). */
function assertFallback(fallback: JoinFallback | null | undefined): void {
  if (fallback?.kind === 'video_url' && !isPublicUrl(fallback.details)) {
    throw badRequest('invalid_request', 'joinFallback.details must be an https link for a personal meeting link', 'joinFallback.details');
  }
}

function emailTaken(error: unknown): never {
  if (pgCode(error) === PG.uniqueViolation) throw conflict('email_taken', 'A member with this email already exists in this workspace');
  throw error;
}

export async function findMemberRow(db: Database | Transaction, workspaceId: string, id: string): Promise<MemberRow> {
  const [row] = await db.select().from(members).where(and(eq(members.workspaceId, workspaceId), eq(members.id, id))).limit(1);
  if (!row) throw notFound('member_not_found', `No member ${id} in this workspace`);
  return row;
}

export async function listMembers(db: Database, workspaceId: string): Promise<Member[]> {
  const rows = await db.select().from(members).where(eq(members.workspaceId, workspaceId)).orderBy(asc(members.createdAt), asc(members.id));
  return rows.map(toMember);
}

export async function createMember(db: Database, workspaceId: string, input: MemberCreate): Promise<Member> {
  assertFallback(input.joinFallback);
  const [row] = await db
    .insert(members)
    .values({ workspaceId, email: input.email.toLowerCase(), name: input.name, role: input.role ?? 'interviewer', timeZone: input.timeZone, active: input.active ?? true, joinFallback: input.joinFallback ?? null })
    .returning()
    .catch(emailTaken);
  if (!row) throw new Error('insert returned no row');
  return toMember(row);
}

export async function updateMember(db: Database, workspaceId: string, id: string, patch: MemberUpdate): Promise<Member> {
  assertFallback(patch.joinFallback);
  await findMemberRow(db, workspaceId, id);
  const [row] = await db
    .update(members)
    .set({ ...patch, ...(patch.email ? { email: patch.email.toLowerCase() } : {}), updatedAt: new Date() })
    .where(eq(members.id, id))
    .returning()
    .catch(emailTaken);
  if (!row) throw notFound('member_not_found', `No member ${id} in this workspace`);
  return toMember(row);
}

/** A stored time back as the API's 'HH:MM' ('24:00' stays the end of the day). */
const clockTime = (time: string) => (time.startsWith('24') ? '24:00' : time.slice(0, 5));

/** The stored rules of members, as `availabilityColumns` reads them. */
export interface StoredAvailability {
  weekly: { memberId: string; weekday: number; startTime: string; endTime: string }[];
  overrides: { memberId: string; date: string; intervals: ClockInterval[] }[];
}

/** Two columns, `weekly` and `overrides`, with the stored rules of the members in `ids` (a uuid[] expression), as JSON. */
export const availabilityColumns = (ids: SQL) => sql`
  (select coalesce(json_agg(json_build_object('memberId', w.member_id, 'weekday', w.weekday, 'startTime', w.start_time::text, 'endTime', w.end_time::text) order by w.weekday, w.start_time), '[]')
    from ${weeklyHours} w where w.member_id = any(${ids})) as weekly,
  (select coalesce(json_agg(json_build_object('memberId', o.member_id, 'date', o.date::text, 'intervals', o.intervals) order by o.date), '[]')
    from ${availabilityOverrides} o where o.member_id = any(${ids})) as overrides`;

/** The stored rules of these members, by member id: the one mapping from rows to availability. */
export async function availabilityOf(db: Database | Transaction, rows: MemberRow[]): Promise<Map<string, Availability>> {
  if (rows.length === 0) return new Map();
  // Both tables in one round trip, as JSON.
  const ids = sql`array[${sql.join(
    rows.map((member) => sql`${member.id}`),
    sql`, `,
  )}]::uuid[]`;
  const result = await db.execute(sql`select ${availabilityColumns(ids)}`);
  // Both drivers return `{ rows }`.
  return availabilityFromStored(rows, (result as unknown as { rows: [StoredAvailability] }).rows[0]);
}

export function availabilityFromStored(rows: MemberRow[], { weekly, overrides }: StoredAvailability): Map<string, Availability> {
  return new Map(
    rows.map((member) => [
      member.id,
      {
        timeZone: member.timeZone,
        weekly: weekly
          .filter((row) => row.memberId === member.id)
          .map((row) => ({ weekday: row.weekday as Availability['weekly'][number]['weekday'], start: clockTime(row.startTime), end: clockTime(row.endTime) })),
        overrides: overrides.filter((row) => row.memberId === member.id).map((row) => ({ date: row.date, intervals: row.intervals })),
        bufferBeforeMinutes: member.bufferBeforeMinutes,
        bufferAfterMinutes: member.bufferAfterMinutes,
        minimumNoticeMinutes: member.minimumNoticeMinutes,
        bookingWindowDays: member.bookingWindowDays,
        maxPerDay: member.maxPerDay,
        maxPerWeek: member.maxPerWeek,
      },
    ]),
  );
}

export async function getAvailability(db: Database | Transaction, member: MemberRow): Promise<Availability> {
  return (await availabilityOf(db, [member])).get(member.id)!;
}

export async function replaceAvailability(db: Database, workspaceId: string, id: string, availability: Availability): Promise<Availability> {
  // What the schema cannot say (end after start, real dates, one override a date), checked by
  // the same code the slot maths trusts.
  const [problem] = validateAvailabilityRules(availability);
  if (problem) throw unprocessable('invalid_availability', problem.message, problem.path.split('/').filter(Boolean).join('.'));

  return db.transaction(async (tx) => {
    await findMemberRow(tx, workspaceId, id);
    const [member] = await tx
      .update(members)
      .set({
        timeZone: availability.timeZone,
        bufferBeforeMinutes: availability.bufferBeforeMinutes,
        bufferAfterMinutes: availability.bufferAfterMinutes,
        minimumNoticeMinutes: availability.minimumNoticeMinutes,
        bookingWindowDays: availability.bookingWindowDays,
        maxPerDay: availability.maxPerDay,
        maxPerWeek: availability.maxPerWeek,
        updatedAt: new Date(),
      })
      .where(eq(members.id, id))
      .returning();
    await tx.delete(weeklyHours).where(eq(weeklyHours.memberId, id));
    await tx.delete(availabilityOverrides).where(eq(availabilityOverrides.memberId, id));
    if (availability.weekly.length > 0) {
      await tx.insert(weeklyHours).values(availability.weekly.map((interval) => ({ memberId: id, weekday: interval.weekday, startTime: interval.start, endTime: interval.end })));
    }
    if (availability.overrides.length > 0) {
      await tx.insert(availabilityOverrides).values(availability.overrides.map((override) => ({ memberId: id, date: override.date, intervals: override.intervals })));
    }
    if (!member) throw notFound('member_not_found', `No member ${id} in this workspace`);
    return getAvailability(tx, member);
  });
}
