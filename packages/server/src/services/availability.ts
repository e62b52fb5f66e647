// A study's free slots: the database and calendars gathered into the input of the one slot
// computation in @beckon/shared/schedule. The booking transaction calls the same code.
import { and, asc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { computeFreeSlots, slotSettingsProblem, subtractInterval, type ExistingBooking, type FreeSlotsInput, type HostAvailability, type HostBookingStats, type TimeInterval } from '@beckon/shared/schedule';
import type { Availability, UnavailableReason } from '@beckon/shared/api';
import type { Database, Transaction } from '../db/client.js';
import { bookings, members, studyMembers } from '../db/schema.js';
import type { BusyTimeSource } from '../calendars/busy-time.js';
import type { StudyRow } from './studies.js';
import { availabilityColumns, availabilityFromStored, availabilityOf, type MemberRow, type StoredAvailability } from './members.js';

type Db = Database | Transaction;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The active members among `ids` in a workspace, in the order studyHosts gives (a study's hosts before it is saved). */
export async function activeMembers(db: Db, workspaceId: string, ids: string[]): Promise<MemberRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), inArray(members.id, ids), eq(members.active, true)))
    .orderBy(asc(members.id));
}

export async function studyHosts(db: Db, studyId: string, options: { lock?: boolean } = {}): Promise<MemberRow[]> {
  const query = db
    .select({ member: members })
    .from(studyMembers)
    .innerJoin(members, eq(studyMembers.memberId, members.id))
    .where(and(eq(studyMembers.studyId, studyId), eq(studyMembers.role, 'host'), eq(members.active, true)))
    .orderBy(asc(members.id));
  // Locking every host's row serialises bookings that could take the same host's time, so caps,
  // round robin and co-host checks are decided on what the previous booking committed.
  const rows = options.lock ? await query.for('update', { of: members }) : await query;
  return rows.map((row) => row.member);
}

/** A host's rules, narrowed by the study: the later notice and the shorter window win. */
export async function hostAvailabilities(db: Db, hosts: MemberRow[], study: StudyRow): Promise<HostAvailability[]> {
  return narrowedByStudy(hosts, await availabilityOf(db, hosts), study);
}

function narrowedByStudy(hosts: MemberRow[], stored: Map<string, Availability>, study: StudyRow): HostAvailability[] {
  return hosts.map((host) => {
    const rules = stored.get(host.id)!;
    return {
      ...rules,
      hostId: host.id,
      minimumNoticeMinutes: Math.max(rules.minimumNoticeMinutes, study.minimumNoticeMinutes),
      bookingWindowDays: Math.min(rules.bookingWindowDays, study.bookingWindowDays),
    };
  });
}

/**
 * Confirmed bookings that take these hosts' time in [from, to), from every study, as lead or
 * co-host: as a condition on `bookings` rows. Each host's own through the exclusion constraint's
 * index (host and time range), the co-hosted through their index: never a scan of every
 * confirmed booking.
 */
function takingHostsTime(hostIds: string[], from: Date, to: Date, exceptBookingId?: string): SQL {
  // An empty range (the alternatives around a time long past) takes nobody's time.
  if (to.getTime() <= from.getTime()) return sql`false`;
  const ids = sql`${`{${hostIds.join(',')}}`}::uuid[]`;
  const range = sql`tstzrange(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz, '[)')`;
  return sql`${bookings.id} in (
      select led.id from unnest(${ids}) as host(id) cross join lateral (
        select l.id from ${bookings} l where l.host_id = host.id and l.status = 'confirmed' and tstzrange(l.blocked_from, l.blocked_until, '[)') && ${range}) led
      union
      select c.id from ${bookings} c where c.status = 'confirmed' and c.co_host_ids && ${ids} and tstzrange(c.blocked_from, c.blocked_until, '[)') && ${range})
    ${exceptBookingId ? sql`and ${bookings.id} <> ${exceptBookingId}` : sql``}`;
}

/** Confirmed bookings that take these hosts' time in [from, to), from every study, as lead or co-host. */
export async function hostBookings(db: Db, hostIds: string[], from: Date, to: Date, exceptBookingId?: string): Promise<ExistingBooking[]> {
  if (hostIds.length === 0) return [];
  const rows = await db
    .select({ hostId: bookings.hostId, coHostIds: bookings.coHostIds, startsAt: bookings.startsAt, endsAt: bookings.endsAt, blockedFrom: bookings.blockedFrom, blockedUntil: bookings.blockedUntil })
    .from(bookings)
    .where(takingHostsTime(hostIds, from, to, exceptBookingId));
  return existingBookings(rows, hostIds);
}

type BookingTimes = Pick<typeof bookings.$inferSelect, 'hostId' | 'coHostIds' | 'startsAt' | 'endsAt' | 'blockedFrom' | 'blockedUntil'>;

