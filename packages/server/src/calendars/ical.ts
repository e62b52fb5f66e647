// Busy time from iCalendar data as CalDAV servers hand it out: whole objects (a recurring
// master with its exceptions), expanded here with ical.js rather than trusting each server's
// own expansion. The rules a research team expects:
// - transparent ("free") events, cancelled events and events the host declined do not block;
// - all-day events block the whole day in the host's zone;
// - a recurring event blocks its real occurrences: EXDATEs and cancelled instances do not,
//   a moved instance blocks where it was moved to (even from outside the range into it).
import ICAL from 'ical.js';
import { Temporal } from 'temporal-polyfill';
import type { BusyInterval } from './provider.js';

type Component = InstanceType<typeof ICAL.Component>;
type Time = InstanceType<typeof ICAL.Time>;

export interface BusyRules {
  /** The host's calendar addresses (email, CalDAV user addresses): their PARTSTAT decides. */
  hostAddresses: string[];
  /** Where all-day and floating times are, i.e. the host's zone. */
  timeZone: string;
  /**
   * The member whose interviews Beckon wrote here (X-BECKON-HOST): those events are skipped,
   * because the slot code counts the bookings themselves, and a reschedule must not collide
   * with the interview's own old time.
   */
  beckonHostId?: string;
}

/** More occurrences than anyone's calendar needs; a guard against runaway rules. */
const MAX_OCCURRENCES = 20_000;

const ianaCache = new Map<string, boolean>();
function isIanaZone(name: string): boolean {
  let known = ianaCache.get(name);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: name });
      known = true;
    } catch {
      known = false;
    }
    ianaCache.set(name, known);
  }
  return known;
}

function wallClockIn(time: Time, zone: string): number {
  const local = Temporal.PlainDateTime.from({
    year: time.year,
    month: time.month,
    day: time.day,
    hour: time.isDate ? 0 : time.hour,
    minute: time.isDate ? 0 : time.minute,
    second: time.isDate ? 0 : Math.min(time.second, 59),
  });
  return local.toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
}

/** The UTC instant of an iCalendar time: UTC, its TZID (IANA or VTIMEZONE), or the host's zone for dates and floating times. */
function instantOf(time: Time, tzid: string | undefined, rules: BusyRules): number {
  if (time.isDate) return wallClockIn(time, rules.timeZone);
  const zone = time.zone?.tzid;
  if (zone === 'UTC') return time.toUnixTime() * 1000;
  if (tzid && isIanaZone(tzid)) return wallClockIn(time, tzid);
  if (zone && zone !== 'floating') return time.toUnixTime() * 1000; // defined by a VTIMEZONE in the object
  return wallClockIn(time, rules.timeZone);
}

const normalAddress = (value: string) => value.replace(/^mailto:/i, '').trim().toLowerCase();

