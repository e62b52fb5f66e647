// The week's health: for the workspace and each live study with a weekly target, this week and the
// last eight (target, booked, attended, no-shows), and the pacing controller's forecast for this
// week. The controller's state is rebuilt on every call by replaying the study's own history
// (intercept events and bookings of the last nine weeks) through `observe`; capacity is the free
// host time in the booking window, from the same slot code the picker uses.
import { and, eq, gte, inArray, or, sql } from 'drizzle-orm';
import { decide, forecastWeek, newPacingState, observe, weekFrame, type Decision, type PacingConfig, type PacingEvent, type PacingEventKind, type PacingState } from '@beckon/shared/pacing';
import { toInstant, type AutopilotWeek, type WeekCounts, type WeekHealth } from '@beckon/shared/api';
import { RISK_FIXES } from '@beckon/shared/vocabulary';
import type { Database } from '../db/client.js';
import { bookings, interceptEvents, studies } from '../db/schema.js';
import type { BusyTimeSource } from '../calendars/busy-time.js';
import { defaultRange, interviewsThatFit, studySlots } from './availability.js';
import type { StudyRow } from './studies.js';
import type { Workspace } from './workspaces.js';

const PAST_WEEKS = 8;
const DAY_MS = 86_400_000;

type Frame = ReturnType<typeof weekFrame>;

/** What the replay and the counts need of a booking. */
interface BookingFacts {
  studyId: string;
  status: (typeof bookings.$inferSelect)['status'];
  createdAt: Date;
  startsAt: Date;
}

/** Intercept events of one study, one kind and one local hour. */
interface EventBucket {
  studyId: string;
  kind: string;
  hour: Date;
  count: number;
  /** Of opted_in: those the same browser was not screened out after. */
  screenedIn: number;
}

/** This week and the eight before it, oldest first. */
function weeksUpTo(now: Date, timeZone: string): Frame[] {
  const frames = [weekFrame(now.getTime(), timeZone)];
  while (frames.length <= PAST_WEEKS) frames.unshift(weekFrame(frames[0]!.start - 1, timeZone));
  return frames;
}

function weekCounts(frames: Frame[], target: number, rows: BookingFacts[]): WeekCounts[] {
  const inWeek = (frame: Frame, at: Date) => at.getTime() >= frame.start && at.getTime() < frame.end;
  return frames.map((frame) => ({
    weekKey: frame.key,
    start: toInstant(new Date(frame.start)),
    end: toInstant(new Date(frame.end)),
    target,
    booked: rows.filter((row) => row.status !== 'cancelled' && inWeek(frame, row.createdAt)).length,
    attended: rows.filter((row) => row.status === 'completed' && inWeek(frame, row.startsAt)).length,
    noShows: rows.filter((row) => row.status === 'no_show' && inWeek(frame, row.startsAt)).length,
  }));
}

const EVENT_KINDS: Record<string, PacingEventKind> = { eligible: 'eligible', shown: 'shown', opted_in: 'optedIn', screened_out: 'screenedOut' };

/** The history as the controller's events, in time order; nothing after `now`. */
function pacingEvents(buckets: EventBucket[], rows: BookingFacts[], now: Date): PacingEvent[] {
  const cap = (at: Date) => Math.min(at.getTime(), now.getTime());
  const events: PacingEvent[] = [];
  // The loader reports no `eligible` events of its own (its bytes stay as they are), so every
  // visitor shown the intercept counts as an eligible visit too: per study and hour, the eligible
  // traffic is at least what was shown.
  const hourOf = (bucket: EventBucket) => `${bucket.studyId}:${bucket.hour.getTime()}`;
  const shown = new Map(buckets.filter((b) => b.kind === 'shown').map((b) => [hourOf(b), b.count]));
  const withEligible = new Set(buckets.filter((b) => b.kind === 'eligible').map(hourOf));
  for (const bucket of buckets) {
    const kind = EVENT_KINDS[bucket.kind];
    if (!kind) continue;
    const at = cap(bucket.hour);
    if (kind === 'eligible') events.push({ kind, at, count: Math.max(bucket.count, shown.get(hourOf(bucket)) ?? 0) });
    else events.push({ kind, at, count: bucket.count });
    if (kind === 'shown' && !withEligible.has(hourOf(bucket))) events.push({ kind: 'eligible', at, count: bucket.count });
    if (kind === 'optedIn' && bucket.screenedIn > 0) events.push({ kind: 'screenedIn', at: cap(bucket.hour), count: bucket.screenedIn });
  }
  for (const row of rows) {
    // A cancelled booking is left out altogether: the week's count is of bookings that stand.
    if (row.status === 'cancelled') continue;
    events.push({ kind: 'booked', at: cap(row.createdAt) });
    if (row.status === 'completed') events.push({ kind: 'attended', at: cap(row.startsAt) });
    if (row.status === 'no_show') events.push({ kind: 'noShow', at: cap(row.startsAt) });
  }
  return events.sort((a, b) => a.at - b.at);
}