/** Each booking once per host among `hostIds` it takes the time of, as lead or co-host. */
function existingBookings(rows: BookingTimes[], hostIds: string[]): ExistingBooking[] {
  const wanted = new Set(hostIds);
  return rows.flatMap((row) =>
    [row.hostId, ...row.coHostIds]
      .filter((hostId) => wanted.has(hostId))
      .map((hostId) => ({
        hostId,
        start: row.startsAt,
        end: row.endsAt,
        bufferBeforeMinutes: (row.startsAt.getTime() - row.blockedFrom.getTime()) / 60_000,
        bufferAfterMinutes: (row.blockedUntil.getTime() - row.endsAt.getTime()) / 60_000,
      })),
  );
}

/** A booking being rescheduled: its own time and quota place do not count against it. */
export type MovingBooking = Pick<typeof bookings.$inferSelect, 'id' | 'hostId' | 'coHostIds' | 'startsAt' | 'endsAt'>;

export interface SchedulingInput {
  hosts: MemberRow[];
  input: Omit<FreeSlotsInput, 'range'>;
}

/** Everything the slot computation needs for a study around [from, to). */
export async function schedulingInput(
  db: Db,
  study: StudyRow,
  range: { from: Date; to: Date },
  now: Date,
  calendars: BusyTimeSource,
  options: { lockHosts?: boolean | ((hosts: MemberRow[]) => boolean); freshBusy?: boolean; moving?: MovingBooking; readBusy?: BusyRead; hosts?: MemberRow[] } = {},
): Promise<SchedulingInput> {
  const { lockHosts } = options;
  // A rule over the hosts themselves decides whether to lock them: read (or take those read with
  // the calendars just before), and read again locked only if it says so. A study not saved yet
  // (a preview) brings its hosts.
  let hosts = options.hosts ?? (lockHosts !== true && options.readBusy ? options.readBusy.hosts : await studyHosts(db, study.id, { lock: lockHosts === true }));
  if (!options.hosts && typeof lockHosts === 'function' && lockHosts(hosts)) hosts = await studyHosts(db, study.id, { lock: true });
  const ids = hosts.map((host) => host.id);
  const { from: busyFrom, to: busyTo } = busyWindow(hosts, study, range);
  // Calendars read before a transaction began are used as they are; only a host added since is read now.
  const alreadyRead = options.readBusy && new Set(options.readBusy.hostIds);
  const unread = alreadyRead ? ids.filter((id) => !alreadyRead.has(id)) : ids;
  const readBefore = options.readBusy?.busy ?? {};
  const busyPending = unread.length > 0 ? calendars.busy(unread, busyFrom, busyTo, { fresh: options.freshBusy }).then((read) => ({ ...readBefore, ...read })) : Promise.resolve({ ...readBefore });
  const availability = await hostAvailabilities(db, hosts, study);
  // Caps count a host's whole local day and week; otherwise only bookings that can touch the range matter.
  const capped = hosts.some((host) => host.maxPerDay !== null || host.maxPerWeek !== null);
  const bookingsWindow = capped ? { from: new Date(range.from.getTime() - 8 * DAY_MS), to: new Date(range.to.getTime() + 8 * DAY_MS) } : { from: busyFrom, to: busyTo };
  const existing = await hostBookings(db, ids, bookingsWindow.from, bookingsWindow.to, options.moving?.id);
  const busy = options.moving ? withoutOwnTime(await busyPending, options.moving) : await busyPending;
  return {
    hosts,
    input: {
      hosts: availability,
      busy,
      bookings: existing,
      now,
      durationMinutes: study.durationMinutes,
      slotStepMinutes: study.slotStepMinutes,
      assignment: study.assignmentMode,
    },
  };
}

/** Calendar time that a slot starting in the range can touch: its whole length and the buffers
 * either side, not only its start (a meeting at 11:30 rules out a 60-minute 11:00). */
function busyWindow(hosts: MemberRow[], study: StudyRow, range: { from: Date; to: Date }): { from: Date; to: Date } {
  const reach = Math.max(0, ...hosts.map((host) => Math.max(host.bufferBeforeMinutes, host.bufferAfterMinutes))) * MINUTE_MS;
  return { from: new Date(range.from.getTime() - reach), to: new Date(range.to.getTime() + study.durationMinutes * MINUTE_MS + reach) };
}

/**
 * The hosts' calendars around a range, read fresh before a booking's transaction opens: a
 * transaction never waits on a calendar provider (or on a second pool connection) while it
 * holds its own.
 */
