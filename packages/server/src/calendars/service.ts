// The calendar integrations as the rest of Beckon sees them: a BusyTimeSource for the slot
// computation and the booking transaction, and job handlers that write the interview to the
// host's calendar after a booking commits.
//
// Busy time fails closed per host: a host whose calendar cannot be read (error, timeout, a
// broken connection) gets one busy interval over the whole range, so no slot is offered over a
// meeting we could not see, while the other hosts still are; `hostsLeftOut` says who and why.
// A confirmed booking never waits on a calendar write: the write is a job, retried with backoff
// by the worker, and a dead job leaves the booking confirmed with the error for the PM to see.
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { bookings, calendarConnections, members, participants, studies } from '../db/schema.js';
import type { SecretBox } from '../security/secrets.js';
import type { CalendarWritePayload, ClaimedJob, JobHandler, JobHandlers, NewJob, WriteCalendar } from '../jobs/kinds.js';
import { enqueue } from '../jobs/queue.js';
import { bookingMailContext } from '../mail/context.js';
import { calendarEventSummary } from '../mail/ics.js';
import { isErased, participantLine } from '../mail/types.js';
import type { BusyTimeSource } from './busy-time.js';
import { createBuiltinProvider } from './builtin.js';
import { createGoogleProvider, type GoogleOAuthClient, type SendUpdates } from './google.js';
import { createMicrosoftProvider, type MicrosoftEndpoints, type MicrosoftOAuthClient, type MicrosoftProvider } from './microsoft.js';
import {
  CalendarError,
  mergeIntervals,
  type BusyInterval,
  type CalendarProvider,
  type InterviewEvent,
  type ProviderConnection,
  type ProviderName,
} from './provider.js';

type ConnectionRow = typeof calendarConnections.$inferSelect;
type BookingRow = typeof bookings.$inferSelect;

export interface CalendarServiceOptions {
  db: Database;
  secretBox: SecretBox;
  /** Deadline for every call to a calendar server, in milliseconds. */
  fetchTimeoutMs?: number;
  /** How long busy time read from calendars is reused (bypassed when `fresh`). */
  cacheTtlMs?: number;
  /** How long the list of connections is reused before it is read again; the admin routes reload it on every change. */
  connectionsTtlMs?: number;
  /** Google Calendar API root (tests: the emulation). */
  googleRootUrl?: string;
  /** Google OAuth token endpoint (tests: the emulation). */
  googleTokenUrl?: string;
  /** The PM's Google OAuth client; without it only service-account Google connections work. */
  oauth?: GoogleOAuthClient;
  /** Whether Google emails attendees about the event; the same on every insert, patch and delete. */
  googleSendUpdates?: SendUpdates;
  /** Microsoft 365 and Outlook calendars: the deployment's app registration and where the endpoints are (tests: the emulation). */
  microsoft?: MicrosoftSettings;
  /** Base URL for the participant's manage link in the event's description. */
  publicUrl?: string;
  /** Told once when a connection turns broken (revoked access): email the host a reconnect link. */
  onBroken?: (broken: BrokenConnection) => Promise<void> | void;
  /** Whether CalDAV servers on loopback or private networks may be reached (see CalDavOptions). */
  caldavAllowPrivateNetworks?: boolean;
  /** Replaces providers (tests). */
  providers?: Partial<Record<ProviderName, CalendarProvider<never>>>;
  now?: () => Date;
}

export interface MicrosoftSettings extends MicrosoftEndpoints {
  /** Without it, Microsoft calendars cannot be connected (nor read: they are all per-interviewer sign-ins). */
  oauth?: MicrosoftOAuthClient;
  /** Whether the participant is an attendee of the Outlook event (see MicrosoftProviderOptions.inviteAttendees); true by default. */
  inviteAttendees?: boolean;
}

export interface BrokenConnection {
  connectionId: string;
  memberId: string;
  provider: ProviderName;
  label: string;
  error: string;
}

export type LeftOutReason = 'broken' | 'unreachable' | 'error';

export interface HostCalendarProblem {
  reason: LeftOutReason;
  connectionId: string;
  message: string;
  at: Date;
}

