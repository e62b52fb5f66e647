// Any CalDAV server (iCloud, Fastmail, Nextcloud, Radicale, …) through tsdav. Calendars are
// discovered once, when the PM connects the account, and stored as collection URLs, so reading
// busy time is one calendar-query REPORT per calendar with a time-range filter; the objects it
// returns are expanded here (ical.js), because servers differ in how well they expand.
// The interview is one VEVENT named after the booking's UID: PUT creates or replaces it,
// DELETE removes it, and a retry of either is harmless.
import ICAL from 'ical.js';
import { calendarQuery, createAccount, deleteObject, fetchCalendars, fetchCalendarUserAddresses, updateObject, type DAVAccount } from 'tsdav';
import { nonPublicAddressCause, publicOnlyFetch } from '../security/outbound.js';
import { busyFromICalendar } from './ical.js';
import { CalendarError, kindOfStatus, type BusyInterval, type CalendarProvider, type InterviewEvent, type UpsertResult } from './provider.js';

export interface CalDavCredentials {
  serverUrl: string;
  username: string;
  password: string;
  /** The account's calendar user addresses (mailto:…), found at connect: their PARTSTAT counts as the host's. */
  addresses?: string[];
}

export interface DiscoveredCalendar {
  url: string;
  displayName: string;
  /** Whether the collection holds events (some hold only tasks). */
  events: boolean;
}

type Fetch = typeof globalThis.fetch;

function authHeaders(credentials: CalDavCredentials): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` };
}

export interface CalDavOptions {
  /**
   * Whether servers on loopback or private networks may be reached (a self-hosted Radicale or
   * Nextcloud next to Beckon). Off, every connection is checked after DNS resolution.
   */
  allowPrivateNetworks?: boolean;
}

/** fetch bound to a signal, so every request tsdav makes is cut at the caller's deadline. */
function fetchWith(signal: AbortSignal, options: CalDavOptions): Fetch {
  const base = options.allowPrivateNetworks ? globalThis.fetch : publicOnlyFetch;
  return (input, init) => base(input, { ...init, signal });
}

function networkError(error: unknown, what: string): CalendarError {
  if (error instanceof CalendarError) return error;
  const refused = nonPublicAddressCause(error);
  if (refused) return new CalendarError('permanent', `${what}: ${refused.message}`);
  const name = (error as { name?: string }).name;
  if (name === 'AbortError' || name === 'TimeoutError') return new CalendarError('transient', `${what}: timed out`);
  return new CalendarError('transient', `${what}: ${(error as Error).message ?? String(error)}`);
}

function statusError(status: number, what: string): CalendarError {
  if (status === 401 || status === 403) return new CalendarError('revoked', `${what}: the server refused the credentials (HTTP ${status}); reconnect with a new app-specific password`, status);
  return new CalendarError(kindOfStatus(status), `${what}: HTTP ${status}`, status);
}

const ensureSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** The object URL of the interview: its UID, made safe for a path segment. */
export function eventUrl(calendarUrl: string, icalUid: string): string {
  return new URL(`${encodeURIComponent(icalUid.replace(/[^A-Za-z0-9@._-]/g, '-'))}.ics`, ensureSlash(calendarUrl)).href;
}

const TIME = (date: Date) => ICAL.Time.fromJSDate(date, true);

/** The interview as a VCALENDAR with one VEVENT, for the host's own calendar (no METHOD: it is stored, not sent). */
export function interviewVEvent(event: InterviewEvent, now = new Date()): string {
  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.addPropertyWithValue('prodid', '-//Beckon//Beckon//EN');
  calendar.addPropertyWithValue('version', '2.0');
  const vevent = new ICAL.Component('vevent');
  vevent.addPropertyWithValue('uid', event.icalUid);
  vevent.addPropertyWithValue('dtstamp', TIME(now));
  vevent.addPropertyWithValue('sequence', event.sequence);
  vevent.addPropertyWithValue('dtstart', TIME(event.start));
  vevent.addPropertyWithValue('dtend', TIME(event.end));
  vevent.addPropertyWithValue('summary', event.summary);
  vevent.addPropertyWithValue('description', event.description);
  if (event.location) vevent.addPropertyWithValue('location', event.location);
  vevent.addPropertyWithValue('status', 'CONFIRMED');
  vevent.addPropertyWithValue('transp', 'OPAQUE');
  vevent.addPropertyWithValue('x-beckon-host', event.hostId);
  const organizer = vevent.addPropertyWithValue('organizer', `mailto:${event.organizer.email}`);
  organizer.setParameter('cn', event.organizer.name);
  for (const person of event.attendees) {
    const attendee = vevent.addPropertyWithValue('attendee', `mailto:${person.email}`);
    attendee.setParameter('cn', person.name);
    attendee.setParameter('partstat', 'ACCEPTED');
    attendee.setParameter('role', 'REQ-PARTICIPANT');
    // Beckon mails the participant its own invite; a server that does scheduling (iCloud,
    // Fastmail) must not send a second one.
    attendee.setParameter('schedule-agent', 'CLIENT');
  }
  calendar.addSubcomponent(vevent);
  return calendar.toString();
}

/** Logs in, finds the account's calendars and its user addresses; throws CalendarError. */
export async function discoverCalDav(credentials: CalDavCredentials, signal: AbortSignal, options: CalDavOptions = {}): Promise<{ calendars: DiscoveredCalendar[]; addresses: string[] }> {
  const headers = authHeaders(credentials);
  const fetch = fetchWith(signal, options);
  let account: DAVAccount;
  try {
    account = await createAccount({ account: { serverUrl: credentials.serverUrl, accountType: 'caldav', credentials: {} }, headers, fetch });
  } catch (error) {
    const message = (error as Error).message ?? '';
    if (/401|403|unauthori[sz]ed|forbidden/i.test(message)) throw new CalendarError('revoked', 'The server refused this username and password', 401);
    throw networkError(error, 'CalDAV discovery');
  }
  let calendars;
  try {
    calendars = await fetchCalendars({ account, headers, fetch });
  } catch (error) {
    throw networkError(error, 'CalDAV calendar list');
  }
  let addresses: string[] = [];
  try {
    addresses = await fetchCalendarUserAddresses({ account, headers, fetch });
  } catch {
    addresses = []; // optional: not every server has the property
  }
  return {
    addresses,
    calendars: calendars.map((calendar) => ({
      url: new URL(calendar.url, credentials.serverUrl).href,
      displayName: typeof calendar.displayName === 'string' && calendar.displayName ? calendar.displayName : new URL(calendar.url, credentials.serverUrl).pathname,
      events: !calendar.components || calendar.components.includes('VEVENT'),
    })),
  };
}

const utcStamp = (date: Date) => `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