interface ReplayInput {
  id: string;
  target: number;
  timeZone: string;
  frames: Frame[];
  since: Date;
  buckets: EventBucket[];
  rows: BookingFacts[];
  now: Date;
}

/** The controller's state rebuilt from the history, and the invitations in flight. */
function replay(input: ReplayInput): { config: PacingConfig; state: PacingState; pending: number } {
  const { frames, now } = input;
  const config: PacingConfig = { studyId: input.id, timeZone: input.timeZone, weeklyTarget: input.target };
  const events = pacingEvents(input.buckets, input.rows, now);
  const first = Math.min(input.since.getTime(), events[0]?.at ?? Infinity);
  const state = newPacingState(config, Math.min(now.getTime(), Math.max(frames[0]!.start, first)));
  for (const event of events) observe(state, config, event);
  // Invitations in flight: people screened in over the last day, less the bookings made since.
  const dayAgo = now.getTime() - DAY_MS;
  const recentScreenedIn = input.buckets.filter((b) => b.kind === 'opted_in' && b.hour.getTime() >= dayAgo).reduce((sum, b) => sum + b.screenedIn, 0);
  const recentBooked = input.rows.filter((row) => row.createdAt.getTime() >= dayAgo).length;
  return { config, state, pending: Math.max(0, recentScreenedIn - recentBooked) };
}

function health(input: ReplayInput & { freeSlots: number }): WeekHealth {
  const { frames, now } = input;
  const { config, state, pending } = replay(input);
  const forecast = forecastWeek(state, config, now.getTime(), { freeSlots: input.freeSlots, pending });
  const reason = forecast.status === 'on_track' ? null : (forecast.reason ?? null);
  return {
    target: input.target,
    weeks: weekCounts(frames, input.target, input.rows),
    forecast: {
      goal: forecast.goal,
      expected: Math.round(forecast.expected * 10) / 10,
      low: forecast.low,
      high: forecast.high,
      chance: Math.round(forecast.chance * 1000) / 1000,
      status: forecast.status,
      reason,
      fix: reason ? RISK_FIXES[reason] : null,
      freeSlots: input.freeSlots,
    },
  };
}

export async function autopilotWeek(db: Database, workspace: Workspace, calendars: BusyTimeSource, now: Date): Promise<AutopilotWeek> {
  const timeZone = workspace.timeZone;
  const frames = weeksUpTo(now, timeZone);
  const thisWeek = frames[frames.length - 1]!;
  const windowStart = new Date(frames[0]!.start);

  const live = await db.select().from(studies).where(and(eq(studies.workspaceId, workspace.id), eq(studies.status, 'live')));
  const { rows, buckets } = await historySince(db, workspace.id, windowStart, timeZone);

  // Free interviews per live study (the workspace's is their sum): what a booking made this week
  // could still take, so the study's booking window (as the widget offers it), not only the
  // rest of the week: on a Friday evening next week's hours are what people book.
  const free = new Map<string, number>();
  for (const study of live) {
    const { slots } = await studySlots(db, study, defaultRange(study, now), now, calendars);
    free.set(study.id, interviewsThatFit(slots, study.assignmentMode));
  }

  const targeted = live.filter((study) => study.weeklyTarget !== null).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return {
    timeZone,
    weekKey: thisWeek.key,
    at: toInstant(now),
    workspace: health({
      id: `workspace:${workspace.id}`,
      target: workspace.weeklyTarget,
      timeZone,
      frames,
      since: workspace.createdAt,
      buckets,
      rows,
      freeSlots: [...free.values()].reduce((sum, n) => sum + n, 0),
      now,
    }),
    studies: targeted.map((study) => ({
      studyId: study.id,
      name: study.name,
      ...health({
        id: study.id,
        target: study.weeklyTarget!,
        timeZone,
        frames,
        since: study.createdAt,
        buckets: buckets.filter((bucket) => bucket.studyId === study.id),
        rows: rows.filter((row) => row.studyId === study.id),
        freeSlots: free.get(study.id) ?? 0,
        now,
      }),
    })),
  };
}

