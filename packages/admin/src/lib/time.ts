// Instants are UTC; what a PM reads is local to a zone they choose. All local-time work goes
// through Intl (no hand-written offsets).

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Every IANA zone the runtime knows, with `include` (the current value) kept even if unlisted. */
export function timeZones(include?: string): string[] {
  let zones: string[] = [];
  try {
    zones = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    zones = [];
  }
  const all = new Set(zones);
  all.add('UTC');
  if (include) all.add(include);
  return [...all].sort((a, b) => a.localeCompare(b));
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(zone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(zone, formatter);
  }
  return formatter;
}

/** The wall-clock reading of an instant in a zone. */
function wallClock(instant: number, zone: string) {
  const parts = partsIn(zone).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** How far the zone's clock is ahead of UTC at this instant, in ms. */
function offsetAt(instant: number, zone: string): number {
  const c = wallClock(instant, zone);
  return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - Math.floor(instant / 1000) * 1000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local date 'YYYY-MM-DD' an instant falls on in a zone. */
export function localDate(instant: Date | number | string, zone: string): string {
  const c = wallClock(new Date(instant).getTime(), zone);
  return `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}`;
}

/** 'YYYY-MM-DD' plus n days (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/**
 * The first instant of a local date in a zone: its midnight, or the end of the gap when a DST
 * change skips midnight. As an ISO string.
 */
export function startOfDay(date: string, zone: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // The zone's offset a day either side; midnight is wall minus one of them (or, in a gap, the
  // instant the clock jumps, which is what the earlier offset gives).
  const candidates = [...new Set([wall - offsetAt(wall - 86_400_000, zone), wall - offsetAt(wall + 86_400_000, zone)])].sort((a, b) => a - b);
  const onDate = candidates.filter((instant) => localDate(instant, zone) === date);
  const midnight = onDate.find((instant) => {
    const c = wallClock(instant, zone);
    return c.hour === 0 && c.minute === 0 && c.second === 0;
  });
  const instant = midnight ?? onDate[0] ?? candidates[0]!;
  return new Date(instant).toISOString().replace('.000Z', 'Z');
}

/** [from, to) covering the local dates first … last (inclusive) in a zone. */
export function dateRange(first: string, last: string, zone: string): { from: string; to: string } {
  return { from: startOfDay(first, zone), to: startOfDay(addDays(last, 1), zone) };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, kind: 'dateTime' | 'time' | 'date', locale?: string): Intl.DateTimeFormat {
  const key = `${zone}|${kind}|${locale ?? ''}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'dateTime'
        ? { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }
        : kind === 'time'
          ? { hour: '2-digit', minute: '2-digit' }
          : { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    formatters.set(key, f);
  }
  return f;
}

export function formatDateTime(instant: string, zone: string, locale?: string): string {
  return formatter(zone, 'dateTime', locale).format(new Date(instant));
}

export function formatTime(instant: string, zone: string, locale?: string): string {
  return formatter(zone, 'time', locale).format(new Date(instant));
}

/** 'Mon 30 Mar 2026, 10:00–10:20' in a zone. */
export function formatSlot(start: string, end: string, zone: string, locale?: string): string {
  return `${formatDateTime(start, zone, locale)}–${formatTime(end, zone, locale)}`;
}

/** A local date 'YYYY-MM-DD' as 'Monday, 30 March 2026' (no zone involved: it is a date). */
export function formatLocalDate(date: string, locale?: string, style: 'long' | 'medium' = 'long'): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const options: Intl.DateTimeFormatOptions =
    style === 'long' ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } : { day: 'numeric', month: 'short', year: 'numeric' };
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** '4 h', '1 h 30 min', '2 days': a minute count for a hint. */
export function describeMinutes(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 0) return '';
  if (minutes === 0) return 'none';
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
