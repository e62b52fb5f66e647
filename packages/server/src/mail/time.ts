// Times in emails: always in the reader's own IANA zone, always with the zone named, and all
// local-time work done by Intl (no offset arithmetic here).

export interface ZonedTimes {
  /** "Monday, March 16, 2026, 3:00 – 3:20 PM" (both dates when the interview crosses midnight). */
  range: string;
  /** "Central European Standard Time (Europe/Berlin)". */
  zone: string;
  /** For subjects: "Mon, Mar 16, 3:00 PM GMT+1". */
  short: string;
  /** "3:00 PM", the start time alone. */
  startTime: string;
  /** "Monday, March 16", the day alone. */
  day: string;
}

const DEFAULT_LOCALE = 'en-US';

/** Intl puts narrow and thin no-break spaces in times; plain spaces survive every mail client. */
const plainSpaces = (value: string) => value.replace(/[\u202f\u2009\u00a0]/g, ' ');

/** A zone Intl does not know (it was validated at booking, so this is belt and braces) falls back to UTC, named as such. */
function usableZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

function usableLocale(locale: string | undefined): string {
  if (!locale) return DEFAULT_LOCALE;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0 ? locale : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

function zoneName(date: Date, timeZone: string, locale: string, style: 'long' | 'short'): string {
  const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: style }).formatToParts(date);
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

export function formatTimes(startsAt: Date, endsAt: Date, timeZone: string, locale?: string): ZonedTimes {
  const zone = usableZone(timeZone);
  const loc = usableLocale(locale);
  const full = new Intl.DateTimeFormat(loc, {
    timeZone: zone,
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
  const short = new Intl.DateTimeFormat(loc, {
    timeZone: zone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  const time = new Intl.DateTimeFormat(loc, { timeZone: zone, hour: 'numeric', minute: '2-digit' });
  return {
    range: plainSpaces(full.formatRange(startsAt, endsAt)),
    zone: `${zoneName(startsAt, zone, loc, 'long')} (${zone})`,
    short: plainSpaces(short.format(startsAt)),
    startTime: plainSpaces(time.format(startsAt)),
    day: plainSpaces(new Intl.DateTimeFormat(loc, { timeZone: zone, weekday: 'long', month: 'long', day: 'numeric' }).format(startsAt)),
  };
}

/** "20 minutes", "1 hour", "1 hour 30 minutes". */
export function formatDuration(startsAt: Date, endsAt: Date): string {
  const minutes = Math.max(0, Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const h = hours === 1 ? '1 hour' : `${hours} hours`;
  const m = rest === 1 ? '1 minute' : `${rest} minutes`;
  if (hours === 0) return m;
  return rest === 0 ? h : `${h} ${m}`;
}

export function durationMinutes(startsAt: Date, endsAt: Date): number {
  return Math.max(0, Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000));
}