/** The bookings and the intercept events (per study, kind and hour) of the workspace since `from`, optionally of some studies only. */
async function historySince(db: Database, workspaceId: string, from: Date, timeZone: string, studyIds?: string[]): Promise<{ rows: BookingFacts[]; buckets: EventBucket[] }> {
  const [rows, buckets] = await Promise.all([
    db
      .select({ studyId: bookings.studyId, status: bookings.status, createdAt: bookings.createdAt, startsAt: bookings.startsAt })
      .from(bookings)
      .where(and(eq(bookings.workspaceId, workspaceId), studyIds ? inArray(bookings.studyId, studyIds) : undefined, or(gte(bookings.createdAt, from), gte(bookings.startsAt, from)))),
    eventBuckets(db, workspaceId, from, timeZone, studyIds),
  ]);
  return { rows, buckets };
}

/**
 * The controller's decision for each live study with a weekly target, as the widget's
 * configuration serves it: one decision per study for every visitor (the body is the same for
 * all, so a CDN can cache it). `freeSlots` is what the study's booking window can still hold.
 */
export async function pacingDecisions(db: Database, workspace: Workspace, targeted: { study: StudyRow; freeSlots: number }[], now: Date): Promise<Map<string, Decision>> {
  const decisions = new Map<string, Decision>();
  if (targeted.length === 0) return decisions;
  const frames = weeksUpTo(now, workspace.timeZone);
  const { rows, buckets } = await historySince(db, workspace.id, new Date(frames[0]!.start), workspace.timeZone, targeted.map(({ study }) => study.id));
  for (const { study, freeSlots } of targeted) {
    const { config, state, pending } = replay({
      id: study.id,
      target: study.weeklyTarget!,
      timeZone: workspace.timeZone,
      frames,
      since: study.createdAt,
      buckets: buckets.filter((bucket) => bucket.studyId === study.id),
      rows: rows.filter((row) => row.studyId === study.id),
      now,
    });
    // The visitor's own draw is the widget's sampling bucket (see widgetConfig); the id here only fills the input.
    decisions.set(study.id, decide(state, config, { visitorId: 'config', now: now.getTime(), capacity: { freeSlots, pending } }));
  }
  return decisions;
}

const outer = (column: string) => sql`${sql.identifier('intercept_events')}.${sql.identifier(column)}`;

/** The workspace's intercept events since `from`, counted per study, kind and local hour. */
async function eventBuckets(db: Database, workspaceId: string, from: Date, timeZone: string, studyIds?: string[]): Promise<EventBucket[]> {
  const rows = await db
    .select({
      studyId: interceptEvents.studyId,
      kind: interceptEvents.kind,
      hourMs: sql<number>`(extract(epoch from date_trunc('hour', ${interceptEvents.at}, ${timeZone})) * 1000)::float8`.mapWith(Number),
      count: sql<number>`count(*)`.mapWith(Number),
      // The outer row's columns spelled out with their table: drizzle writes a single-table
      // select's columns bare, which inside the subquery would name `later`'s own.
      screenedIn: sql<number>`count(*) filter (where ${interceptEvents.kind} = 'opted_in' and not exists (
        select 1 from ${interceptEvents} as later
        where later.study_id = ${outer('study_id')} and later.anonymous_id = ${outer('anonymous_id')} and later.kind = 'screened_out'
      ))`.mapWith(Number),
    })
    .from(interceptEvents)
    .where(and(eq(interceptEvents.workspaceId, workspaceId), studyIds ? inArray(interceptEvents.studyId, studyIds) : undefined, gte(interceptEvents.at, from), inArray(interceptEvents.kind, ['eligible', 'shown', 'opted_in', 'screened_out'])))
    // By position: the hour's expression carries the zone as a parameter, which would not match a repeat of it.
    .groupBy(sql`1`, sql`2`, sql`3`);
  return rows.map(({ hourMs, ...row }) => ({ ...row, hour: new Date(hourMs) }));
}
