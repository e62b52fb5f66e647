// Microsoft 365 and Outlook calendars through Microsoft Graph, with the interviewer's own
// sign-in (OAuth 2.0 authorization code on the Microsoft identity platform v2 endpoints; the
// refresh token sealed at rest and replaced whenever Microsoft rotates it).
//
// Plain fetch to the documented endpoints rather than @azure/msal-node: MSAL keeps refresh
// tokens inside its own token cache and offers no supported way to hand one back per connection
// (acquireTokenByRefreshToken is for migrations), so Beckon would have to seal MSAL's whole
// serialized cache per interviewer; and it fetches authority metadata before the first token
// call. What Beckon needs is two form posts (code → tokens, refresh → tokens) and five Graph
// calls, each with a deadline and a clear error kind.
//
// Busy time is calendarView per chosen calendar, which expands recurring events with their
// exceptions on the server. The interview is an event found again by a single-value extended
// property holding the booking id (so a retry or a reschedule patches the event it made), and
// created with a transactionId made from the booking, the interviewer and the calendar, so a
// create whose answer was lost is not made twice either. Teams meetings come from
// isOnlineMeeting with the teamsForBusiness provider; the join URL is read back from the event.
import { createHash } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { CalendarError, kindOfStatus, type BusyInterval, type CalendarProvider, type EventToDelete, type InterviewEvent, type ProviderConnection, type UpsertResult } from './provider.js';

export interface MicrosoftCredentials {
  kind: 'oauth';
  refreshToken: string;
  /** The account's address (from the ID token), to label the connection. */
  email?: string;
}

/** The deployment's own app registration (Microsoft Entra admin center → App registrations, platform Web). */
export interface MicrosoftOAuthClient {
  clientId: string;
  clientSecret: string;
  /** Must be a redirect URI of the app registration: {PUBLIC_URL}/v1/calendars/microsoft/callback. */
  redirectUri: string;
}

export interface MicrosoftEndpoints {
  /** The identity platform's host; Microsoft's global cloud by default (tests: the emulation). */
  authorityUrl?: string;
  /** `common` (work, school and personal accounts), `organizations`, or one tenant's id or domain. */
  tenant?: string;
  /** Microsoft Graph's root with its version; v1.0 on the global cloud by default (tests: the emulation). */
  graphUrl?: string;
}

export interface MicrosoftProviderOptions extends MicrosoftEndpoints {
  /** Per-call deadline in milliseconds. */
  timeoutMs: number;
  oauth?: MicrosoftOAuthClient;
  /**
   * Whether the participant is an attendee of the event (Outlook then sends them its own invite,
   * updates and cancellation). Exchange has no "do not notify" switch, so off means the event
   * names the participant only in its description, and removing it never emails them.
   */
  inviteAttendees?: boolean;
  /** Told when Microsoft hands out a new refresh token, to seal it in place of the old one. */
  onCredentials?: (connectionId: string, credentials: MicrosoftCredentials) => void;
  /** Retries of a busy-time read after 429/5xx within the deadline; writes are retried by the job worker. */
  readRetries?: number;
  /** First retry delay; doubles each time. */
  retryBaseMs?: number;
}

const MICROSOFT_AUTHORITY_URL = 'https://login.microsoftonline.com';
const MICROSOFT_GRAPH_URL = 'https://graph.microsoft.com/v1.0';

/**
 * Only what Beckon uses: its events and everyone's busy time in the calendars (Calendars.ReadWrite,
 * on Microsoft Graph since it is not qualified), a refresh token, and the account's address.
 */
export const MICROSOFT_SCOPES = ['openid', 'email', 'profile', 'offline_access', 'Calendars.ReadWrite'];

// Beckon's own property set for the extended properties it puts on its events (a fixed GUID).
const PROPERTY_SET = '{7d5c1a3e-2b1f-4c6a-9e1d-4b6f0b8a2c51}';
/** The booking an event belongs to: how a retry or a reschedule finds the event it made. */
export const BOOKING_PROPERTY = `String ${PROPERTY_SET} Name BeckonBookingId`;
/** The interviewer it was written for: their own interviews are not their busy time (Beckon counts bookings itself). */
export const HOST_PROPERTY = `String ${PROPERTY_SET} Name BeckonHostId`;