/** Whether this event (or instance) takes the host's time. */
export function blocksTime(event: Component, rules: BusyRules): boolean {
  if (rules.beckonHostId && event.getFirstPropertyValue('x-beckon-host') === rules.beckonHostId) return false;
  const status = String(event.getFirstPropertyValue('status') ?? '').toUpperCase();
  if (status === 'CANCELLED') return false;
  const transp = String(event.getFirstPropertyValue('transp') ?? 'OPAQUE').toUpperCase();
  if (transp === 'TRANSPARENT') return false;
  const addresses = new Set(rules.hostAddresses.map(normalAddress));
  for (const attendee of event.getAllProperties('attendee')) {
    const address = normalAddress(String(attendee.getFirstValue() ?? ''));
    if (!addresses.has(address)) continue;
    const partstat = String(attendee.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase();
    if (partstat === 'DECLINED') return false;
  }
  return true;
}

function tzidOf(component: Component): string | undefined {
  const value = component.getFirstProperty('dtstart')?.getParameter('tzid');
  return typeof value === 'string' ? value : undefined;
}

function pushIfOverlapping(out: BusyInterval[], start: number, end: number, from: Date, to: Date): void {
  // A zero-length event blocks nothing; an all-day event is a whole day long.
  if (end <= start) return;
  if (start < to.getTime() && end > from.getTime()) out.push({ start: new Date(start), end: new Date(end) });
}

function singleInterval(component: Component, rules: BusyRules): { start: number; end: number } | undefined {
  const event = new ICAL.Event(component);
  if (!event.startDate) return undefined;
  const tzid = tzidOf(component);
  const start = instantOf(event.startDate, tzid, rules);
  let endTime = event.endDate;
  if (event.startDate.isDate && (!endTime || endTime.compare(event.startDate) <= 0)) {
    endTime = event.startDate.clone();
    endTime.adjust(1, 0, 0, 0); // RFC 5545: an all-day event without DTEND lasts the day
  }
  const endTzid = String(component.getFirstProperty('dtend')?.getParameter('tzid') ?? tzid ?? '') || undefined;
  const end = endTime ? instantOf(endTime, endTzid, rules) : start;
  return { start, end };
}

/** Busy intervals overlapping [from, to) in one iCalendar object (or a whole calendar's worth). */
export function busyFromICalendar(text: string, from: Date, to: Date, rules: BusyRules): BusyInterval[] {
  const root = new ICAL.Component(ICAL.parse(text));
  const vevents = root.name === 'vevent' ? [root] : root.getAllSubcomponents('vevent');
  const byUid = new Map<string, { master?: Component; exceptions: Component[] }>();
  vevents.forEach((vevent, index) => {
    const uid = String(vevent.getFirstPropertyValue('uid') ?? `no-uid-${index}`);
    const group = byUid.get(uid) ?? { exceptions: [] };
    if (vevent.hasProperty('recurrence-id')) group.exceptions.push(vevent);
    else group.master = vevent;
    byUid.set(uid, group);
  });

  const out: BusyInterval[] = [];
  for (const { master, exceptions } of byUid.values()) {
    const recurring = master && (master.hasProperty('rrule') || master.hasProperty('rdate'));
    if (!master || !recurring) {
      // A single event, or instances whose master this server did not send: each stands alone.
      for (const component of master ? [master] : exceptions) {
        if (!blocksTime(component, rules)) continue;
        const interval = singleInterval(component, rules);
        if (interval) pushIfOverlapping(out, interval.start, interval.end, from, to);
      }
      continue;
    }

    const event = new ICAL.Event(master, { exceptions, strictExceptions: false });
    const masterTzid = tzidOf(master);
    const seen = new Set<string>();
    const iterator = event.iterator();
    for (let count = 0, next = iterator.next(); next && count < MAX_OCCURRENCES; count++, next = iterator.next()) {
      if (instantOf(next, masterTzid, rules) >= to.getTime()) break;
      const details = event.getOccurrenceDetails(next);
      const item = details.item.component;
      const isException = item !== master;
      if (isException) seen.add(details.recurrenceId.toString());
      if (!blocksTime(item, rules)) continue;
      const tzid = isException ? tzidOf(item) : masterTzid;
      pushIfOverlapping(out, instantOf(details.startDate, tzid, rules), instantOf(details.endDate, tzid, rules), from, to);
    }
    // Instances moved into the range from an original time after it.
    for (const exception of exceptions) {
      const recurrenceId = exception.getFirstPropertyValue('recurrence-id') as Time | null;
      if (!recurrenceId || seen.has(recurrenceId.toString())) continue;
      if (instantOf(recurrenceId, String(exception.getFirstProperty('recurrence-id')?.getParameter('tzid') ?? masterTzid ?? '') || undefined, rules) < to.getTime()) continue;
      if (!blocksTime(exception, rules)) continue;
      const interval = singleInterval(exception, rules);
      if (interval) pushIfOverlapping(out, interval.start, interval.end, from, to);
    }
  }
  return out;
}
