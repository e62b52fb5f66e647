// A local HTTP emulation of exactly the Microsoft identity platform and Microsoft Graph endpoints
// Beckon calls, with the shapes Microsoft documents:
//   POST /{tenant}/oauth2/v2.0/token            authorization_code and refresh_token grants; refresh
//                                               tokens rotate on use (the old one keeps working);
//                                               AADSTS errors as the platform sends them
//   GET  /v1.0/me/calendars                     the mailbox's calendars ($select, $top, paging)
//   GET  /v1.0/me/calendars/{id}/calendarView   single events, recurring series expanded into
//                                               occurrences with their exceptions (moved, changed or
//                                               deleted occurrences), in the Prefer zone (UTC), paged
//                                               with @odata.nextLink; $expand of a single-value
//                                               extended property
//   GET  /v1.0/me/calendars/{id}/events         with $filter on a single-value extended property
//   POST /v1.0/me/calendars/{id}/events         transactionId deduplicates a repeated create;
//                                               isOnlineMeeting + teamsForBusiness → onlineMeeting.joinUrl
//   PATCH/DELETE /v1.0/me/calendars/{id}/events/{eventId}
// plus faults on demand (a status for the next n calls, a hang, an answer lost after the work is
// done), expired access tokens, revoked grants, a Teams meeting that arrives late, short pages,
// and a log of every request.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Temporal } from 'temporal-polyfill';
import { bearerToken, Faults, jsonAnswer, readRequestBody, startEmulatorServer } from './http-emulator.js';

interface GraphDateTime {
  dateTime: string;
  timeZone: string;
}

type ShowAs = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';

export interface Recurrence {
  pattern: { type: 'daily' | 'weekly'; interval: number; daysOfWeek?: string[]; firstDayOfWeek?: string };
  range: { type: 'endDate' | 'noEnd' | 'numbered'; startDate: string; endDate?: string; numberOfOccurrences?: number; recurrenceTimeZone?: string };
}

export interface EmulatedEvent {
  id: string;
  iCalUId: string;
  changeKey: string;
  subject: string;
  body: { contentType: string; content: string };
  start: GraphDateTime;
  end: GraphDateTime;
  isAllDay: boolean;
  showAs: ShowAs;
  isCancelled: boolean;
  type: 'singleInstance' | 'seriesMaster';
  recurrence: Recurrence | null;
  location: { displayName: string };
  attendees: { emailAddress: { address: string; name?: string }; type: string; status?: { response: string } }[];
  organizer: { emailAddress: { address: string; name: string } };
  responseStatus: { response: string; time: string };
  isOnlineMeeting: boolean;
  onlineMeetingProvider: string;
  onlineMeeting: { joinUrl: string } | null;
  transactionId?: string;
  singleValueExtendedProperties?: { id: string; value: string }[];
  createdDateTime: string;
  lastModifiedDateTime: string;
  /** Occurrences of a series changed or deleted, by the date they were due (in the series' zone). */
  exceptions: Map<string, Partial<Pick<EmulatedEvent, 'start' | 'end' | 'showAs' | 'subject' | 'isCancelled'>> | 'deleted'>;
  [key: string]: unknown;
}

export interface EmulatedCalendar {
  id: string;
  name: string;
  canEdit: boolean;
  isDefaultCalendar: boolean;
  allowedOnlineMeetingProviders: string[];
  events: Map<string, EmulatedEvent>;
}