/** The same transactionId for every attempt to create one booking's event for one interviewer on one calendar. */
export function microsoftTransactionId(bookingId: string, hostId: string, calendarId: string): string {
  const digest = createHash('sha256').update(`${bookingId}\n${hostId}\n${calendarId}`).digest('hex');
  return `beckon-${digest.slice(0, 40)}`;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

function endpointsOf(options: MicrosoftEndpoints) {
  const authority = `${trimSlash(options.authorityUrl ?? MICROSOFT_AUTHORITY_URL)}/${encodeURIComponent(options.tenant ?? 'common')}/oauth2/v2.0`;
  return { authorize: `${authority}/authorize`, token: `${authority}/token`, graph: trimSlash(options.graphUrl ?? MICROSOFT_GRAPH_URL) };
}

/** Microsoft's sign-in and consent page for the interviewer; `state` comes back to the callback unchanged. */
export function microsoftConsentUrl(oauth: MicrosoftOAuthClient, state: string, options: MicrosoftEndpoints & { loginHint?: string } = {}): string {
  const url = new URL(endpointsOf(options).authorize);
  url.search = new URLSearchParams({
    client_id: oauth.clientId,
    response_type: 'code',
    redirect_uri: oauth.redirectUri,
    response_mode: 'query',
    scope: MICROSOFT_SCOPES.join(' '),
    state,
    // The account picker even when one is signed in: the interviewer may have a work and a personal one.
    prompt: 'select_account',
    ...(options.loginHint ? { login_hint: options.loginHint } : {}),
  }).toString();
  return url.toString();
}

interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number | string;
  id_token?: string;
  error?: string;
  error_description?: string;
  error_codes?: number[];
}

function combinedSignal(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

function networkError(error: unknown, what: string): CalendarError {
  if (error instanceof CalendarError) return error;
  const e = (error ?? {}) as { name?: string; message?: string; cause?: { code?: string } };
  const timedOut = e.name === 'AbortError' || e.name === 'TimeoutError';
  return new CalendarError('transient', `${what}: ${timedOut ? 'timed out' : (e.cause?.code ?? e.message ?? 'network error')}`);
}

/** The first line of an identity-platform error description ("AADSTS70008: …"), without its trace and correlation ids. */
const aadsts = (description: string | undefined) => (description ?? '').split(/\r?\n/)[0]!.slice(0, 300);

async function postToken(tokenUrl: string, form: Record<string, string>, what: string, timeoutMs: number, signal?: AbortSignal): Promise<TokenAnswer> {
  let response: Response;
  let answer: TokenAnswer;
  try {
    response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal: combinedSignal(signal, timeoutMs),
    });
    answer = (await response.json().catch(() => ({}))) as TokenAnswer;
  } catch (error) {
    throw networkError(error, what);
  }
  if (response.ok && answer.access_token) return answer;
  const code = answer.error ?? `HTTP ${response.status}`;
  const detail = aadsts(answer.error_description);
  // The grant no longer works for this person (revoked, expired, password or policy changed,
  // consent withdrawn): only they can fix it by signing in again.
  if (['invalid_grant', 'interaction_required', 'consent_required', 'login_required'].includes(code)) {
    return Promise.reject(new CalendarError('revoked', `${what}: Microsoft refused the stored grant (${code}${detail ? `: ${detail}` : ''}); reconnect the calendar`, response.status));
  }
  // The deployment's own client (a wrong or expired MICROSOFT_CLIENT_SECRET) is not one interviewer's problem.
  if (code === 'invalid_client' || code === 'unauthorized_client') {
    return Promise.reject(new CalendarError('permanent', `${what}: Microsoft refused Beckon's app registration (${code}${detail ? `: ${detail}` : ''}); check MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET`, response.status));
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return Promise.reject(new CalendarError(kindOfStatus(response.status), `${what}: ${code}${detail ? `: ${detail}` : ''}`, response.status, Number.isFinite(retryAfter) ? retryAfter : undefined));
}