export interface BusyRead {
  /** The study's hosts as read with their calendars: a booking that locks none uses them as they are. */
  hosts: MemberRow[];
  hostIds: string[];
  busy: Record<string, TimeInterval[]>;
  /**
   * Everything else the slot is decided on, when no rule needs the hosts locked (see
   * needsHostLocks): read in the same breath, so a booking decides its candidates before its
   * transaction opens and a slot already taken is refused without one.
   */
  settled?: { input: SchedulingInput['input']; stats: HostBookingStats[] };
}

/**
 * Rules that count across bookings (a host's daily or weekly cap, co-hosts in an all-hosts study,
 * who keeps a moved interview) are decided on the hosts' locked rows; everything else rests on the
 * exclusion constraint alone.
 */
export const needsHostLocks = (study: Pick<StudyRow, 'assignmentMode'>, hosts: MemberRow[], moving?: unknown): boolean =>
  study.assignmentMode === 'all_hosts' || moving !== undefined || hosts.some((host) => host.maxPerDay !== null || host.maxPerWeek !== null);

export async function readBusyBeforeBooking(
  db: Db,
  study: StudyRow,
  range: { from: Date; to: Date },
  calendars: BusyTimeSource,
  settle?: { now: Date; hosts?: MemberRow[] },
): Promise<BusyRead> {
  // A booking reads the hosts with its study.
  const hosts = settle?.hosts ?? (await studyHosts(db, study.id));
  const hostIds = hosts.map((host) => host.id);
  if (hosts.length === 0) return { hosts, hostIds, busy: {} };
  const { from, to } = busyWindow(hosts, study, range);
  const busyPending = calendars.busy(hostIds, from, to, { fresh: true });
  if (!settle || needsHostLocks(study, hosts)) return { hosts, hostIds, busy: await busyPending };
  const [busy, facts] = await Promise.all([busyPending, slotFacts(db, study, hosts, { from, to }, studyWeek(range.from, hosts[0]!.timeZone))]);
  return {
    hosts,
    hostIds,
    busy,
    settled: {
      input: { hosts: narrowedByStudy(hosts, facts.availability, study), busy, bookings: facts.bookings, now: settle.now, durationMinutes: study.durationMinutes, slotStepMinutes: study.slotStepMinutes, assignment: study.assignmentMode },
      stats: facts.stats,
    },
  };
}

/**
 * What a slot is decided on besides the calendars, in one round trip: the hosts' stored
 * availability, the confirmed bookings that take their time around the slot (lead or co-host,
 * any study), and this study's round-robin figures in the slot's week.
 */
async function slotFacts(db: Db, study: StudyRow, hosts: MemberRow[], around: { from: Date; to: Date }, week: { start: Date; end: Date }) {
  const ids = sql`array[${sql.join(
    hosts.map((host) => sql`${host.id}`),
    sql`, `,
  )}]::uuid[]`;
  const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
  const result = await db.execute(sql`
    select ${availabilityColumns(ids)},
      (select coalesce(json_agg(json_build_array(${bookings.hostId}, ${bookings.coHostIds}, ${bookings.startsAt}, ${bookings.endsAt}, ${bookings.blockedFrom}, ${bookings.blockedUntil})), '[]')
        from ${bookings} where ${takingHostsTime(
          hosts.map((host) => host.id),
          around.from,
          around.to,
        )}) as bookings,
      (select coalesce(json_agg(json_build_array(s.host_id, s.this_week, s.last_booked_at)), '[]') from (
        select b.host_id, count(*) filter (where b.starts_at >= ${at(week.start)} and b.starts_at < ${at(week.end)} and b.status <> 'cancelled') as this_week, max(b.created_at) as last_booked_at
        from ${bookings} b where b.study_id = ${study.id} and b.host_id = any(${ids}) group by b.host_id) s) as stats
  `);
  // Both drivers return `{ rows }`.
  const [row] = (result as unknown as { rows: [StoredAvailability & { bookings: [string, string[], string, string, string, string][]; stats: [string, number, string | null][] }] }).rows;
  const rows = row.bookings.map(([hostId, coHostIds, startsAt, endsAt, blockedFrom, blockedUntil]) => ({
    hostId,
    coHostIds,
    startsAt: new Date(startsAt),
    endsAt: new Date(endsAt),
    blockedFrom: new Date(blockedFrom),
    blockedUntil: new Date(blockedUntil),
  }));
  return {
    availability: availabilityFromStored(hosts, row),
    bookings: existingBookings(rows, hosts.map((host) => host.id)),
    stats: row.stats.map(([hostId, thisWeek, lastBookedAt]) => ({ hostId, bookingsThisWeekForStudy: Number(thisWeek), lastBookedAt: lastBookedAt ? new Date(lastBookedAt).toISOString() : null })),
  };
}

/**
 * A rescheduled booking's own event is still on its hosts' calendars at the old time, and a
 * provider that reports only busy blocks (Google free/busy) cannot tell it apart: without this, a
 * participant could not move an interview to a time overlapping its current one.
 */
