// A Zoom meeting per interview, for studies whose meeting location is `zoom`: made in the host's
// connected Zoom account, moved with the booking, deleted when it is cancelled, and made again in
// the new host's account when another interviewer takes it over. Like calendar writes, every call
// is a job (`zoom.sync`) retried with backoff; a booking never waits on Zoom. The job reconciles:
// it reads the booking as it is now and makes Zoom match, so any number of runs in any order end
// in the same place.
//
// One meeting, however often the job runs: the booking records whose account a meeting is being
// made in (`zoom_host_id`) before asking Zoom, and the meeting's id once Zoom answers. A request
// whose answer was lost (a crash, a timeout) leaves the first without the second; the next run
// then looks through that account's upcoming meetings for the one whose agenda names the booking
// and adopts it rather than making another. `zoom_creating_until` keeps two workers from asking
// at the same time.
//
// A revoked grant marks the connection broken (the member is emailed to connect again, as for a
// calendar) and releases the mails at once: the participant gets the host's fallback, or is told
// a link will follow. Connecting again syncs the host's upcoming interviews, and a link made late
// reaches the participant before their first reminder and the host's calendar event at once.
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { participantTitle } from '@beckon/shared/participant';
import type { ZoomConnection } from '@beckon/shared/api';
import type { Database } from '../db/client.js';
import { bookings, studies, workspaces, zoomConnections } from '../db/schema.js';
import { unprocessable } from '../errors.js';
import type { ClaimedJob, JobHandlers, NewJob, ZoomSyncPayload } from '../jobs/kinds.js';
import { enqueue } from '../jobs/queue.js';
import type { SecretBox } from '../security/secrets.js';
import { readOAuthState, signOAuthState, STATE_TTL_MS } from './oauth-state.js';
import { CalendarError } from './provider.js';
import {
  createZoomMeeting,
  deleteZoomMeeting,
  exchangeZoomCode,
  findZoomMeeting,
  refreshZoomTokens,
  updateZoomMeeting,
  zoomAccountEmail,
  zoomConsentUrl,
  type ZoomApp,
  type ZoomMeetingFields,
  type ZoomTokens,
} from './zoom.js';

type ZoomConnectionRow = typeof zoomConnections.$inferSelect;
type BookingRow = typeof bookings.$inferSelect;

export interface ZoomServiceOptions {
  db: Database;
  secretBox: SecretBox;
  /** The deployment's Zoom app; without it nobody can connect Zoom (and `zoom` studies use the hosts' fallbacks). */
  app?: ZoomApp;
  /** Deadline for every call to Zoom, in milliseconds. */
  fetchTimeoutMs?: number;
  /** Told once when a connection turns broken (revoked access): email the member to connect again. */
  onBroken?: (broken: { connectionId: string; memberId: string }) => Promise<void> | void;
  now?: () => Date;
}

export interface ZoomService {
  readonly configured: boolean;
  /** Zoom's consent page for a member, with a signed state naming them; a 422 when no Zoom app is configured. */
  connectUrl(member: { id: string; workspaceId: string }, ttlMs?: number): string;
  /** The member a callback's state names, if its signature is ours and it has not expired. */
  readState(state: string, now: number): { workspaceId: string; memberId: string } | undefined;
  /** Trades the callback's code for tokens, stores them sealed and syncs the member's upcoming Zoom interviews. */
  connectWithCode(memberId: string, code: string): Promise<ZoomConnectionRow>;
  connectionOf(memberId: string): Promise<ZoomConnectionRow | undefined>;
  /** Forgets the member's Zoom account; meetings already made stay in it. */
  disconnect(memberId: string): Promise<boolean>;
  jobHandlers: Pick<JobHandlers, 'zoom.sync'>;
}


export function publicZoomConnection(row: ZoomConnectionRow): ZoomConnection {
  return { id: row.id, label: row.label, status: row.status, lastError: row.lastError, createdAt: row.createdAt.toISOString() };
}

/** The agenda names the booking: how a meeting whose answer was lost is found again. */
const agendaOf = (bookingId: string) => `Interview booked with Beckon (booking ${bookingId})`;