export interface LoggedRequest {
  method: string;
  /** Decoded, so it compares with Graph ids as they are. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingMessage['headers'];
  user?: string;
}

/** What a test writes into a mailbox: wall-clock times in a zone, as Outlook would store them. */
export interface EventInput {
  subject?: string;
  start: string;
  end: string;
  timeZone?: string;
  isAllDay?: boolean;
  showAs?: ShowAs;
  isCancelled?: boolean;
  recurrence?: Recurrence;
  responseStatus?: string;
}

export interface GraphEmulator {
  /** The identity platform's host (MICROSOFT_AUTHORITY_URL). */
  authorityUrl: string;
  /** Graph's root with its version (MICROSOFT_GRAPH_URL). */
  graphUrl: string;
  tenant: string;
  client: { clientId: string; clientSecret: string };
  requests: LoggedRequest[];
  /** A user's mailbox, made on first use with its default calendar "Calendar". */
  mailbox(email: string): Map<string, EmulatedCalendar>;
  defaultCalendarId(email: string): string;
  addCalendar(email: string, name: string, options?: { canEdit?: boolean; allowedOnlineMeetingProviders?: string[] }): string;
  addEvent(email: string, calendarId: string, input: EventInput): string;
  /** Changes one occurrence of a series (moved, or another showAs), as Outlook's "edit this occurrence". */
  changeOccurrence(email: string, calendarId: string, seriesId: string, dueDate: string, change: { start?: string; end?: string; showAs?: ShowAs; isCancelled?: boolean }): void;
  /** Deletes one occurrence of a series. */
  deleteOccurrence(email: string, calendarId: string, seriesId: string, dueDate: string): void;
  /** The interview events Beckon wrote, by booking id (its extended property). */
  eventOf(email: string, calendarId: string, bookingId: string): EmulatedEvent | undefined;
  /** Issues an authorization code for a user, as the sign-in page would after consent. */
  authorize(email: string, options?: { scope?: string }): string;
  /** A refresh token for a user, as if they had signed in earlier. */
  grant(email: string): string;
  /** Revokes every grant of a user (they removed the app, an admin revoked sessions, the password changed). */
  revoke(email: string): void;
  /** Every access token issued so far stops working, as when they expire. */
  expireAccessTokens(): void;
  /** Lifetime given to new access tokens, in seconds (3599 by default). */
  accessTokenLifetime: number;
  /** The next n created Teams meetings come without their join URL at first (Exchange adds it a moment later). */
  delayMeetings(times: number): void;
  /** Most items a page holds, whatever $top asks (Graph may page sooner than asked). */
  maxPageSize: number;
  fail(options: { method?: string; path: RegExp; times?: number; status: number; retryAfter?: number }): void;
  hang(options: { method?: string; path: RegExp; times?: number }): void;
  /** Does what the next n matching requests ask, then drops the connection before answering (the answer is lost). */
  drop(options: { method?: string; path: RegExp; times?: number }): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const graphId = () => `AAMkAD${randomBytes(30).toString('base64url')}=`;

const json = jsonAnswer('application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8');

function graphError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const date = new Date().toISOString().slice(0, 19);
  json(res, status, { error: { code, message, innerError: { date, 'request-id': randomBytes(8).toString('hex'), 'client-request-id': randomBytes(8).toString('hex') } } }, headers);
}

function tokenError(res: ServerResponse, status: number, error: string, code: number, description: string): void {
  const trace = randomBytes(8).toString('hex');
  json(res, status, {
    error,
    error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${trace}\r\nTimestamp: ${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: trace,
    correlation_id: trace,
  });
}

const zoned = (time: GraphDateTime) => Temporal.PlainDateTime.from(time.dateTime).toZonedDateTime(time.timeZone === 'UTC' ? 'UTC' : time.timeZone);
/** Graph's way of writing a wall-clock time: seven fractional digits. */
const graphClock = (time: Temporal.PlainDateTime) => `${time.toString({ smallestUnit: 'second' })}.0000000`;

export async function startGraphEmulator(): Promise<GraphEmulator> {
  const client = { clientId: '4f9b2a71-0c3e-4d8a-9b1e-6c2d7e8f0a13', clientSecret: 'test~client~secret' };
  const tenant = 'common';
  const mailboxes = new Map<string, Map<string, EmulatedCalendar>>();
  const codes = new Map<string, { email: string; scope: string }>();
  const refreshTokens = new Map<string, { email: string; revoked: boolean }>();
  const accessTokens = new Map<string, { email: string; expired: boolean }>();
  const requests: LoggedRequest[] = [];
  const faults = new Faults<'status' | 'hang' | 'drop'>();
  let delayedMeetings = 0;
  let root = '';

  function mailbox(email: string): Map<string, EmulatedCalendar> {
    let calendars = mailboxes.get(email);
    if (!calendars) {
      calendars = new Map();
      const id = graphId();
      calendars.set(id, { id, name: 'Calendar', canEdit: true, isDefaultCalendar: true, allowedOnlineMeetingProviders: ['teamsForBusiness'], events: new Map() });
      mailboxes.set(email, calendars);
    }
    return calendars;
  }

  const issueAccess = (email: string) => {
    const token = `eyJ0eXAiOiJKV1Qi.${randomBytes(24).toString('base64url')}`;
    accessTokens.set(token, { email, expired: false });
    return token;
  };
  const issueRefresh = (email: string) => {
    const token = `0.AX${randomBytes(32).toString('base64url')}`;
    refreshTokens.set(token, { email, revoked: false });
    return token;
  };
  const idToken = (email: string) =>
    [{ typ: 'JWT', alg: 'RS256' }, { aud: client.clientId, iss: `${root}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0`, tid: '9188040d-6c67-4c5b-b112-36a304b66dad', preferred_username: email, name: email.split('@')[0], oid: randomBytes(8).toString('hex') }]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .concat('signature')
      .join('.');

  function teamsMeeting(): { joinUrl: string } {
    const thread = randomBytes(18).toString('base64url');
    return { joinUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${thread}%40thread.v2/0?context=%7b%22Tid%22%3a%229188040d%22%7d` };
  }

  function newEvent(email: string, input: Partial<EmulatedEvent> & Pick<EmulatedEvent, 'start' | 'end'>): EmulatedEvent {
    const now = new Date().toISOString();
    return {
      id: graphId(),
      iCalUId: `040000008200E00074C5B7101A82E008${randomBytes(24).toString('hex').toUpperCase()}`,
      changeKey: randomBytes(12).toString('base64'),
      subject: '',
      body: { contentType: 'text', content: '' },
      isAllDay: false,
      showAs: 'busy',
      isCancelled: false,
      type: 'singleInstance',
      recurrence: null,
      location: { displayName: '' },
      attendees: [],
      organizer: { emailAddress: { address: email, name: email.split('@')[0]! } },
      responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
      isOnlineMeeting: false,
      onlineMeetingProvider: 'unknown',
      onlineMeeting: null,
      createdDateTime: now,
      lastModifiedDateTime: now,
      exceptions: new Map(),
      ...input,
    };
  }

  /** The dates a series is due on, in its own zone, up to (not including) `until`. */
  function dueDates(event: EmulatedEvent, until: Temporal.PlainDate): Temporal.PlainDate[] {
    const { pattern, range } = event.recurrence!;
    const dates: Temporal.PlainDate[] = [];
    const first = Temporal.PlainDate.from(range.startDate);
    const last = range.type === 'endDate' && range.endDate ? Temporal.PlainDate.from(range.endDate) : undefined;
    const limit = range.type === 'numbered' ? (range.numberOfOccurrences ?? 0) : Infinity;
    const interval = Math.max(1, pattern.interval);
    if (pattern.type === 'daily') {
      for (let date = first; Temporal.PlainDate.compare(date, until) < 0 && dates.length < limit; date = date.add({ days: interval })) {
        if (last && Temporal.PlainDate.compare(date, last) > 0) break;
        dates.push(date);
      }
      return dates;
    }
    const weekStartDay = DAYS.indexOf(pattern.firstDayOfWeek ?? 'sunday') + 1;
    const wanted = (pattern.daysOfWeek ?? []).map((day) => DAYS.indexOf(day.toLowerCase()) + 1);
    let weekStart = first.subtract({ days: (first.dayOfWeek - weekStartDay + 7) % 7 });
    for (; Temporal.PlainDate.compare(weekStart, until) < 0 && dates.length < limit; weekStart = weekStart.add({ weeks: interval })) {
      for (let offset = 0; offset < 7 && dates.length < limit; offset++) {
        const date = weekStart.add({ days: offset });
        if (!wanted.includes(date.dayOfWeek) || Temporal.PlainDate.compare(date, first) < 0 || Temporal.PlainDate.compare(date, until) >= 0) continue;
        if (last && Temporal.PlainDate.compare(date, last) > 0) return dates;
        dates.push(date);
      }
    }
    return dates;
  }

  /** What calendarView shows: single events, and each series' occurrences and exceptions, as instances. */
  function instances(calendar: EmulatedCalendar, from: number, to: number): Record<string, unknown>[] {
    const shown: Record<string, unknown>[] = [];
    const overlaps = (start: number, end: number) => start < to && end > from;
    for (const event of calendar.events.values()) {
      if (event.type === 'singleInstance') {
        const start = zoned(event.start).epochMilliseconds;
        const end = zoned(event.end).epochMilliseconds;
        if (overlaps(start, end)) shown.push({ ...event, exceptions: undefined, _start: start });
        continue;
      }
      const startZoned = zoned(event.start);
      const length = zoned(event.end).epochMilliseconds - startZoned.epochMilliseconds;
      const zone = event.start.timeZone;
      // Far enough to catch an occurrence moved into the range from a later due date.
      const until = Temporal.Instant.fromEpochMilliseconds(to).toZonedDateTimeISO(zone).toPlainDate().add({ days: 60 });
      for (const date of dueDates(event, until)) {
        const due = date.toPlainDateTime(startZoned.toPlainTime()).toZonedDateTime(zone, { disambiguation: 'compatible' });
        const exception = event.exceptions.get(date.toString());
        if (exception === 'deleted') continue;
        const start = exception?.start ? zoned(exception.start).epochMilliseconds : due.epochMilliseconds;
        const end = exception?.end ? zoned(exception.end).epochMilliseconds : due.epochMilliseconds + length;
        if (!overlaps(start, end)) continue;
        const utc = (ms: number) => ({ dateTime: graphClock(Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toPlainDateTime()), timeZone: zone });
        shown.push({
          ...event,
          ...exception,
          id: `${event.id}_${date.toString().replace(/-/g, '')}`,
          type: exception ? 'exception' : 'occurrence',
          seriesMasterId: event.id,
          originalStart: due.toInstant().toString(),
          recurrence: null,
          start: utc(start),
          end: utc(end),
          exceptions: undefined,
          _start: start,
        });
      }
    }
    return shown.sort((a, b) => Number(a._start) - Number(b._start));
  }

  /** An event as Graph answers it: times in the Prefer zone, only the $select-ed properties, extended properties only when $expand-ed. */
  function present(event: Record<string, unknown>, query: URLSearchParams, prefer: string | undefined): Record<string, unknown> {
    const zone = /outlook\.timezone="([^"]+)"/.exec(prefer ?? '')?.[1] ?? 'UTC';
    const inZone = (time: GraphDateTime): GraphDateTime => {
      // All-day events are whole dates wherever they are read.
      if (event.isAllDay) return { dateTime: graphClock(Temporal.PlainDateTime.from(time.dateTime)), timeZone: zone };
      return { dateTime: graphClock(zoned(time).withTimeZone(zone).toPlainDateTime()), timeZone: zone };
    };
    const { exceptions: _exceptions, _start, singleValueExtendedProperties, transactionId, ...rest } = event as EmulatedEvent & { _start?: number };
    const full: Record<string, unknown> = { '@odata.etag': `W/"${event.changeKey as string}"`, ...rest, start: inZone(event.start as GraphDateTime), end: inZone(event.end as GraphDateTime) };
    if (transactionId) full.transactionId = transactionId;
    const select = query.get('$select');
    const out: Record<string, unknown> = select ? Object.fromEntries(['@odata.etag', 'id', ...select.split(',')].filter((key) => key in full).map((key) => [key, full[key]])) : full;
    const expand = /^singleValueExtendedProperties\(\$filter=id eq '(.+)'\)$/.exec(query.get('$expand') ?? '');
    if (expand) {
      const wanted = expand[1]!.toLowerCase();
      const found = (singleValueExtendedProperties ?? []).filter((property) => property.id.toLowerCase() === wanted);
      if (found.length) out.singleValueExtendedProperties = found;
    }
    return out;
  }

  function page(res: ServerResponse, url: URL, items: Record<string, unknown>[], context: string, defaultTop: number): void {
    const top = Math.min(Number(url.searchParams.get('$top') ?? defaultTop) || defaultTop, emulator.maxPageSize);
    const skip = Number(url.searchParams.get('$skip') ?? 0) || 0;
    const body: Record<string, unknown> = { '@odata.context': `${root}/v1.0/$metadata#${context}`, value: items.slice(skip, skip + top) };
    if (skip + top < items.length) {
      const next = new URL(url.toString());
      next.searchParams.set('$skip', String(skip + top));
      body['@odata.nextLink'] = `${root}${next.pathname}${next.search}`;
    }
    json(res, 200, body);
  }

  const toGraphTime = (time: unknown, field: string): GraphDateTime => {
    const value = time as Partial<GraphDateTime> | undefined;
    if (!value?.dateTime || !value.timeZone) throw Object.assign(new Error(`${field} needs dateTime and timeZone`), { status: 400 });
    Temporal.PlainDateTime.from(value.dateTime);
    return { dateTime: value.dateTime, timeZone: value.timeZone };
  };

  /** Applies a create or update body the way Exchange does, Teams meeting included. */
  function apply(calendar: EmulatedCalendar, event: EmulatedEvent, input: Record<string, unknown>): void {
    for (const key of ['subject', 'body', 'location', 'showAs', 'isReminderOn', 'allowNewTimeProposals', 'isAllDay', 'responseRequested'] as const) {
      if (key in input) event[key] = input[key] as never;
    }
    if ('start' in input) event.start = toGraphTime(input.start, 'start');
    if ('end' in input) event.end = toGraphTime(input.end, 'end');
    if ('attendees' in input) {
      event.attendees = (input.attendees as EmulatedEvent['attendees']).map((attendee) => ({ ...attendee, status: { response: 'none' } }));
    }
    if (input.isOnlineMeeting === true && !event.onlineMeeting) {
      const provider = (input.onlineMeetingProvider as string | undefined) ?? 'teamsForBusiness';
      if (calendar.allowedOnlineMeetingProviders.includes(provider)) {
        event.isOnlineMeeting = true;
        event.onlineMeetingProvider = provider;
        if (delayedMeetings > 0) delayedMeetings -= 1; // Exchange adds it on a later read
        else event.onlineMeeting = teamsMeeting();
      }
    } else if (event.isOnlineMeeting && !event.onlineMeeting && delayedMeetings === 0) {
      event.onlineMeeting = teamsMeeting();
    }
    event.changeKey = randomBytes(12).toString('base64');
    event.lastModifiedDateTime = new Date().toISOString();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const { body, malformed } = await readRequestBody(req);
    if (malformed) return graphError(res, 400, 'BadRequest', 'Unable to read JSON request payload.');
    const bearer = bearerToken(req);
    const access = bearer ? accessTokens.get(bearer) : undefined;
    requests.push({ method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.searchParams, body, headers: req.headers, ...(access ? { user: access.email } : {}) });

    const fault = faults.take(req.method, url.pathname);
    if (fault) {
      if (fault.kind === 'hang') return; // never answers; the socket is destroyed on close()
      if (fault.kind === 'drop') {
        // Handled as usual below; only the answer never leaves.
        res.end = (() => {
          req.socket.destroy();
          return res;
        }) as typeof res.end;
      }
    }
    if (fault && fault.kind === 'status') {
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
      if (fault.status === 429) return graphError(res, 429, 'TooManyRequests', 'Too many requests, please try again later.', headers);
      return graphError(res, fault.status ?? 503, 'ServiceNotAvailable', 'Service unavailable.', headers);
    }

    if (req.method === 'POST' && url.pathname === `/${tenant}/oauth2/v2.0/token`) {
      const form = body as Record<string, string>;
      if (form.client_id !== client.clientId) return tokenError(res, 400, 'unauthorized_client', 700016, `Application with identifier '${form.client_id}' was not found in the directory.`);
      if (form.client_secret !== client.clientSecret) return tokenError(res, 401, 'invalid_client', 7000215, 'Invalid client secret provided.');
      if (!(form.scope ?? '').split(' ').some((scope) => /Calendars\.ReadWrite$/.test(scope))) return tokenError(res, 400, 'invalid_scope', 70011, 'The provided value for the input parameter scope is not valid.');
      if (form.grant_type === 'authorization_code') {
        const issued = codes.get(form.code ?? '');
        if (!issued) return tokenError(res, 400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
        codes.delete(form.code!);
        const offline = issued.scope.split(' ').includes('offline_access');
        return json(res, 200, {
          token_type: 'Bearer',
          scope: 'Calendars.ReadWrite openid profile email',
          expires_in: emulator.accessTokenLifetime,
          ext_expires_in: emulator.accessTokenLifetime,
          access_token: issueAccess(issued.email),
          ...(offline ? { refresh_token: issueRefresh(issued.email) } : {}),
          id_token: idToken(issued.email),
        });
      }
      if (form.grant_type === 'refresh_token') {
        const grant = refreshTokens.get(form.refresh_token ?? '');
        if (!grant) return tokenError(res, 400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
        if (grant.revoked) return tokenError(res, 400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.');
        return json(res, 200, {
          token_type: 'Bearer',
          scope: 'Calendars.ReadWrite openid profile email',
          expires_in: emulator.accessTokenLifetime,
          ext_expires_in: emulator.accessTokenLifetime,
          access_token: issueAccess(grant.email),
          refresh_token: issueRefresh(grant.email), // rotated; the old one keeps working until it expires
        });
      }
      return tokenError(res, 400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }

    if (!url.pathname.startsWith('/v1.0/')) return graphError(res, 404, 'UnknownError', '');
    if (!access) return graphError(res, 401, 'InvalidAuthenticationToken', 'IDX14100: JWT is not well formed.');
    if (access.expired) return graphError(res, 401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
    const user = access.email;
    const calendars = mailbox(user);
    const prefer = req.headers.prefer as string | undefined;

    if (req.method === 'GET' && url.pathname === '/v1.0/me/calendars') {
      const list = [...calendars.values()].map(({ events: _events, ...calendar }) => ({
        ...calendar,
        color: 'auto',
        hexColor: '',
        isRemovable: !calendar.isDefaultCalendar,
        canShare: calendar.canEdit,
        canViewPrivateItems: true,
        defaultOnlineMeetingProvider: calendar.allowedOnlineMeetingProviders[0] ?? 'none',
        isTallyingResponses: true,
        owner: { name: user.split('@')[0], address: user },
      }));
      const select = url.searchParams.get('$select');
      const shown = select ? list.map((calendar) => Object.fromEntries(['id', ...select.split(',')].filter((key) => key in calendar).map((key) => [key, calendar[key as keyof typeof calendar]]))) : list;
      return page(res, url, shown, 'users(...)/calendars', 10);
    }

    const inCalendar = /^\/v1\.0\/me\/calendars\/([^/]+)(\/calendarView|\/events(?:\/([^/]+))?)$/.exec(url.pathname);
    if (!inCalendar) return graphError(res, 400, 'BadRequest', `Resource not found for the segment '${url.pathname.split('/').pop()}'.`);
    const calendar = calendars.get(decodeURIComponent(inCalendar[1]!));
    if (!calendar) return graphError(res, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

    if (req.method === 'GET' && inCalendar[2] === '/calendarView') {
      const start = url.searchParams.get('startDateTime');
      const end = url.searchParams.get('endDateTime');
      if (!start || !end) return graphError(res, 400, 'ErrorInvalidParameter', "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
      const shown = instances(calendar, Date.parse(start), Date.parse(end)).map((event) => present(event, url.searchParams, prefer));
      return page(res, url, shown, 'users(...)/calendars(...)/calendarView', 10);
    }

    const eventId = inCalendar[3] ? decodeURIComponent(inCalendar[3]) : undefined;
    if (!eventId) {
      if (req.method === 'GET') {
        const filter = /^singleValueExtendedProperties\/Any\(ep: ep\/id eq '(.+?)' and ep\/value eq '(.*?)'\)$/.exec(url.searchParams.get('$filter') ?? '');
        if (url.searchParams.has('$filter') && !filter) return graphError(res, 400, 'ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
        const matches = [...calendar.events.values()].filter(
          (event) => !filter || (event.singleValueExtendedProperties ?? []).some((property) => property.id.toLowerCase() === filter[1]!.toLowerCase() && property.value.toLowerCase() === filter[2]!.toLowerCase()),
        );
        return page(res, url, matches.map((event) => present(event, url.searchParams, prefer)), 'users(...)/calendars(...)/events', 10);
      }
      if (req.method === 'POST') {
        if (!calendar.canEdit) return graphError(res, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
        const input = body as Record<string, unknown>;
        const transactionId = typeof input.transactionId === 'string' ? input.transactionId : undefined;
        // Documented: the same transactionId is the same create, retried; the mailbox keeps one event.
        const again = transactionId && [...mailbox(user).values()].flatMap((c) => [...c.events.values()]).find((event) => event.transactionId === transactionId);
        if (again) return json(res, 201, present(again, new URLSearchParams(), prefer));
        let event: EmulatedEvent;
        try {
          event = newEvent(user, { start: toGraphTime(input.start, 'start'), end: toGraphTime(input.end, 'end') });
        } catch (error) {
          return graphError(res, 400, 'ErrorInvalidRequest', (error as Error).message);
        }
        if (transactionId) event.transactionId = transactionId;
        event.singleValueExtendedProperties = (input.singleValueExtendedProperties as EmulatedEvent['singleValueExtendedProperties']) ?? [];
        apply(calendar, event, input);
        calendar.events.set(event.id, event);
        return json(res, 201, present(event, new URLSearchParams(), prefer));
      }
    } else {
      const event = calendar.events.get(eventId);
      if (!event) return graphError(res, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      if (req.method === 'PATCH') {
        const input = body as Record<string, unknown>;
        if ('transactionId' in input && input.transactionId !== event.transactionId) return graphError(res, 400, 'ErrorInvalidRequest', 'transactionId cannot be changed.');
        try {
          apply(calendar, event, input);
        } catch (error) {
          return graphError(res, 400, 'ErrorInvalidRequest', (error as Error).message);
        }
        return json(res, 200, present(event, new URLSearchParams(), prefer));
      }
      if (req.method === 'DELETE') {
        calendar.events.delete(eventId);
        res.writeHead(204).end();
        return;
      }
    }
    return graphError(res, 405, 'UnsupportedMethod', 'Unsupported method');
  }

  const server = await startEmulatorServer(handle, (res, error) => graphError(res, 500, 'InternalServerError', String(error)));
  root = server.origin;

  const calendarOf = (email: string, calendarId: string) => {
    const calendar = mailbox(email).get(calendarId);
    if (!calendar) throw new Error(`no calendar ${calendarId} for ${email}`);
    return calendar;
  };

  const emulator: GraphEmulator = {
    authorityUrl: root,
    graphUrl: `${root}/v1.0`,
    tenant,
    client,
    requests,
    accessTokenLifetime: 3599,
    maxPageSize: 1000,
    mailbox,
    defaultCalendarId: (email) => [...mailbox(email).values()].find((calendar) => calendar.isDefaultCalendar)!.id,
    addCalendar(email, name, options = {}) {
      const id = graphId();
      mailbox(email).set(id, { id, name, canEdit: options.canEdit ?? true, isDefaultCalendar: false, allowedOnlineMeetingProviders: options.allowedOnlineMeetingProviders ?? ['teamsForBusiness'], events: new Map() });
      return id;
    },
    addEvent(email, calendarId, input) {
      const timeZone = input.timeZone ?? 'UTC';
      const event = newEvent(email, {
        subject: input.subject ?? 'Busy',
        start: { dateTime: input.start, timeZone },
        end: { dateTime: input.end, timeZone },
        isAllDay: input.isAllDay ?? false,
        showAs: input.showAs ?? 'busy',
        isCancelled: input.isCancelled ?? false,
        ...(input.recurrence ? { type: 'seriesMaster' as const, recurrence: input.recurrence } : {}),
        ...(input.responseStatus ? { responseStatus: { response: input.responseStatus, time: new Date().toISOString() } } : {}),
      });
      calendarOf(email, calendarId).events.set(event.id, event);
      return event.id;
    },
    changeOccurrence(email, calendarId, seriesId, dueDate, change) {
      const series = calendarOf(email, calendarId).events.get(seriesId)!;
      const zone = series.start.timeZone;
      series.exceptions.set(dueDate, {
        ...(change.start ? { start: { dateTime: change.start, timeZone: zone } } : {}),
        ...(change.end ? { end: { dateTime: change.end, timeZone: zone } } : {}),
        ...(change.showAs ? { showAs: change.showAs } : {}),
        ...(change.isCancelled !== undefined ? { isCancelled: change.isCancelled } : {}),
      });
    },
    deleteOccurrence(email, calendarId, seriesId, dueDate) {
      calendarOf(email, calendarId).events.get(seriesId)!.exceptions.set(dueDate, 'deleted');
    },
    eventOf(email, calendarId, bookingId) {
      return [...calendarOf(email, calendarId).events.values()].find((event) => event.singleValueExtendedProperties?.some((property) => /Name BeckonBookingId$/.test(property.id) && property.value === bookingId));
    },
    authorize(email, options = {}) {
      const code = `0.AR${randomBytes(24).toString('base64url')}`;
      codes.set(code, { email, scope: options.scope ?? 'openid email profile offline_access Calendars.ReadWrite' });
      return code;
    },
    grant: (email) => issueRefresh(email),
    revoke(email) {
      for (const grant of refreshTokens.values()) if (grant.email === email) grant.revoked = true;
      for (const [token, holder] of accessTokens) if (holder.email === email) accessTokens.delete(token);
    },
    expireAccessTokens() {
      for (const holder of accessTokens.values()) holder.expired = true;
    },
    delayMeetings(times) {
      delayedMeetings = times;
    },
    fail: (options) => faults.add('status', options),
    hang: (options) => faults.add('hang', options),
    drop: (options) => faults.add('drop', options),
    clearFaults: () => faults.clear(),
    close: () => server.close(),
  };
  return emulator;
}
