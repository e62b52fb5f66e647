// Calendar connections as the member screen shows them, and the connect forms' checks
// (what docs/calendars.md says each kind of connection needs).
import type { CalendarChoiceUpdate } from '@beckon/shared/api';
import type { CalDavConnect, CalendarConnection, CalendarProvider, GoogleServiceAccountConnect } from '../types.js';
import type { FieldProblem } from './fields.js';

export const PROVIDER_LABELS: Record<CalendarProvider, string> = {
  google: 'Google Calendar',
  microsoft: 'Microsoft 365 / Outlook',
  caldav: 'CalDAV',
  builtin: 'Built-in (Beckon only)',
};

/** CalDAV services with a known server address, and where their app-specific passwords are made. */
export const CALDAV_SERVICES = [
  {
    value: 'icloud',
    label: 'iCloud',
    serverUrl: 'https://caldav.icloud.com',
    username: 'The Apple Account email',
    password: 'At account.apple.com → Sign-In and Security → App-Specific Passwords (two-factor authentication must be on)',
  },
  {
    value: 'fastmail',
    label: 'Fastmail',
    serverUrl: 'https://caldav.fastmail.com',
    username: 'The full Fastmail address',
    password: 'In Fastmail: Settings → Privacy & Security → Manage app passwords, with access to Calendars (CalDAV)',
  },
  {
    value: 'nextcloud',
    label: 'Nextcloud',
    serverUrl: '',
    username: 'The Nextcloud user name',
    password: 'In Nextcloud: Personal settings → Security → Create new app password',
  },
  {
    value: 'other',
    label: 'Another CalDAV server',
    serverUrl: '',
    username: 'As the calendar server expects it',
    password: 'An app-specific password if the server offers them',
  },
] as const;
export type CalDavService = (typeof CALDAV_SERVICES)[number]['value'];

/**
 * A calendar as a person reads it: Google's 'primary', or the last part of a CalDAV calendar's
 * URL ('…/calendars/maya/work/' → 'work') when the name the server gave it is not known.
 */
export function calendarName(idOrUrl: string, known: ReadonlyMap<string, string> = new Map()): string {
  const named = known.get(idOrUrl);
  if (named) return named;
  if (idOrUrl === 'primary') return 'Primary calendar';
  try {
    const segments = new URL(idOrUrl).pathname.split('/').filter(Boolean);
    const last = segments[segments.length - 1];
    return last ? decodeURIComponent(last) : idOrUrl;
  } catch {
    return idOrUrl;
  }
}

/** Where busy time comes from, in a sentence fragment. */
export function describeBusyCalendars(connection: Pick<CalendarConnection, 'provider' | 'busyCalendarIds'>, known: ReadonlyMap<string, string> = new Map()): string {
  if (connection.provider === 'builtin') return 'Beckon bookings only';
  const ids = connection.busyCalendarIds;
  if (ids.length === 0) return 'None';
  // Microsoft's calendar ids say nothing to a person: their names, or how many there are until the names are known.
  if (connection.provider === 'microsoft' && !ids.every((id) => known.has(id))) return ids.length === 1 ? 'An Outlook calendar' : `${ids.length} Outlook calendars`;
  return ids.map((id) => calendarName(id, known)).join(', ');
}

/** Where interviews are written, in a sentence fragment. */
export function describeWriteCalendar(connection: Pick<CalendarConnection, 'provider' | 'writeCalendarId'>, known: ReadonlyMap<string, string> = new Map()): string {
  if (connection.provider === 'builtin') return 'The invite in the confirmation email';
  if (!connection.writeCalendarId) return 'Not written to this calendar';
  if (connection.provider === 'microsoft' && !known.has(connection.writeCalendarId)) return 'An Outlook calendar';
  return calendarName(connection.writeCalendarId, known);
}

/** A refused connect attempt, said for the PM: the server's terse network errors get context. */
export function connectErrorMessage(error: { code: string; message: string }): string {
  if (error.code === 'calendar_unreachable') return `Beckon could not reach the calendar server (${error.message}). Check the address and try again.`;
  return error.message;
}

/** What to do about a broken connection, for the member's PM. */
export function brokenConnectionFix(provider: CalendarProvider, memberName: string): string {
  if (provider === 'google') {
    return `Create a new Google sign-in link and have ${memberName} open it: signing in again replaces this connection.`;
  }
  if (provider === 'microsoft') {
    return `Create a new Microsoft sign-in link and have ${memberName} open it: signing in again replaces this connection.`;
  }
  if (provider === 'caldav') {
    return 'The password was probably changed or revoked. Reconnect with a new app-specific password; the broken connection is removed once the new one works.';
  }
  return 'Remove this connection and connect the calendar again.';
}

export interface CalDavDraft {
  service: CalDavService;
  serverUrl: string;
  username: string;
  password: string;
  label: string;
}

export function emptyCalDavDraft(service: CalDavService = 'icloud'): CalDavDraft {
  return { service, serverUrl: CALDAV_SERVICES.find((s) => s.value === service)!.serverUrl, username: '', password: '', label: '' };
}