/** Not an error: the host has no usable Zoom account, so the participant gets their fallback or "link to follow". */
class NoZoomAccount extends Error {}

export function createZoomService(options: ZoomServiceOptions): ZoomService {
  const { db, secretBox } = options;
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 8_000;
  // Token refresh, the request, and a refresh and retry after a 401, each under the deadline.
  const creatingLeaseMs = 4 * fetchTimeoutMs + 10_000;
  const now = () => options.now?.() ?? new Date();
  const deadline = () => AbortSignal.timeout(fetchTimeoutMs);

  function appOrThrow(): ZoomApp {
    if (!options.app) throw unprocessable('zoom_not_configured', 'Set ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET (a user-level OAuth app on the Zoom Marketplace) to connect Zoom accounts');
    return options.app;
  }

  // -------------------------------------------------------------------------------------------
  // The consent flow's state, signed for Zoom (oauth-state.ts).
  function connectUrl(member: { id: string; workspaceId: string }, ttlMs = STATE_TTL_MS): string {
    const app = appOrThrow();
    return zoomConsentUrl(app, signOAuthState(secretBox, 'zoom-oauth-state', member, ttlMs));
  }

  const readState = (state: string, at: number) => readOAuthState(secretBox, 'zoom-oauth-state', state, at);

  // -------------------------------------------------------------------------------------------
  // Connections and tokens.
  async function connectionOf(memberId: string): Promise<ZoomConnectionRow | undefined> {
    const [row] = await db.select().from(zoomConnections).where(eq(zoomConnections.memberId, memberId));
    return row;
  }

  const tokensOf = (row: ZoomConnectionRow): ZoomTokens => JSON.parse(secretBox.open(row.credentialsEncrypted)) as ZoomTokens;

  async function markBroken(row: ZoomConnectionRow, error: string): Promise<void> {
    const [updated] = await db
      .update(zoomConnections)
      .set({ status: 'broken', lastError: error.slice(0, 1000), updatedAt: now() })
      .where(and(eq(zoomConnections.id, row.id), eq(zoomConnections.status, 'active')))
      .returning({ id: zoomConnections.id });
    if (updated) await options.onBroken?.({ connectionId: row.id, memberId: row.memberId });
  }

  // One refresh per connection at a time in this process: Zoom rotates the refresh token, so a
  // second refresh with the same one would be refused.
  const refreshing = new Map<string, Promise<string>>();

  async function refreshedToken(row: ZoomConnectionRow, rejected: string | undefined): Promise<string> {
    const app = appOrThrow();
    const [current] = await db.select().from(zoomConnections).where(eq(zoomConnections.id, row.id));
    if (!current) throw new NoZoomAccount();
    const tokens = tokensOf(current);
    // Another job (here or in another process) refreshed meanwhile.
    if (tokens.accessToken !== rejected && tokens.expiresAt - 60_000 > now().getTime()) return tokens.accessToken;
    try {
      const fresh = await refreshZoomTokens(app, tokens.refreshToken, deadline());
      await db.update(zoomConnections).set({ credentialsEncrypted: secretBox.seal(JSON.stringify(fresh)), updatedAt: now() }).where(eq(zoomConnections.id, row.id));
      return fresh.accessToken;
    } catch (error) {
      if (!(error instanceof CalendarError) || error.kind !== 'revoked') throw error;
      // Refused because another process rotated the refresh token first: use what it stored.
      const [after] = await db.select().from(zoomConnections).where(eq(zoomConnections.id, row.id));
      if (after && after.credentialsEncrypted !== current.credentialsEncrypted) return tokensOf(after).accessToken;
      throw error;
    }
  }

  async function accessToken(row: ZoomConnectionRow, rejected?: string): Promise<string> {
    const tokens = tokensOf(row);
    if (rejected === undefined && tokens.expiresAt - 60_000 > now().getTime()) return tokens.accessToken;
    let pending = refreshing.get(row.id);
    if (!pending) {
      pending = refreshedToken(row, rejected ?? tokens.accessToken).finally(() => refreshing.delete(row.id));
      refreshing.set(row.id, pending);
    }
    return pending;
  }

  /** Runs a call with the account's access token: refreshed when it expires, and once more when Zoom answers 401. */
  async function withAccount<T>(row: ZoomConnectionRow, call: (token: string, signal: AbortSignal) => Promise<T>): Promise<T> {
    // Without the app (its settings removed since) nothing can be asked of Zoom: the fallback, at once.
    if (row.status === 'broken' || !options.app) throw new NoZoomAccount();
    try {
      tokensOf(row);
    } catch {
      await markBroken(row, 'The stored Zoom tokens were sealed under another ENCRYPTION_KEY; connect Zoom again');
      throw new NoZoomAccount();
    }
    try {
      const token = await accessToken(row);
      try {
        return await call(token, deadline());
      } catch (error) {
        if (!(error instanceof CalendarError) || error.status !== 401) throw error;
        return await call(await accessToken(row, token), deadline());
      }
    } catch (error) {
      if (error instanceof CalendarError && error.kind === 'revoked') {
        await markBroken(row, error.message);
        throw new NoZoomAccount();
      }
      throw error;
    }
  }

  async function connectWithCode(memberId: string, code: string): Promise<ZoomConnectionRow> {
    const app = appOrThrow();
    const tokens = await exchangeZoomCode(app, code, deadline());
    const email = await zoomAccountEmail(app, tokens.accessToken, deadline());
    const at = now();
    return db.transaction(async (tx) => {
      const credentialsEncrypted = secretBox.seal(JSON.stringify(tokens));
      const [row] = await tx
        .insert(zoomConnections)
        .values({ memberId, label: email, credentialsEncrypted })
        .onConflictDoUpdate({ target: zoomConnections.memberId, set: { label: email, credentialsEncrypted, status: 'active', lastError: null, updatedAt: at } })
        .returning();
      // Their upcoming Zoom interviews: meetings that could not be made (or moved, or deleted) while
      // the account was missing or broken are made now, and whoever was told "link to follow" gets it.
      const upcoming = await tx
        .select({ id: bookings.id })
        .from(bookings)
        .innerJoin(studies, eq(studies.id, bookings.studyId))
        .where(
          and(
            gt(bookings.endsAt, at),
            or(and(eq(bookings.hostId, memberId), eq(bookings.status, 'confirmed'), sql`${studies.meetingLocation}->>'kind' = 'zoom'`), eq(bookings.zoomHostId, memberId)),
          ),
        );
      await enqueue(tx, ...upcoming.map((booking): NewJob => ({ kind: 'zoom.sync', payload: { bookingId: booking.id } })));
      return row!;
    });
  }

  async function disconnect(memberId: string): Promise<boolean> {
    const deleted = await db.delete(zoomConnections).where(eq(zoomConnections.memberId, memberId)).returning({ id: zoomConnections.id });
    return deleted.length > 0;
  }

  // -------------------------------------------------------------------------------------------
  // The booking's meeting.
  interface SyncTarget {
    booking: BookingRow;
    fields: ZoomMeetingFields;
    wantsZoom: boolean;
  }

  async function target(bookingId: string): Promise<SyncTarget | undefined> {
    const [row] = await db
      .select({ booking: bookings, study: studies, workspaceName: workspaces.name, brandName: workspaces.brandName })
      .from(bookings)
      .innerJoin(studies, eq(studies.id, bookings.studyId))
      .innerJoin(workspaces, eq(workspaces.id, bookings.workspaceId))
      .where(eq(bookings.id, bookingId));
    if (!row) return undefined;
    const { booking, study } = row;
    return {
      booking,
      // Participants join it and see its topic: the public title, never the study's internal name.
      fields: {
        topic: participantTitle(study, row.brandName ?? row.workspaceName),
        start: booking.startsAt,
        durationMinutes: Math.round((booking.endsAt.getTime() - booking.startsAt.getTime()) / 60_000),
        agenda: agendaOf(booking.id),
      },
      wantsZoom: study.meetingLocation.kind === 'zoom',
    };
  }

  const accountOf = async (memberId: string | null) => (memberId ? connectionOf(memberId) : undefined);

  /** A request to make the meeting whose answer was lost: adopt the meeting if Zoom made it, else forget the attempt. */
  async function recoverLostRequest(booking: BookingRow): Promise<BookingRow> {
    const account = await accountOf(booking.zoomHostId);
    let found;
    try {
      found = account ? await withAccount(account, (token, signal) => findZoomMeeting(appOrThrow(), token, (meeting) => meeting.agenda?.includes(booking.id) ?? false, signal)) : undefined;
    } catch (error) {
      // An account out of reach: whatever it may hold is not given to anyone.
      if (!(error instanceof NoZoomAccount)) throw error;
    }
    const unchanged = and(eq(bookings.id, booking.id), isNull(bookings.zoomMeetingId), eq(bookings.zoomHostId, booking.zoomHostId!));
    const [updated] = await db
      .update(bookings)
      .set(
        found
          ? { zoomMeetingId: found.id, zoomCreatingUntil: null, ...(booking.zoomHostId === booking.hostId ? { meetingUrl: found.joinUrl } : {}), updatedAt: now() }
          : { zoomHostId: null, zoomCreatingUntil: null },
      )
      .where(unchanged)
      .returning();
    if (!updated) throw new CalendarError('transient', 'The booking changed while its Zoom meeting was looked for');
    return updated;
  }

  /** Deletes the meeting from the account that holds it and forgets it (and its link). */
  async function dropMeeting(booking: BookingRow): Promise<void> {
    const account = await accountOf(booking.zoomHostId);
    try {
      if (account) await withAccount(account, (token, signal) => deleteZoomMeeting(appOrThrow(), token, booking.zoomMeetingId!, signal));
    } catch (error) {
      // Disconnected or revoked: the meeting stays in that account, and its link is no longer given out.
      if (!(error instanceof NoZoomAccount)) throw error;
    }
    await db
      .update(bookings)
      .set({ zoomMeetingId: null, zoomHostId: null, zoomCreatingUntil: null, meetingUrl: null, updatedAt: now() })
      .where(and(eq(bookings.id, booking.id), eq(bookings.zoomMeetingId, booking.zoomMeetingId!)));
  }

  async function makeMeeting(booking: BookingRow, fields: ZoomMeetingFields): Promise<'made'> {
    const account = await connectionOf(booking.hostId);
    if (!account || account.status === 'broken' || !options.app) throw new NoZoomAccount();
    const at = now();
    const claimed = await db
      .update(bookings)
      .set({ zoomHostId: booking.hostId, zoomCreatingUntil: new Date(at.getTime() + creatingLeaseMs) })
      .where(
        and(
          eq(bookings.id, booking.id),
          eq(bookings.hostId, booking.hostId),
          eq(bookings.status, 'confirmed'),
          isNull(bookings.zoomMeetingId),
          isNull(bookings.zoomHostId),
          or(isNull(bookings.zoomCreatingUntil), lt(bookings.zoomCreatingUntil, at)),
        ),
      )
      .returning({ id: bookings.id });
    if (claimed.length === 0) throw new CalendarError('transient', 'The booking changed, or another attempt is making its Zoom meeting right now');
    const ours = and(eq(bookings.id, booking.id), eq(bookings.zoomHostId, booking.hostId), isNull(bookings.zoomMeetingId));
    let made;
    try {
      made = await withAccount(account, (token, signal) => createZoomMeeting(appOrThrow(), token, fields, signal));
    } catch (error) {
      // Zoom answered and refused (or we never got to ask): nothing was made. Otherwise (5xx, a
      // timeout) it may have been, and the next run looks for it before making one.
      const nothingMade = error instanceof NoZoomAccount || (error instanceof CalendarError && error.status !== undefined && error.status < 500);
      await db.update(bookings).set({ zoomCreatingUntil: null, ...(nothingMade ? { zoomHostId: null } : {}) }).where(ours);
      throw error;
    }
    await db.update(bookings).set({ zoomMeetingId: made.id, meetingUrl: made.joinUrl, zoomCreatingUntil: null, updatedAt: now() }).where(ours);
    return 'made';
  }

  /** Makes Zoom match the booking; 'made' when a new join link now stands on it. */
  async function reconcile({ booking: read, fields, wantsZoom }: SyncTarget): Promise<'made' | 'kept' | 'none'> {
    let booking = read;
    // A booking keeps the kind of link it was given: one from a video-link study keeps it.
    const wanted = booking.status === 'confirmed' && (booking.zoomMeetingId !== null || booking.zoomHostId !== null || (wantsZoom && !booking.meetingUrl));
    if (!booking.zoomMeetingId && booking.zoomHostId) {
      if (booking.zoomCreatingUntil && booking.zoomCreatingUntil > now()) throw new CalendarError('transient', 'Another attempt is making this Zoom meeting right now');
      booking = await recoverLostRequest(booking);
    }
    // In another interviewer's account (the interview moved to someone else), or no longer wanted.
    if (booking.zoomMeetingId && (!wanted || booking.zoomHostId !== booking.hostId)) {
      await dropMeeting(booking);
      booking = { ...booking, zoomMeetingId: null, zoomHostId: null, meetingUrl: null };
    }
    if (!wanted) return 'none';
    if (booking.zoomMeetingId) {
      const account = await connectionOf(booking.hostId);
      if (!account) return 'kept'; // disconnected since: the meeting and its link stay as they are
      const moved = await withAccount(account, (token, signal) => updateZoomMeeting(appOrThrow(), token, booking.zoomMeetingId!, fields, signal));
      if (moved === 'updated') return 'kept';
      // Deleted in Zoom (or not this account's): forget it and make another.
      await db
        .update(bookings)
        .set({ zoomMeetingId: null, zoomHostId: null, meetingUrl: null, updatedAt: now() })
        .where(and(eq(bookings.id, booking.id), eq(bookings.zoomMeetingId, booking.zoomMeetingId)));
      booking = { ...booking, zoomMeetingId: null, zoomHostId: null, meetingUrl: null };
    }
    return makeMeeting(booking, fields);
  }

  /** The link came after the participant was mailed: the host's event gets it now, the participant before their first reminder. */
  function lateLinkNotices(booking: BookingRow): NewJob[] {
    const startsAt = booking.startsAt.toISOString();
    return [
      { kind: 'calendar.upsert', payload: { bookingId: booking.id, sequence: booking.icalSequence } },
      // The key of the "link to follow" mail (services/notifications.ts): one per interview time.
      { kind: 'mail.join_details', payload: { bookingId: booking.id, startsAt }, dedupeKey: `mail.join_details:${booking.id}:${startsAt}` },
    ];
  }

  function followUpsOf(job: ClaimedJob<'zoom.sync'>, payload: ZoomSyncPayload): NewJob[] {
    // Keyed, so a handler that runs twice (crash after enqueueing) adds them once.
    return (payload.followUps ?? []).map((followUp, index) => ({ ...followUp, dedupeKey: followUp.dedupeKey ?? `${followUp.kind}:${payload.bookingId}:after-zoom-job-${job.id}:${index}` }));
  }

  const sync: JobHandlers['zoom.sync'] = async (job) => {
    const { payload } = job;
    const followUps = followUpsOf(job, payload);
    const releaseAfter = Math.min(payload.releaseFollowUpsAfter ?? 3, job.maxAttempts);
    const found = await target(payload.bookingId);
    if (!found) return;
    let outcome;
    try {
      outcome = await reconcile(found);
    } catch (error) {
      // No Zoom account to make it in (none, removed, revoked): the mails go now, with the
      // host's fallback or "link to follow"; connecting Zoom again syncs this booking.
      if (error instanceof NoZoomAccount) return void (await enqueue(db, ...followUps));
      // Zoom is down: the booking stays confirmed and its mails do not wait for ever.
      if (job.attempts >= releaseAfter) await enqueue(db, ...followUps).catch(() => {});
      throw error;
    }
    await enqueue(db, ...followUps);
    const mailedBefore = followUps.length === 0 || job.attempts > releaseAfter;
    if (outcome === 'made' && mailedBefore) {
      const [booking] = await db.select().from(bookings).where(eq(bookings.id, payload.bookingId));
      if (booking?.status === 'confirmed') await enqueue(db, ...lateLinkNotices(booking));
    }
  };

  return {
    configured: options.app !== undefined,
    connectUrl,
    readState,
    connectWithCode,
    connectionOf,
    disconnect,
    jobHandlers: { 'zoom.sync': sync },
  };
}