function withoutOwnTime(busy: Record<string, TimeInterval[]>, moving: MovingBooking): Record<string, TimeInterval[]> {
  const own = { start: moving.startsAt, end: moving.endsAt };
  // A copy: the calendar service may hand out its cached record.
  const freed = { ...busy };
  for (const hostId of [moving.hostId, ...moving.coHostIds]) if (freed[hostId]) freed[hostId] = subtractInterval(freed[hostId], own);
  return freed;
}

/** The study's week: Monday to Monday in its first host's zone (the team's working week). */
export function studyWeek(instant: Date, timeZone: string): { start: Date; end: Date } {
  const local = Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);
  const monday = local.toPlainDate().subtract({ days: local.dayOfWeek - 1 });
  const start = monday.toZonedDateTime({ timeZone });
  const end = monday.add({ days: 7 }).toZonedDateTime({ timeZone });
  return { start: new Date(start.epochMilliseconds), end: new Date(end.epochMilliseconds) };
}

export interface QuotaUse {
  total: number;
  /** Bookings in the study week that contains each instant asked about. */
  inWeekOf(instant: Date): number;
}

const COUNTED = ['confirmed', 'completed', 'no_show'] as const;

export async function quotaUse(db: Db, study: StudyRow, teamZone: string, exceptBookingId?: string): Promise<QuotaUse> {
  const rows = await db
    .select({ startsAt: bookings.startsAt })
    .from(bookings)
    .where(and(eq(bookings.studyId, study.id), inArray(bookings.status, COUNTED), exceptBookingId ? ne(bookings.id, exceptBookingId) : sql`true`));
  return {
    total: rows.length,
    inWeekOf(instant) {
      const week = studyWeek(instant, teamZone);
      return rows.filter((row) => row.startsAt >= week.start && row.startsAt < week.end).length;
    },
  };
}

export interface StudySlots {
  slots: { start: string; end: string; hostIds: string[] }[];
  unavailableReason?: UnavailableReason;
}

/** Free slots for a study, with the slots its quotas cannot fill removed, and why none, if none. */
export async function studySlots(
  db: Db,
  study: StudyRow,
  range: { from: Date; to: Date },
  now: Date,
  calendars: BusyTimeSource,
  options: { moving?: MovingBooking; hosts?: MemberRow[] } = {},
): Promise<StudySlots> {
  if (study.status !== 'live') return { slots: [], unavailableReason: 'study_not_live' };
  // Saved before today's limits, or changed behind the API's back: this study offers nothing, the others go on.
  if (slotSettingsProblem(study.durationMinutes, study.slotStepMinutes)) return { slots: [], unavailableReason: 'study_misconfigured' };
  const { hosts, input } = await schedulingInput(db, study, range, now, calendars, options);
  const [lead] = hosts;
  if (!lead) return { slots: [], unavailableReason: 'no_hosts' };
  const use = await quotaUse(db, study, lead.timeZone, options.moving?.id);
  if (study.totalQuota !== null && use.total >= study.totalQuota) return { slots: [], unavailableReason: 'total_quota_reached' };
  const free = computeFreeSlots({ ...input, range });
  const fillable = study.weeklyQuota === null ? free : free.filter((slot) => use.inWeekOf(new Date(slot.start)) < study.weeklyQuota!);
  if (fillable.length > 0) return { slots: fillable };
  const thisWeekFull = study.weeklyQuota !== null && use.inWeekOf(now) >= study.weeklyQuota;
  return { slots: [], unavailableReason: free.length > 0 || thisWeekFull ? 'weekly_quota_reached' : 'no_free_time' };
}

/** The range a study's slots are offered in by default: now to the end of its booking window. */
export function defaultRange(study: StudyRow, now: Date): { from: Date; to: Date } {
  return { from: now, to: new Date(now.getTime() + (study.bookingWindowDays + 1) * DAY_MS) };
}

/**
 * How many interviews the free slots can still hold: slots overlap (they start every few minutes),
 * so each host takes them greedily one after another; in an all-hosts study every host attends
 * every interview, so the team counts as one.
 */
export function interviewsThatFit(slots: StudySlots['slots'], assignment: StudyRow['assignmentMode']): number {
  const sorted = [...slots].sort((a, b) => a.start.localeCompare(b.start));
  const busyUntil = new Map<string, string>();
  let count = 0;
  for (const slot of sorted) {
    const hosts = assignment === 'all_hosts' ? ['team'] : slot.hostIds;
    const free = hosts.find((host) => (busyUntil.get(host) ?? '') <= slot.start);
    if (free === undefined) continue;
    busyUntil.set(free, slot.end);
    count += 1;
  }
  return count;
}
