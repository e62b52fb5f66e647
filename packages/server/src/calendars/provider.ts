// One interface for every calendar Beckon reads busy time from and writes interviews to.
// A provider is stateless about bookings: the event's identity is derived from the booking
// (Google: an event id made from the booking id; Microsoft: an extended property holding the
// booking id; CalDAV: the booking's iCalendar UID as the object's name), so a retried write
// updates the same event and no mapping table is needed.

/** A half-open busy interval [start, end) in UTC. */
export interface BusyInterval {
  start: Date;
  end: Date;
}

export type ProviderName = 'google' | 'microsoft' | 'caldav' | 'builtin';

/** A connection as providers see it: decrypted credentials and the host it belongs to. */
export interface ProviderConnection<Credentials = unknown> {
  id: string;
  memberId: string;
  provider: ProviderName;
  credentials: Credentials;
  /** Calendars read for busy time (Google and Microsoft calendar ids, CalDAV collection URLs). */
  busyCalendarIds: string[];
  /** The calendar interviews are written to. */
  writeCalendarId: string | null;
  host: { email: string; name: string; timeZone: string };
}

/** The interview as written to the host's calendar. */
export interface InterviewEvent {
  bookingId: string;
  /** The member whose calendar gets the event; Beckon counts this booking for them itself. */
  hostId: string;
  /** Stays the same across reschedules: the CalDAV object name and UID. */
  icalUid: string;
  sequence: number;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  /** Shown as the event's location: the video link, phone instructions or an address. */
  location: string | null;
  organizer: { name: string; email: string };
  /** The participant (and co-hosts): invited to the event. */
  attendees: { name: string; email: string }[];
  /** Ask the provider for its video meeting (Google Meet on Google, Teams on Microsoft); ignored by providers that cannot. */
  createMeet: boolean;
}

export interface UpsertResult {
  /** The provider's id of the event (Google or Graph event id, CalDAV object URL). */
  eventId: string;
  /** The video link the provider made (Google Meet, Teams), when it made one. */
  meetingUrl?: string;
}

export type EventToDelete = Pick<InterviewEvent, 'bookingId' | 'icalUid'> & {
  /** False when the provider must not email the attendees about it (an erased participant). */
  notifyAttendees?: boolean;
};

export interface CalendarProvider<Credentials = unknown> {
  readonly name: ProviderName;
  /** Busy intervals overlapping [from, to) over the connection's busy calendars; throws CalendarError. */
  busy(connection: ProviderConnection<Credentials>, from: Date, to: Date, signal: AbortSignal): Promise<BusyInterval[]>;
  /** Creates or updates the interview on the write calendar; safe to repeat. */
  upsertEvent(connection: ProviderConnection<Credentials>, event: InterviewEvent, signal: AbortSignal): Promise<UpsertResult>;
  /** Removes the interview; an event that is already gone is not an error. */
  deleteEvent(connection: ProviderConnection<Credentials>, event: EventToDelete, signal: AbortSignal): Promise<void>;
}

/**
 * Why a calendar call failed, as the service needs to know it:
 * - `revoked`: the credentials no longer work (OAuth `invalid_grant`, a changed password);
 *   the connection is marked broken and the host is not offered until it is reconnected.
 * - `transient`: 429, 5xx, a timeout or a network error; a job retries with backoff.
 * - `permanent`: anything else (a calendar that does not exist, a request the server refuses).
 */
export type CalendarErrorKind = 'revoked' | 'transient' | 'permanent';

export class CalendarError extends Error {
  constructor(
    readonly kind: CalendarErrorKind,
    message: string,
    readonly status?: number,
    /** Seconds the server asked us to wait (Retry-After), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'CalendarError';
  }
}


/** The kind an HTTP status means for a calendar call. */
export function kindOfStatus(status: number): CalendarErrorKind {
  if (status === 429 || status === 408 || status >= 500) return 'transient';
  return 'permanent';
}

/** Merges overlapping or touching intervals; input order does not matter. */
export function mergeIntervals(intervals: BusyInterval[]): BusyInterval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: BusyInterval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) {
      if (interval.end > last.end) last.end = interval.end;
    } else {
      merged.push({ start: new Date(interval.start), end: new Date(interval.end) });
    }
  }
  return merged;
}
