/** ISO weekday: Monday = 1 … Sunday = 7. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Local wall-clock time 'HH:MM' (24-hour). As an interval end, '24:00' means the end of the day. */
export type ClockTime = string;

/** A stretch of local wall-clock time within one local date, half-open: [start, end). */
export interface ClockInterval {
  start: ClockTime;
  end: ClockTime;
}

export interface WeeklyHours extends ClockInterval {
  weekday: IsoWeekday;
}

/** Replaces the weekly hours of one local date; no intervals means a day off. */
export interface DateOverride {
  /** Local date 'YYYY-MM-DD' in the host's zone. */
  date: string;
  intervals: ClockInterval[];
}

/** What an interviewer sets on `PUT /v1/admin/members/{id}/availability`. */
export interface AvailabilityRules {
  /** IANA zone the weekly hours and overrides are written in. */
  timeZone: string;
  weekly: WeeklyHours[];
  overrides: DateOverride[];
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** Slots start no earlier than now + this. */
  minimumNoticeMinutes: number;
  /** Slots lie on the host's local dates today … today + N − 1 (N whole days; 0 = none). */
  bookingWindowDays: number;
  /** Bookings per local day; null or absent = no cap. */
  maxPerDay?: number | null;
  /** Bookings per ISO week (Monday–Sunday, host's zone); null or absent = no cap. */
  maxPerWeek?: number | null;
}

export interface HostAvailability extends AvailabilityRules {
  hostId: string;
}

/** A UTC instant: a Date or an ISO 8601 string with an offset or 'Z'. */
export type InstantInput = Date | string;

/** Half-open [start, end) between two instants. */
export interface TimeInterval {
  start: InstantInput;
  end: InstantInput;
}

/** A confirmed booking; it blocks its host over [start − bufferBefore, end + bufferAfter). */
export interface ExistingBooking extends TimeInterval {
  hostId: string;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

/**
 * round_robin: a slot is offered when at least one host is free; all_hosts: only when every host
 * is free (fixed host, or a collective interview with observers).
 */
export type Assignment = 'round_robin' | 'all_hosts';

export interface FreeSlotsInput {
  hosts: readonly HostAvailability[];
  /** Calendar busy intervals per hostId. */
  busy?: Readonly<Record<string, readonly TimeInterval[]>>;
  /**
   * Confirmed bookings of these hosts, of every study (they block time and count towards caps).
   * Include every booking in the ISO weeks the range touches, so the caps see them.
   */
  bookings?: readonly ExistingBooking[];
  /** Slots whose start lies in [from, to). */
  range: { from: InstantInput; to: InstantInput };
  now: InstantInput;
  /** Interview length; default 20. */
  durationMinutes?: number;
  /** Grid of slot starts in each host's local time; must divide a day; default 15. */
  slotStepMinutes?: number;
  assignment: Assignment;
}

export type HostsFreeAtInput = Omit<FreeSlotsInput, 'range'>;

export interface FreeSlot {
  /** ISO 8601 UTC, e.g. '2026-03-29T08:00:00Z'. */
  start: string;
  end: string;
  /** Hosts free for this slot, in the order of `hosts`. */
  hostIds: string[];
}

export interface HostBookingStats {
  hostId: string;
  bookingsThisWeekForStudy: number;
  /** ISO instant of the host's latest booking for this study, or null when never booked. */
  lastBookedAt: string | null;
}

export interface SlotDay<T> {
  /** Local date 'YYYY-MM-DD' in the zone the slots were grouped in. */
  date: string;
  slots: T[];
}