/** The POST body for a CalDAV connection, or the problems that keep it from being sent. */
export function calDavFromDraft(draft: CalDavDraft): { body: CalDavConnect } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const serverUrl = draft.serverUrl.trim();
  let url: URL | undefined;
  try {
    url = new URL(serverUrl);
  } catch {
    url = undefined;
  }
  if (!serverUrl) problems.push({ field: 'serverUrl', message: 'Enter the CalDAV server address' });
  else if (!url || !/^https?:$/.test(url.protocol) || !/^https?:\/\//i.test(serverUrl)) {
    problems.push({ field: 'serverUrl', message: 'Enter the server address starting with https://, e.g. https://caldav.fastmail.com' });
  } else if (serverUrl.length > 2048) problems.push({ field: 'serverUrl', message: 'The address must be at most 2048 characters' });
  const username = draft.username.trim();
  if (!username) problems.push({ field: 'username', message: 'Enter the user name' });
  else if (username.length > 320) problems.push({ field: 'username', message: 'The user name must be at most 320 characters' });
  // Passwords are sent as typed: spaces can be part of them (Apple shows them in groups).
  if (!draft.password) problems.push({ field: 'password', message: 'Enter the app-specific password' });
  else if (draft.password.length > 1024) problems.push({ field: 'password', message: 'The password must be at most 1024 characters' });
  const label = draft.label.trim();
  if (label.length > 120) problems.push({ field: 'label', message: 'The name must be at most 120 characters' });
  if (problems.length > 0) return { problems };
  return { body: { provider: 'caldav', serverUrl, username, password: draft.password, ...(label ? { label } : {}) } };
}

export interface ServiceAccountDraft {
  /** The JSON key file as downloaded from Google Cloud. */
  keyFile: string;
  subject: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The POST body for a Google service account, read from its key file, or the problems with it. */
export function serviceAccountFromDraft(draft: ServiceAccountDraft): { body: GoogleServiceAccountConnect } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  let key: { client_email?: unknown; private_key?: unknown; type?: unknown } | undefined;
  if (!draft.keyFile.trim()) problems.push({ field: 'keyFile', message: 'Paste the service account’s JSON key file' });
  else {
    try {
      const parsed: unknown = JSON.parse(draft.keyFile);
      key = typeof parsed === 'object' && parsed !== null ? (parsed as typeof key) : undefined;
    } catch {
      key = undefined;
    }
    if (!key) problems.push({ field: 'keyFile', message: 'This is not a JSON key file: paste the whole file, from { to }' });
    else if (typeof key.client_email !== 'string' || typeof key.private_key !== 'string' || !key.private_key.includes('PRIVATE KEY')) {
      problems.push({ field: 'keyFile', message: 'The key file has no client_email and private_key: download a JSON key of the service account (Keys → Add key → JSON)' });
    }
  }
  const subject = draft.subject.trim();
  if (subject && !EMAIL.test(subject)) problems.push({ field: 'subject', message: 'Enter the email address of the Workspace user, e.g. maya@example.com' });
  if (problems.length > 0 || !key) return { problems };
  return {
    body: { provider: 'google', mode: 'service_account', clientEmail: key.client_email as string, privateKey: key.private_key as string, ...(subject ? { subject } : {}) },
  };
}

/** The server names the key file's parts; the form has one control for the whole file. */
export function serviceAccountField(field: string | undefined): string | undefined {
  return field === 'clientEmail' || field === 'privateKey' ? 'keyFile' : field;
}

/** What the calendar choice form holds: the busy calendars and the one for interviews ('' for none). */
export interface CalendarChoiceDraft {
  busy: string[];
  write: string;
}

export const choiceDraftOf = (connection: Pick<CalendarConnection, 'busyCalendarIds' | 'writeCalendarId'>): CalendarChoiceDraft => ({
  busy: [...connection.busyCalendarIds],
  write: connection.writeCalendarId ?? '',
});

/** Google calendar ids typed one per line (or comma-separated), as the choice takes them. */
export const calendarIdsOfText = (text: string): string[] => [...new Set(text.split(/[\n,]/).map((id) => id.trim()).filter(Boolean))];

/** The PATCH body for a choice, or what is wrong with it; null when it changes nothing. */
export function calendarChoiceFromDraft(
  draft: CalendarChoiceDraft,
  connection: Pick<CalendarConnection, 'busyCalendarIds' | 'writeCalendarId'>,
): { body: CalendarChoiceUpdate | null } | { problems: FieldProblem[] } {
  const busy = [...new Set(draft.busy.map((id) => id.trim()).filter(Boolean))];
  const write = draft.write.trim();
  if (busy.length === 0) return { problems: [{ field: 'busyCalendarIds', message: 'Choose at least one calendar to check for busy time' }] };
  const sameBusy = busy.length === connection.busyCalendarIds.length && busy.every((id) => connection.busyCalendarIds.includes(id));
  if (sameBusy && write === (connection.writeCalendarId ?? '')) return { body: null };
  return { body: { busyCalendarIds: busy, writeCalendarId: write || null } };
}