function emailOfIdToken(idToken: string | undefined): string | undefined {
  if (!idToken) return undefined;
  try {
    // Straight from Microsoft's token endpoint over TLS, so the claims need no signature check here.
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { email?: unknown; preferred_username?: unknown };
    const email = typeof claims.email === 'string' ? claims.email : typeof claims.preferred_username === 'string' ? claims.preferred_username : undefined;
    return email?.includes('@') ? email : undefined;
  } catch {
    return undefined;
  }
}

/** Trades the callback's code for tokens; returns the refresh token and the account's address. */
export async function exchangeMicrosoftCode(
  oauth: MicrosoftOAuthClient,
  code: string,
  options: MicrosoftEndpoints & { timeoutMs: number },
): Promise<{ refreshToken: string; email: string | undefined }> {
  const answer = await postToken(
    endpointsOf(options).token,
    { client_id: oauth.clientId, client_secret: oauth.clientSecret, grant_type: 'authorization_code', code, redirect_uri: oauth.redirectUri, scope: MICROSOFT_SCOPES.join(' ') },
    'Microsoft token exchange',
    options.timeoutMs,
  );
  if (!answer.refresh_token) throw new CalendarError('permanent', 'Microsoft sent no refresh token (offline_access was not granted); connect again and accept every permission');
  return { refreshToken: answer.refresh_token, email: emailOfIdToken(answer.id_token) };
}

/** A calendar of the account, as GET /me/calendars lists it. */
export interface MicrosoftCalendar {
  id: string;
  name: string;
  canEdit: boolean;
  isDefaultCalendar: boolean;
  allowedOnlineMeetingProviders: string[];
}

interface GraphDateTime {
  dateTime: string;
  timeZone: string;
}

interface GraphEvent {
  id: string;
  showAs?: string;
  isCancelled?: boolean;
  isAllDay?: boolean;
  start?: GraphDateTime;
  end?: GraphDateTime;
  responseStatus?: { response?: string };
  isOnlineMeeting?: boolean;
  onlineMeeting?: { joinUrl?: string } | null;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

interface GraphList<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

/** showAs values that leave the time free: the interviewer said so. */
const FREE_SHOW_AS = new Set(['free', 'workingElsewhere']);

export interface MicrosoftProvider extends CalendarProvider<MicrosoftCredentials> {
  /** The account's calendars (GET /me/calendars), to choose which count and which takes interviews. */
  listCalendars(connection: ProviderConnection<MicrosoftCredentials>, signal: AbortSignal): Promise<MicrosoftCalendar[]>;
}

interface TokenState {
  accessToken?: string;
  expiresAt: number;
  /** The newest refresh token Microsoft gave for this connection. */
  refreshToken: string;
  /** Every refresh token this state stands for: the stored one may lag behind a rotation until it is saved. */
  known: Set<string>;
  refreshing?: Promise<string>;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new CalendarError('transient', 'timed out'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(new CalendarError('transient', 'timed out'))), { once: true });
  });

/** Graph's wall-clock time in a zone (UTC, as Beckon asks with Prefer: outlook.timezone), as an instant. */
function instantOfGraph(value: GraphDateTime | undefined, what: string): number {
  if (!value?.dateTime) throw new CalendarError('permanent', `${what}: an event without a time`);
  const zone = value.timeZone === 'UTC' || !value.timeZone ? 'UTC' : value.timeZone;
  try {
    return Temporal.PlainDateTime.from(value.dateTime).toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
  } catch {
    throw new CalendarError('permanent', `${what}: a time Beckon cannot read (${value.dateTime} ${value.timeZone})`);
  }
}

/** An all-day event's dates are the interviewer's days: it blocks them whole in their own zone. */
function dayStartIn(value: GraphDateTime | undefined, timeZone: string, what: string): number {
  if (!value?.dateTime) throw new CalendarError('permanent', `${what}: an event without a time`);
  return Temporal.PlainDate.from(value.dateTime.slice(0, 10)).toZonedDateTime({ timeZone }).epochMilliseconds;
}