export interface CalendarService {
  busyTimeSource: BusyTimeSource;
  jobHandlers: Pick<JobHandlers, 'calendar.upsert' | 'calendar.delete'>;
  /** Drops a host's cached busy time (after they are booked, or their connections changed). */
  forget(hostId: string): void;
  /** Of these hosts, the ones left out of the last busy-time read and why (the slots response reports them). */
  hostsLeftOut(hostIds: string[]): Record<string, HostCalendarProblem>;
  /** Every host currently left out. */
  readonly lastProblems: ReadonlyMap<string, HostCalendarProblem>;
  /** Re-reads the connections table (after the admin routes change it). */
  connectionsChanged(memberId?: string): Promise<void>;
  /** Marks a connection broken and tells `onBroken`; true if it was active. */
  markBroken(connectionId: string, error: string): Promise<boolean>;
  providers: Record<ProviderName, CalendarProvider<never>>;
  /** The Microsoft provider itself, for what only it does (listing an account's calendars). */
  microsoft: MicrosoftProvider;
  /** Runs a provider call under the service's deadline. */
  withDeadline<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T>;
  readonly options: Readonly<Required<Pick<CalendarServiceOptions, 'fetchTimeoutMs' | 'cacheTtlMs'>>> & CalendarServiceOptions;
  /** Resolves when the first read of the connections table is done. */
  ready: Promise<void>;
}

interface Snapshot {
  byMember: Map<string, ProviderConnection<never>[]>;
  rows: Map<string, ConnectionRow>;
  loadedAt: number;
}