async function readCalendar(credentials: CalDavCredentials, calendarUrl: string, from: Date, to: Date, signal: AbortSignal, options: CalDavOptions): Promise<string[]> {
  let responses;
  try {
    responses = await calendarQuery({
      url: calendarUrl,
      props: { 'd:getetag': {}, 'c:calendar-data': {} },
      filters: {
        'c:comp-filter': {
          _attributes: { name: 'VCALENDAR' },
          'c:comp-filter': { _attributes: { name: 'VEVENT' }, 'c:time-range': { _attributes: { start: utcStamp(from), end: utcStamp(to) } } },
        },
      },
      depth: '1',
      headers: authHeaders(credentials),
      fetch: fetchWith(signal, options),
    });
  } catch (error) {
    // tsdav reports an HTTP failure as "Collection query failed: <status> …".
    const status = /Collection query failed: (\d{3})/.exec((error as Error).message ?? '')?.[1];
    if (status) throw statusError(Number(status), `CalDAV REPORT ${calendarUrl}`);
    throw networkError(error, `CalDAV REPORT ${calendarUrl}`);
  }
  const texts: string[] = [];
  for (const response of responses) {
    const data = (response.props as { calendarData?: unknown } | undefined)?.calendarData;
    const text = typeof data === 'string' ? data : (data as { _cdata?: string } | undefined)?._cdata;
    if (typeof text === 'string' && text.includes('BEGIN:VCALENDAR')) texts.push(text);
  }
  return texts;
}

export function createCalDavProvider(options: CalDavOptions = {}): CalendarProvider<CalDavCredentials> {
  return {
    name: 'caldav',

    async busy(connection, from, to, signal) {
      const { credentials } = connection;
      const rules = {
        hostAddresses: [connection.host.email, credentials.username, ...(credentials.addresses ?? [])],
        timeZone: connection.host.timeZone,
        beckonHostId: connection.memberId,
      };
      const perCalendar = await Promise.all(connection.busyCalendarIds.map((url) => readCalendar(credentials, url, from, to, signal, options)));
      const intervals: BusyInterval[] = [];
      for (const text of perCalendar.flat()) {
        try {
          intervals.push(...busyFromICalendar(text, from, to, rules));
        } catch (error) {
          // One object we cannot read must not hide the host's other meetings, nor be ignored.
          throw new CalendarError('permanent', `Unreadable event on the calendar: ${(error as Error).message}`);
        }
      }
      return intervals;
    },

    async upsertEvent(connection, event, signal): Promise<UpsertResult> {
      if (!connection.writeCalendarId) throw new CalendarError('permanent', 'This connection has no calendar to write to');
      const url = eventUrl(connection.writeCalendarId, event.icalUid);
      let response: Response;
      try {
        response = await updateObject({
          url,
          data: interviewVEvent(event),
          headers: { ...authHeaders(connection.credentials), 'content-type': 'text/calendar; charset=utf-8' },
          fetch: fetchWith(signal, options),
        });
      } catch (error) {
        throw networkError(error, `CalDAV PUT ${url}`);
      }
      if (!response.ok) throw statusError(response.status, `CalDAV PUT ${url}`);
      return { eventId: url };
    },

    async deleteEvent(connection, event, signal) {
      if (!connection.writeCalendarId) return;
      const url = eventUrl(connection.writeCalendarId, event.icalUid);
      let response: Response;
      try {
        response = await deleteObject({ url, headers: authHeaders(connection.credentials), fetch: fetchWith(signal, options) });
      } catch (error) {
        throw networkError(error, `CalDAV DELETE ${url}`);
      }
      if (!response.ok && response.status !== 404 && response.status !== 410) throw statusError(response.status, `CalDAV DELETE ${url}`);
    },
  };
}