/** Graph takes a wall-clock time and a zone: the instant's UTC clock, to the second. */
const graphTime = (instant: Date): GraphDateTime => ({ dateTime: instant.toISOString().slice(0, 19), timeZone: 'UTC' });

export function createMicrosoftProvider(options: MicrosoftProviderOptions): MicrosoftProvider {
  const { timeoutMs, readRetries = 2, retryBaseMs = 250, inviteAttendees = true } = options;
  const endpoints = endpointsOf(options);
  const tokens = new Map<string, TokenState>();

  function stateFor(connection: ProviderConnection<MicrosoftCredentials>): TokenState {
    const stored = connection.credentials.refreshToken;
    let state = tokens.get(connection.id);
    if (!state?.known.has(stored)) {
      // A new connection, or one reconnected (or rotated by another process): start from what is stored.
      state = { refreshToken: stored, known: new Set([stored]), expiresAt: 0 };
      tokens.set(connection.id, state);
    }
    return state;
  }

  async function refresh(connection: ProviderConnection<MicrosoftCredentials>, state: TokenState, signal: AbortSignal): Promise<string> {
    if (!options.oauth) throw new CalendarError('permanent', 'Microsoft sign-in is not configured on this server (MICROSOFT_CLIENT_ID, MICROSOFT_CLIENT_SECRET)');
    const answer = await postToken(
      endpoints.token,
      { client_id: options.oauth.clientId, client_secret: options.oauth.clientSecret, grant_type: 'refresh_token', refresh_token: state.refreshToken, scope: MICROSOFT_SCOPES.join(' ') },
      'Microsoft token refresh',
      timeoutMs,
      signal,
    );
    state.accessToken = answer.access_token!;
    state.expiresAt = Date.now() + Number(answer.expires_in ?? 3600) * 1000;
    if (answer.refresh_token && answer.refresh_token !== state.refreshToken) {
      // Microsoft replaces refresh tokens as they are used; the old one still works for a while,
      // but only the newest keeps the grant alive past its lifetime, so it is sealed in its place.
      state.refreshToken = answer.refresh_token;
      state.known.add(answer.refresh_token);
      options.onCredentials?.(connection.id, { ...connection.credentials, refreshToken: answer.refresh_token });
    }
    return state.accessToken;
  }

  async function accessToken(connection: ProviderConnection<MicrosoftCredentials>, signal: AbortSignal, force = false): Promise<string> {
    const state = stateFor(connection);
    if (!force && state.accessToken && state.expiresAt - 60_000 > Date.now()) return state.accessToken;
    if (force) state.accessToken = undefined;
    // One refresh at a time per connection: concurrent busy reads share it.
    state.refreshing ??= refresh(connection, state, signal).finally(() => (state.refreshing = undefined));
    return state.refreshing;
  }

  function graphError(status: number, body: unknown, headers: Headers, what: string): CalendarError {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    const detail = error ? `: ${error.code ?? ''}${error.message ? ` ${error.message.slice(0, 300)}` : ''}` : '';
    const retryAfter = Number(headers.get('retry-after'));
    if (status === 401) return new CalendarError('revoked', `${what}: Microsoft Graph answered 401${detail}; reconnect the calendar`, status);
    return new CalendarError(kindOfStatus(status), `${what}: HTTP ${status}${detail}`, status, Number.isFinite(retryAfter) && headers.has('retry-after') ? retryAfter : undefined);
  }

  /** One Graph call with the connection's token; a 401 on a cached token refreshes it and tries once more. */
  async function graph<T>(
    connection: ProviderConnection<MicrosoftCredentials>,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    pathOrUrl: string,
    what: string,
    signal: AbortSignal,
    body?: unknown,
  ): Promise<T | undefined> {
    const url = pathOrUrl.startsWith('/') ? `${endpoints.graph}${pathOrUrl}` : pathOrUrl;
    for (let attempt = 0; ; attempt++) {
      const token = await accessToken(connection, signal, attempt > 0);
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            // Every time in answers is UTC; Beckon never does the zone maths of Windows zone names.
            prefer: 'outlook.timezone="UTC"',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: combinedSignal(signal, timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        throw networkError(error, what);
      }
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (response.status === 401 && attempt === 0) continue; // an access token that expired early, or was revoked: refresh decides
      if (!response.ok) throw graphError(response.status, parsed, response.headers, what);
      return parsed as T | undefined;
    }
  }

  async function withReadRetries<T>(signal: AbortSignal, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (raw) {
        const error = raw instanceof CalendarError ? raw : networkError(raw, 'Microsoft Graph');
        const retryable = error.kind === 'transient' && error.status !== undefined && !signal.aborted;
        if (!retryable || attempt >= readRetries) throw error;
        const delay = Math.min((error.retryAfterSeconds ?? 0) * 1000 || retryBaseMs * 2 ** attempt, 2_000);
        await sleep(delay * (0.8 + Math.random() * 0.4), signal);
      }
    }
  }

  /** Every page of a list, following @odata.nextLink (only ever to Graph itself). */
  async function all<T>(connection: ProviderConnection<MicrosoftCredentials>, path: string, what: string, signal: AbortSignal): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    for (let page = 0; next; page++) {
      if (page >= 200) throw new CalendarError('permanent', `${what}: more than 200 pages`);
      const link: string = next;
      const answer: GraphList<T> | undefined = await withReadRetries(signal, () => graph<GraphList<T>>(connection, 'GET', link, what, signal));
      items.push(...(answer?.value ?? []));
      next = answer?.['@odata.nextLink'];
      if (next && !next.startsWith(`${endpoints.graph}/`)) throw new CalendarError('permanent', `${what}: a next page outside Microsoft Graph`);
    }
    return items;
  }

  const calendarPath = (calendarId: string) => `/me/calendars/${encodeURIComponent(calendarId)}`;

  async function busyOf(connection: ProviderConnection<MicrosoftCredentials>, calendarId: string, from: Date, to: Date, signal: AbortSignal): Promise<BusyInterval[]> {
    const query = new URLSearchParams({
      startDateTime: from.toISOString(),
      endDateTime: to.toISOString(),
      $select: 'showAs,isCancelled,isAllDay,start,end,responseStatus',
      $expand: `singleValueExtendedProperties($filter=id eq '${HOST_PROPERTY}')`,
      $top: '250',
    });
    const what = `Microsoft calendarView of ${calendarId.slice(0, 24)}…`;
    const events = await all<GraphEvent>(connection, `${calendarPath(calendarId)}/calendarView?${query.toString()}`, what, signal);
    const intervals: BusyInterval[] = [];
    for (const event of events) {
      if (event.isCancelled) continue;
      if (FREE_SHOW_AS.has(event.showAs ?? 'busy')) continue; // busy, tentative, oof (and unknown) block
      if (event.responseStatus?.response === 'declined') continue;
      if (event.singleValueExtendedProperties?.some((property) => property.id.toLowerCase() === HOST_PROPERTY.toLowerCase() && property.value === connection.memberId)) continue;
      const start = event.isAllDay ? dayStartIn(event.start, connection.host.timeZone, what) : instantOfGraph(event.start, what);
      const end = event.isAllDay ? dayStartIn(event.end, connection.host.timeZone, what) : instantOfGraph(event.end, what);
      if (end > start) intervals.push({ start: new Date(start), end: new Date(end) });
    }
    return intervals;
  }

  /** The event Beckon wrote for this booking on this calendar, if any. */
  async function findEvent(connection: ProviderConnection<MicrosoftCredentials>, calendarId: string, bookingId: string, signal: AbortSignal): Promise<GraphEvent | undefined> {
    const query = new URLSearchParams({
      $filter: `singleValueExtendedProperties/Any(ep: ep/id eq '${BOOKING_PROPERTY}' and ep/value eq '${bookingId}')`,
      $select: 'id,isOnlineMeeting,onlineMeeting',
      $top: '5',
    });
    const answer = await graph<GraphList<GraphEvent>>(connection, 'GET', `${calendarPath(calendarId)}/events?${query.toString()}`, 'Microsoft events (find the interview)', signal);
    return answer?.value?.[0];
  }

  function eventBody(event: InterviewEvent) {
    const description = inviteAttendees || event.attendees.length === 0 ? event.description : `${event.description}\n\nWith: ${event.attendees.map((person) => `${person.name} <${person.email}>`).join(', ')}`;
    return {
      subject: event.summary,
      body: { contentType: 'text', content: description },
      start: graphTime(event.start),
      end: graphTime(event.end),
      location: { displayName: event.location ?? '' },
      attendees: inviteAttendees ? event.attendees.map((person) => ({ emailAddress: { address: person.email, name: person.name }, type: 'required' })) : [],
      showAs: 'busy',
      isReminderOn: true,
      allowNewTimeProposals: false,
      ...(event.createMeet ? { isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' } : {}),
    };
  }

  return {
    name: 'microsoft',

    async listCalendars(connection, signal) {
      const query = new URLSearchParams({ $select: 'id,name,canEdit,isDefaultCalendar,allowedOnlineMeetingProviders', $top: '100' });
      const calendars = await all<Partial<MicrosoftCalendar>>(connection, `/me/calendars?${query.toString()}`, 'Microsoft calendars', signal);
      return calendars
        .filter((calendar): calendar is Partial<MicrosoftCalendar> & { id: string } => typeof calendar.id === 'string')
        .map((calendar) => ({
          id: calendar.id,
          name: calendar.name ?? 'Calendar',
          canEdit: calendar.canEdit !== false,
          isDefaultCalendar: calendar.isDefaultCalendar === true,
          allowedOnlineMeetingProviders: calendar.allowedOnlineMeetingProviders ?? [],
        }));
    },

    async busy(connection, from, to, signal) {
      const perCalendar = await Promise.all(connection.busyCalendarIds.map((calendarId) => busyOf(connection, calendarId, from, to, signal)));
      return perCalendar.flat();
    },

    async upsertEvent(connection, event, signal): Promise<UpsertResult> {
      const calendarId = connection.writeCalendarId;
      if (!calendarId) throw new CalendarError('permanent', 'This connection has no calendar to write to');
      const existing = await findEvent(connection, calendarId, event.bookingId, signal);
      let written: GraphEvent | undefined;
      if (existing) {
        written = await graph<GraphEvent>(connection, 'PATCH', `${calendarPath(calendarId)}/events/${encodeURIComponent(existing.id)}`, 'Microsoft events.update', signal, eventBody(event));
      } else {
        written = await graph<GraphEvent>(connection, 'POST', `${calendarPath(calendarId)}/events`, 'Microsoft events.create', signal, {
          ...eventBody(event),
          transactionId: microsoftTransactionId(event.bookingId, event.hostId, calendarId),
          singleValueExtendedProperties: [
            { id: BOOKING_PROPERTY, value: event.bookingId },
            { id: HOST_PROPERTY, value: event.hostId },
          ],
        });
      }
      if (!written?.id) throw new CalendarError('transient', 'Microsoft Graph answered the write without the event');
      const meetingUrl = written.onlineMeeting?.joinUrl ?? undefined;
      if (event.createMeet && !meetingUrl) {
        if (written.isOnlineMeeting === false) {
          throw new CalendarError('permanent', 'This Outlook calendar cannot make Teams meetings (a personal Microsoft account, or Teams is off for this mailbox); choose a work calendar or give the interviewer a fallback');
        }
        // Exchange may add the meeting a moment later: the retried job finds the event and reads it again.
        throw new CalendarError('transient', 'Teams meeting link not ready yet');
      }
      return { eventId: written.id, ...(meetingUrl ? { meetingUrl } : {}) };
    },

    async deleteEvent(connection, event: EventToDelete, signal) {
      const calendarId = connection.writeCalendarId;
      if (!calendarId) return;
      const existing = await findEvent(connection, calendarId, event.bookingId, signal);
      if (!existing) return; // already gone
      // Exchange emails the attendees a cancellation whatever is asked (see inviteAttendees).
      try {
        await graph(connection, 'DELETE', `${calendarPath(calendarId)}/events/${encodeURIComponent(existing.id)}`, 'Microsoft events.delete', signal);
      } catch (error) {
        if (error instanceof CalendarError && (error.status === 404 || error.status === 410)) return;
        throw error;
      }
    },
  };
}