interface CacheEntry {
  from: number;
  to: number;
  intervals: BusyInterval[];
  problem?: HostCalendarProblem;
  expiresAt: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A provider whose module is imported on its first call: CalDAV brings tsdav and ical.js, which a
 * server whose interviewers use no CalDAV calendar never needs in memory.
 */
function lazyProvider<Credentials>(name: ProviderName, load: () => Promise<CalendarProvider<Credentials>>): CalendarProvider<Credentials> {
  let provider: Promise<CalendarProvider<Credentials>> | undefined;
  const loaded = () => (provider ??= load());
  return {
    name,
    busy: async (...args) => (await loaded()).busy(...args),
    upsertEvent: async (...args) => (await loaded()).upsertEvent(...args),
    deleteEvent: async (...args) => (await loaded()).deleteEvent(...args),
  };
}

export function createCalendarService(options: CalendarServiceOptions): CalendarService {
  const { db, secretBox } = options;
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 8_000;
  const cacheTtlMs = options.cacheTtlMs ?? 60_000;
  const connectionsTtlMs = options.connectionsTtlMs ?? 15_000;
  const now = () => (options.now?.() ?? new Date()).getTime();

  const microsoft = createMicrosoftProvider({
    ...options.microsoft,
    timeoutMs: fetchTimeoutMs,
    onCredentials: (connectionId, credentials) => {
      // Not awaited: a rotation may happen inside the booking transaction's busy-time read.
      void saveCredentials(connectionId, credentials).catch(() => {});
    },
  });
  const providers: Record<ProviderName, CalendarProvider<never>> = {
    google: createGoogleProvider({
      timeoutMs: fetchTimeoutMs,
      rootUrl: options.googleRootUrl,
      tokenUrl: options.googleTokenUrl,
      oauth: options.oauth,
      sendUpdates: options.googleSendUpdates ?? 'all',
    }) as CalendarProvider<never>,
    microsoft: microsoft as CalendarProvider<never>,
    caldav: lazyProvider('caldav', async () => (await import('./caldav.js')).createCalDavProvider({ allowPrivateNetworks: options.caldavAllowPrivateNetworks })) as CalendarProvider<never>,
    builtin: createBuiltinProvider() as CalendarProvider<never>,
    ...options.providers,
  };

  // -------------------------------------------------------------------------------------------
  // Deadlines: the provider gets a signal, and the call is abandoned at the deadline even if a
  // library ignores the signal somewhere (a token refresh, a DNS lookup).
  function withDeadline<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new CalendarError('transient', `timed out after ${fetchTimeoutMs} ms`);
        controller.abort(error);
        reject(error);
      }, fetchTimeoutMs);
    });
    return Promise.race([call(controller.signal), deadline]).finally(() => clearTimeout(timer));
  }

  // -------------------------------------------------------------------------------------------
  // Connections: the whole (small) table in memory, joined with the hosts' address and zone.
  // The booking transaction reads busy time while it holds its transaction; reading the table
  // there could wait on that very transaction (embedded PGlite has one connection), so a fresh
  // read uses the snapshot it has and refreshes it in the background.
  let snapshot: Snapshot | undefined;
  let loading: Promise<Snapshot> | undefined;

  function toProviderConnection(row: ConnectionRow, host: ProviderConnection['host']): ProviderConnection<never> {
    let credentials: unknown = null;
    if (row.credentialsEncrypted) {
      try {
        credentials = JSON.parse(secretBox.open(row.credentialsEncrypted));
      } catch {
        credentials = undefined; // sealed under another key: treated as broken below
      }
    }
    return {
      id: row.id,
      memberId: row.memberId,
      provider: row.provider,
      credentials: credentials as never,
      busyCalendarIds: row.busyCalendarIds,
      writeCalendarId: row.writeCalendarId,
      host,
    };
  }

  async function loadSnapshot(): Promise<Snapshot> {
    loading ??= (async () => {
      try {
        const rows = await db
          .select({ connection: calendarConnections, email: members.email, name: members.name, timeZone: members.timeZone })
          .from(calendarConnections)
          .innerJoin(members, eq(calendarConnections.memberId, members.id));
        const next: Snapshot = { byMember: new Map(), rows: new Map(), loadedAt: now() };
        for (const row of rows) {
          const list = next.byMember.get(row.connection.memberId) ?? [];
          list.push(toProviderConnection(row.connection, { email: row.email, name: row.name, timeZone: row.timeZone }));
          next.byMember.set(row.connection.memberId, list);
          next.rows.set(row.connection.id, row.connection);
        }
        snapshot = next;
        return next;
      } finally {
        loading = undefined;
      }
    })();
    return loading;
  }

  async function connections(fresh: boolean): Promise<Snapshot> {
    if (!snapshot) return loadSnapshot();
    if (now() - snapshot.loadedAt > connectionsTtlMs) {
      if (fresh) void loadSnapshot().catch(() => {});
      else return loadSnapshot().catch(() => snapshot!);
    }
    return snapshot;
  }

  const ready = loadSnapshot().then(
    () => {},
    () => {}, // the table may not exist yet (before migrations); the first read tries again
  );

  /** Seals credentials a provider renewed (Microsoft's rotated refresh token) in place of the old ones. */
  async function saveCredentials(connectionId: string, credentials: unknown): Promise<void> {
    const sealed = secretBox.seal(JSON.stringify(credentials));
    await db
      .update(calendarConnections)
      .set({ credentialsEncrypted: sealed, updatedAt: new Date(now()) })
      .where(and(eq(calendarConnections.id, connectionId), eq(calendarConnections.status, 'active')));
    const cachedRow = snapshot?.rows.get(connectionId);
    if (cachedRow) cachedRow.credentialsEncrypted = sealed;
  }

  // -------------------------------------------------------------------------------------------
  // Broken connections.
  async function markBroken(connectionId: string, error: string): Promise<boolean> {
    const [updated] = await db
      .update(calendarConnections)
      .set({ status: 'broken', lastError: error.slice(0, 1000), updatedAt: new Date(now()) })
      .where(and(eq(calendarConnections.id, connectionId), eq(calendarConnections.status, 'active')))
      .returning();
    const cachedRow = snapshot?.rows.get(connectionId);
    if (cachedRow) Object.assign(cachedRow, { status: 'broken', lastError: error });
    if (!updated) return false;
    forget(updated.memberId);
    await options.onBroken?.({ connectionId, memberId: updated.memberId, provider: updated.provider, label: updated.label, error });
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // Busy time.
  const cache = new Map<string, CacheEntry>();
  const inflight = new Map<string, Promise<CacheEntry>>();
  const problems = new Map<string, HostCalendarProblem>();

  function forget(hostId: string): void {
    cache.delete(hostId);
  }

  /** The range actually read: whole UTC days around the asked one, so the next request (a moment later) is a cache hit. */
  function widen(from: Date, to: Date): { from: number; to: number } {
    return { from: Math.floor(from.getTime() / DAY) * DAY, to: Math.ceil(to.getTime() / DAY) * DAY + DAY };
  }

  async function readHost(hostId: string, list: ProviderConnection<never>[], range: { from: number; to: number }, rows: Map<string, ConnectionRow>): Promise<CacheEntry> {
    const expiresAt = now() + cacheTtlMs;
    const broken = list.find((connection) => rows.get(connection.id)?.status === 'broken' || connection.credentials === undefined);
    if (broken) {
      const row = rows.get(broken.id);
      const problem: HostCalendarProblem = { reason: 'broken', connectionId: broken.id, message: row?.lastError ?? 'The calendar connection needs to be reconnected', at: new Date(now()) };
      return { ...range, intervals: [], problem, expiresAt };
    }
    const intervals: BusyInterval[] = [];
    for (const connection of list) {
      if (connection.busyCalendarIds.length === 0) continue;
      try {
        intervals.push(...(await withDeadline((signal) => providers[connection.provider].busy(connection, new Date(range.from), new Date(range.to), signal))));
      } catch (raw) {
        const error = raw instanceof CalendarError ? raw : new CalendarError('permanent', (raw as Error)?.message ?? String(raw));
        if (error.kind === 'revoked') {
          // Not awaited: this may run inside the booking transaction (see connections()).
          void markBroken(connection.id, error.message).catch(() => {});
        }
        const reason: LeftOutReason = error.kind === 'revoked' ? 'broken' : error.kind === 'transient' ? 'unreachable' : 'error';
        return { ...range, intervals: [], problem: { reason, connectionId: connection.id, message: error.message, at: new Date(now()) }, expiresAt };
      }
    }
    return { ...range, intervals: mergeIntervals(intervals), expiresAt };
  }

  const busyTimeSource: BusyTimeSource = {
    async busy(hostIds, from, to, busyOptions = {}) {
      const fresh = busyOptions.fresh === true;
      const { byMember, rows } = await connections(fresh);
      const result: Record<string, BusyInterval[]> = {};
      await Promise.all(
        hostIds.map(async (hostId) => {
          const list = (byMember.get(hostId) ?? []).filter((connection) => connection.provider !== 'builtin');
          if (list.length === 0) {
            problems.delete(hostId);
            return; // no external calendar: their Beckon bookings are their busy time
          }
          let entry = cache.get(hostId);
          const covers = entry && entry.expiresAt > now() && entry.from <= from.getTime() && entry.to >= to.getTime();
          if (fresh || !covers) {
            const range = widen(from, to);
            const key = `${hostId}|${range.from}|${range.to}`;
            let pending = fresh ? undefined : inflight.get(key);
            if (!pending) {
              pending = readHost(hostId, list, range, rows).finally(() => inflight.delete(key));
              if (!fresh) inflight.set(key, pending);
            }
            entry = await pending;
            cache.set(hostId, entry);
          }
          if (entry!.problem) {
            problems.set(hostId, entry!.problem);
            result[hostId] = [{ start: from, end: to }]; // fail closed: not offered
          } else {
            problems.delete(hostId);
            result[hostId] = entry!.intervals.filter((interval) => interval.start < to && interval.end > from);
          }
        }),
      );
      return result;
    },
  };

  function hostsLeftOut(hostIds: string[]): Record<string, HostCalendarProblem> {
    const out: Record<string, HostCalendarProblem> = {};
    for (const hostId of hostIds) {
      const problem = problems.get(hostId);
      if (problem) out[hostId] = problem;
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Writing the interview.

  /** The host's calendar to write to: read from the table now (jobs run outside any transaction). */
  async function writeConnectionOf(hostId: string): Promise<{ row: ConnectionRow; connection: ProviderConnection<never> } | undefined> {
    const rows = await db
      .select({ connection: calendarConnections, email: members.email, name: members.name, timeZone: members.timeZone })
      .from(calendarConnections)
      .innerJoin(members, eq(calendarConnections.memberId, members.id))
      .where(eq(calendarConnections.memberId, hostId));
    const candidates = rows
      .filter((row) => row.connection.writeCalendarId && row.connection.provider !== 'builtin')
      .sort((a, b) => (a.connection.status === b.connection.status ? a.connection.createdAt.getTime() - b.connection.createdAt.getTime() : a.connection.status === 'active' ? -1 : 1));
    const chosen = candidates[0];
    if (!chosen) return undefined;
    return { row: chosen.connection, connection: toProviderConnection(chosen.connection, { email: chosen.email, name: chosen.name, timeZone: chosen.timeZone }) };
  }

  /** Removes the event from a calendar the host no longer writes interviews to; a connection removed since is out of reach. */
  async function removeFromPreviousCalendar(booking: BookingRow, previous: WriteCalendar): Promise<void> {
    const [row] = await db
      .select({ connection: calendarConnections, email: members.email, name: members.name, timeZone: members.timeZone })
      .from(calendarConnections)
      .innerJoin(members, eq(calendarConnections.memberId, members.id))
      .where(eq(calendarConnections.id, previous.connectionId));
    if (!row || row.connection.provider === 'builtin') return;
    const connection = toProviderConnection({ ...row.connection, writeCalendarId: previous.calendarId }, { email: row.email, name: row.name, timeZone: row.timeZone });
    if (row.connection.status === 'broken' || connection.credentials === undefined) return; // out of reach until reconnected, which replaces it
    // The interview still happens: the participant must not be told it was cancelled.
    await providerCall(row.connection, (signal) =>
      providers[row.connection.provider].deleteEvent(connection, { bookingId: booking.id, icalUid: booking.icalUid, notifyAttendees: false }, signal),
    );
  }

  async function providerCall<T>(row: ConnectionRow, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await withDeadline(call);
    } catch (raw) {
      const error = raw instanceof CalendarError ? raw : new CalendarError('permanent', (raw as Error)?.message ?? String(raw));
      if (error.kind === 'revoked') await markBroken(row.id, error.message);
      throw error;
    }
  }

  function assertUsable(row: ConnectionRow, connection: ProviderConnection<never>): void {
    if (row.status === 'broken' || connection.credentials === undefined) {
      // Retried by the worker: a PM who reconnects in time gets the event written.
      throw new CalendarError('revoked', `The calendar connection "${row.label}" is broken (${row.lastError ?? 'reconnect it'}); the interview is confirmed but not on the calendar yet`);
    }
  }

  async function interviewEvent(booking: BookingRow, provider: ProviderName): Promise<InterviewEvent> {
    const ctx = await bookingMailContext({ db, secretBox, publicUrl: options.publicUrl ?? '' }, booking);
    const [study] = await db.select({ meetingLocation: studies.meetingLocation }).from(studies).where(eq(studies.id, booking.studyId));
    // The participant is invited to this event and reads it: the public title, not the study's
    // internal name nor the segment they were picked from (the team's mail and page have those).
    const lines = [ctx.study.title];
    if (ctx.study.about) lines.push(ctx.study.about);
    lines.push('', `Participant: ${participantLine(ctx.participant)}`);
    for (const answer of ctx.qualification.answers) lines.push(`${answer.question}: ${answer.answer}`);
    // A Meet (or Teams) study whose event is about to make its link does not show the host's fallback meanwhile.
    const makesLink = (provider === 'google' && study?.meetingLocation.kind === 'google_meet') || (provider === 'microsoft' && study?.meetingLocation.kind === 'microsoft_teams');
    const createMeet = makesLink && !booking.meetingUrl;
    const joinUrl = createMeet ? null : ctx.booking.meetingUrl;
    if (joinUrl) lines.push('', `Join: ${joinUrl}`);
    if (ctx.booking.location && !createMeet) lines.push('', `Where: ${ctx.booking.location}`);
    if (options.publicUrl) lines.push('', `Reschedule or cancel: ${ctx.booking.manageUrl}`);
    lines.push('', 'Booked with Beckon.');
    return {
      bookingId: booking.id,
      hostId: booking.hostId,
      icalUid: booking.icalUid,
      sequence: booking.icalSequence,
      start: booking.startsAt,
      end: booking.endsAt,
      summary: calendarEventSummary(ctx),
      description: lines.join('\n'),
      location: joinUrl ?? (createMeet ? null : ctx.booking.location) ?? null,
      organizer: { name: ctx.host.name, email: ctx.host.email },
      attendees: isErased(ctx.participant) ? [] : [{ name: ctx.participant.name, email: ctx.participant.email }],
      createMeet,
    };
  }

  async function removeEvent(booking: BookingRow, hostIds: (string | undefined)[], options: { interviewGoesOn?: boolean } = {}): Promise<void> {
    // A participant erased on request is not told by the calendar either; nor is one whose
    // interview goes on with another interviewer (it is not cancelled for them).
    const [participant] = await db.select({ email: participants.email }).from(participants).where(eq(participants.id, booking.participantId));
    const notifyAttendees = Boolean(participant?.email) && !options.interviewGoesOn;
    for (const hostId of new Set(hostIds.filter((id): id is string => Boolean(id)))) {
      const target = await writeConnectionOf(hostId);
      if (!target) continue;
      assertUsable(target.row, target.connection);
      await providerCall(target.row, (signal) => providers[target.row.provider].deleteEvent(target.connection, { bookingId: booking.id, icalUid: booking.icalUid, notifyAttendees }, signal));
      forget(hostId);
    }
  }

  function followUpsOf(job: ClaimedJob, payload: CalendarWritePayload): NewJob[] {
    // Keyed, so a handler that runs twice (crash after enqueueing) adds them once.
    return (payload.followUps ?? []).map((followUp, index) => ({ ...followUp, dedupeKey: followUp.dedupeKey ?? `${followUp.kind}:${payload.bookingId}:after-calendar-job-${job.id}:${index}` }));
  }

  const upsert: JobHandler<'calendar.upsert'> = async (job) => {
    const { payload } = job;
    const [booking] = await db.select().from(bookings).where(eq(bookings.id, payload.bookingId));
    if (!booking) return;
    const followUps = followUpsOf(job, payload);
    try {
      if (booking.status === 'cancelled') {
        await removeEvent(booking, [booking.hostId, payload.previousHostId]);
        return;
      }
      if (booking.status === 'confirmed') {
        // Moved to another interviewer: the first one's event goes (their calendar frees the
        // time), without the participant being told their interview was cancelled.
        const handedOver = payload.previousHostId && payload.previousHostId !== booking.hostId ? payload.previousHostId : undefined;
        if (handedOver) await removeEvent(booking, [handedOver], { interviewGoesOn: true });
        const target = await writeConnectionOf(booking.hostId);
        const previous = payload.previousCalendar;
        const moved = previous && (previous.connectionId !== target?.row.id || previous.calendarId !== target.row.writeCalendarId) ? previous : undefined;
        if (target) {
          assertUsable(target.row, target.connection);
          const event = await interviewEvent(booking, target.row.provider);
          const written = await providerCall(target.row, (signal) => providers[target.row.provider].upsertEvent(target.connection, event, signal));
          await db.transaction(async (tx) => {
            if (written.meetingUrl && written.meetingUrl !== booking.meetingUrl) {
              await tx.update(bookings).set({ meetingUrl: written.meetingUrl, updatedAt: new Date(now()) }).where(eq(bookings.id, booking.id));
            }
            await enqueue(tx, ...followUps);
          });
          forget(booking.hostId);
          // Written where it belongs first: an old calendar that cannot be reached must not keep it off the new one.
          if (moved) await removeFromPreviousCalendar(booking, moved);
          return;
        }
        if (moved) await removeFromPreviousCalendar(booking, moved);
      }
      await enqueue(db, ...followUps);
    } catch (error) {
      // The booking stays confirmed and its mails must not wait for a calendar that is down.
      if (job.attempts >= Math.min(payload.releaseFollowUpsAfter ?? 3, job.maxAttempts)) await enqueue(db, ...followUps).catch(() => {});
      throw error;
    }
  };

  const remove: JobHandler<'calendar.delete'> = async (job) => {
    const { payload } = job;
    const [booking] = await db.select().from(bookings).where(eq(bookings.id, payload.bookingId));
    if (!booking || booking.status === 'confirmed') return; // nothing to remove, or it is wanted again
    await removeEvent(booking, [booking.hostId, payload.previousHostId]);
  };

  return {
    busyTimeSource,
    jobHandlers: { 'calendar.upsert': upsert, 'calendar.delete': remove },
    forget,
    hostsLeftOut,
    lastProblems: problems,
    async connectionsChanged(memberId) {
      if (memberId) forget(memberId);
      else cache.clear();
      await loadSnapshot();
    },
    markBroken,
    providers,
    microsoft,
    withDeadline,
    options: { ...options, fetchTimeoutMs, cacheTtlMs },
    ready,
  };
}
