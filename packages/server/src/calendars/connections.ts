// Adding, listing and removing a member's calendar connections. Every connection is checked by
// using it before it is stored (CalDAV: log in and discover calendars; Google: read free/busy;
// Microsoft: list the account's calendars),
// credentials are sealed with the server's key, and nothing here ever returns them.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, isNotNull } from 'drizzle-orm';
import type { Database, Transaction } from '../db/client.js';
import { bookings, calendarConnections, members } from '../db/schema.js';
import type { NewJob, WriteCalendar } from '../jobs/kinds.js';
import { enqueue } from '../jobs/queue.js';
import { notFound, unprocessable } from '../errors.js';
import type { CalDavCredentials, DiscoveredCalendar } from './caldav.js';
import type { GoogleCredentials } from './google.js';
import type { MicrosoftCalendar, MicrosoftCredentials } from './microsoft.js';
import { CalendarError, type ProviderConnection } from './provider.js';
import type { CalendarService } from './service.js';

type ConnectionRow = typeof calendarConnections.$inferSelect;

/** A connection as the admin API shows it: never its credentials. */
export interface PublicConnection {
  id: string;
  provider: 'google' | 'microsoft' | 'caldav' | 'builtin';
  label: string;
  status: 'active' | 'broken';
  lastError: string | null;
  busyCalendarIds: string[];
  writeCalendarId: string | null;
  createdAt: string;
}

export function publicConnection(row: ConnectionRow): PublicConnection {
  return {
    id: row.id,
    provider: row.provider,
    label: row.label,
    status: row.status,
    lastError: row.lastError,
    busyCalendarIds: row.busyCalendarIds,
    writeCalendarId: row.writeCalendarId,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listConnections(db: Database, memberId: string): Promise<ConnectionRow[]> {
  return db.select().from(calendarConnections).where(eq(calendarConnections.memberId, memberId)).orderBy(asc(calendarConnections.createdAt));
}

/** Stored credentials that stopped working: nothing to fix in the choice, the connection needs reconnecting. */
const STORED_CREDENTIALS_REFUSED = 'stored';

function connectError(error: unknown, field?: string, credentialsField = 'password'): never {
  if (error instanceof CalendarError) {
    if (error.kind === 'revoked' && credentialsField === STORED_CREDENTIALS_REFUSED) {
      throw unprocessable('calendar_auth_failed', `${error.message}. Reconnect this calendar, then choose its calendars again`);
    }
    if (error.kind === 'revoked') throw unprocessable('calendar_auth_failed', `${error.message}`, field ?? credentialsField);
    throw unprocessable('calendar_unreachable', error.message, field);
  }
  throw error;
}

/**
 * At most one calendar per member takes the interviews: the newest choice wins. The upcoming
 * interviews' events move with it: each is written to the new calendar and removed from the old.
 */
async function releaseWriteCalendar(tx: Transaction, memberId: string): Promise<void> {
  // One change of a member's write calendar at a time (the unique index would refuse the second).
  await tx.select({ id: members.id }).from(members).where(eq(members.id, memberId)).for('update');
  const [current] = await tx
    .select({ id: calendarConnections.id, writeCalendarId: calendarConnections.writeCalendarId })
    .from(calendarConnections)
    .where(and(eq(calendarConnections.memberId, memberId), isNotNull(calendarConnections.writeCalendarId)))
    .orderBy(asc(calendarConnections.createdAt))
    .limit(1);
  if (current) await moveUpcomingEvents(tx, memberId, { connectionId: current.id, calendarId: current.writeCalendarId! });
  await tx
    .update(calendarConnections)
    .set({ writeCalendarId: null, updatedAt: new Date() })
    .where(and(eq(calendarConnections.memberId, memberId), isNotNull(calendarConnections.writeCalendarId)));
}

async function moveUpcomingEvents(tx: Transaction, hostId: string, previousCalendar: WriteCalendar): Promise<void> {
  const upcoming = await tx
    .select({ id: bookings.id })
    .from(bookings)
    .where(and(eq(bookings.hostId, hostId), eq(bookings.status, 'confirmed'), gt(bookings.endsAt, new Date())));
  await enqueue(tx, ...upcoming.map((booking): NewJob => ({ kind: 'calendar.upsert', payload: { bookingId: booking.id, previousCalendar } })));
}

async function insertConnection(
  service: CalendarService,
  memberId: string,
  values: Omit<typeof calendarConnections.$inferInsert, 'memberId' | 'credentialsEncrypted'> & { credentials: unknown },
): Promise<ConnectionRow> {
  const { db, secretBox } = service.options;
  const { credentials, ...rest } = values;
  const row = await db.transaction(async (tx) => {
    if (rest.writeCalendarId) await releaseWriteCalendar(tx, memberId);
    const [inserted] = await tx
      .insert(calendarConnections)
      .values({ ...rest, memberId, credentialsEncrypted: credentials === null ? null : secretBox.seal(JSON.stringify(credentials)) })
      .returning();
    return inserted!;
  });
  await service.connectionsChanged(memberId);
  return row;
}

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/** The account's calendar a URL (full, or its path) names, as its full URL; a 422 at `field` if none. */
function pickCalDavCalendar(calendars: DiscoveredCalendar[], url: string, field: string): string {
  const match = calendars.find((calendar) => sameUrl(calendar.url, url) || sameUrl(new URL(calendar.url).pathname, url));
  if (!match) throw unprocessable('calendar_not_found', `No calendar ${url} in this account; found: ${calendars.map((c) => c.url).join(', ')}`, field);
  return match.url;
}

export interface CalDavConnectInput {
  serverUrl: string;
  username: string;
  password: string;
  label?: string;
  /** Calendars to check for busy time; every event calendar by default. */
  busyCalendarUrls?: string[];
  /** The calendar interviews go to; none by default when several exist and none is named, else the only one. */
  writeCalendarUrl?: string | null;
}

/** CalDAV's module (tsdav, ical.js) is imported when a CalDAV account is first connected or listed. */
async function discoverCalDavLazily(...args: Parameters<typeof import('./caldav.js').discoverCalDav>) {
  const { discoverCalDav } = await import('./caldav.js');
  return discoverCalDav(...args);
}

export async function connectCalDav(
  service: CalendarService,
  member: { id: string; email: string },
  input: CalDavConnectInput,
): Promise<{ connection: ConnectionRow; calendars: DiscoveredCalendar[] }> {
  const base = { serverUrl: input.serverUrl, username: input.username, password: input.password };
  const found = await service.withDeadline((signal) => discoverCalDavLazily(base, signal, { allowPrivateNetworks: service.options.caldavAllowPrivateNetworks })).catch((error: unknown) => connectError(error));
  const calendars = found.calendars.filter((calendar) => calendar.events);
  if (calendars.length === 0) throw unprocessable('no_calendars', 'This account has no calendars with events', 'serverUrl');
  const pick = (url: string, field: string) => pickCalDavCalendar(calendars, url, field);
  const busy = input.busyCalendarUrls?.length ? input.busyCalendarUrls.map((url, i) => pick(url, `busyCalendarUrls.${i}`)) : calendars.map((c) => c.url);
  const write = input.writeCalendarUrl ? pick(input.writeCalendarUrl, 'writeCalendarUrl') : input.writeCalendarUrl === null ? null : calendars.length === 1 ? calendars[0]!.url : null;
  const credentials: CalDavCredentials = { ...base, addresses: found.addresses };
  const connection = await insertConnection(service, member.id, {
    provider: 'caldav',
    label: input.label ?? `${input.username} @ ${new URL(input.serverUrl).host}`,
    credentials,
    busyCalendarIds: [...new Set(busy)],
    writeCalendarId: write,
  });
  return { connection, calendars };
}

export interface GoogleServiceAccountInput {
  /** The service account's key file (JSON) as downloaded from Google Cloud, or its two fields. */
  clientEmail: string;
  privateKey: string;
  /** The Workspace user to act as; the member's email by default. */
  subject?: string;
  busyCalendarIds?: string[];
  writeCalendarId?: string | null;
  label?: string;
}

async function checkGoogle(
  service: CalendarService,
  member: { id: string; email: string },
  credentials: GoogleCredentials,
  busyCalendarIds: string[],
  fields: { field?: string; credentialsField: string } = { field: 'privateKey', credentialsField: 'privateKey' },
): Promise<void> {
  const probe: ProviderConnection<GoogleCredentials> = {
    id: `probe-${member.id}-${Date.now()}`,
    memberId: member.id,
    provider: 'google',
    credentials,
    busyCalendarIds,
    writeCalendarId: null,
    host: { email: member.email, name: '', timeZone: 'UTC' },
  };
  const from = new Date();
  await service
    .withDeadline((signal) => service.providers.google.busy(probe as never, from, new Date(from.getTime() + 3_600_000), signal))
    .catch((error: unknown) => connectError(error, fields.field, fields.credentialsField));
}

export async function connectGoogleServiceAccount(service: CalendarService, member: { id: string; email: string }, input: GoogleServiceAccountInput): Promise<ConnectionRow> {
  const subject = input.subject ?? member.email;
  const credentials: GoogleCredentials = { kind: 'service_account', clientEmail: input.clientEmail, privateKey: input.privateKey, subject };
  const busy = input.busyCalendarIds?.length ? input.busyCalendarIds : ['primary'];
  await checkGoogle(service, member, credentials, busy);
  return insertConnection(service, member.id, {
    provider: 'google',
    label: `${subject} (Google Workspace)`,
    credentials,
    busyCalendarIds: busy,
    writeCalendarId: input.writeCalendarId === null ? null : (input.writeCalendarId ?? 'primary'),
  });
}

export async function connectGoogleOAuth(service: CalendarService, member: { id: string; email: string }, input: { refreshToken: string; email?: string }): Promise<ConnectionRow> {
  const credentials: GoogleCredentials = { kind: 'oauth', refreshToken: input.refreshToken, ...(input.email ? { email: input.email } : {}) };
  await checkGoogle(service, member, credentials, ['primary']);
  // Reconnecting the same Google account replaces the broken connection rather than adding one.
  const { db } = service.options;
  if (input.email) {
    const existing = (await listConnections(db, member.id)).filter((row) => row.provider === 'google' && row.label === `${input.email} (Google)`);
    for (const row of existing) await db.delete(calendarConnections).where(eq(calendarConnections.id, row.id));
  }
  return insertConnection(service, member.id, {
    provider: 'google',
    label: `${input.email ?? member.email} (Google)`,
    credentials,
    busyCalendarIds: ['primary'],
    writeCalendarId: 'primary',
  });
}

/** A connection as the Microsoft provider sees it, before or after it is stored. */
function microsoftConnection(
  id: string,
  member: { id: string; email: string },
  credentials: MicrosoftCredentials,
  calendars: Pick<ProviderConnection, 'busyCalendarIds' | 'writeCalendarId'> = { busyCalendarIds: [], writeCalendarId: null },
): ProviderConnection<MicrosoftCredentials> {
  return { id, memberId: member.id, provider: 'microsoft', credentials, ...calendars, host: { email: member.email, name: '', timeZone: 'UTC' } };
}

/** The account's calendars, listed with its grant; a refused grant is a 422 as `connectError` says. */
async function microsoftCalendarsOf(service: CalendarService, connection: ProviderConnection<MicrosoftCredentials>, credentialsField: string): Promise<MicrosoftCalendar[]> {
  const calendars = await service
    .withDeadline((signal) => service.microsoft.listCalendars(connection, signal))
    .catch((error: unknown) => connectError(error, credentialsField === STORED_CREDENTIALS_REFUSED ? 'busyCalendarIds' : undefined, credentialsField));
  if (calendars.length === 0) throw unprocessable('no_calendars', 'This Microsoft account has no calendars', 'busyCalendarIds');
  return calendars;
}

const discoveredOf = (calendars: MicrosoftCalendar[]): DiscoveredCalendar[] => calendars.map((calendar) => ({ url: calendar.id, displayName: calendar.name, events: true }));

/**
 * Stores the grant of a member who signed in with Microsoft: their default calendar counts for
 * busy time and takes the interviews (they can choose others later). Checked by listing the
 * account's calendars with it.
 */
export async function connectMicrosoftOAuth(service: CalendarService, member: { id: string; email: string }, input: { refreshToken: string; email?: string }): Promise<ConnectionRow> {
  const credentials: MicrosoftCredentials = { kind: 'oauth', refreshToken: input.refreshToken, ...(input.email ? { email: input.email } : {}) };
  // The row's id is chosen now: the access token fetched for the check is the stored connection's.
  const id = randomUUID();
  const calendars = await microsoftCalendarsOf(service, microsoftConnection(id, member, credentials), 'code');
  const main = calendars.find((calendar) => calendar.isDefaultCalendar) ?? calendars.find((calendar) => calendar.canEdit) ?? calendars[0]!;
  const label = `${input.email ?? member.email} (Microsoft)`;
  // Signing in with the same account again replaces the (broken) connection rather than adding one.
  const { db } = service.options;
  const existing = (await listConnections(db, member.id)).filter((row) => row.provider === 'microsoft' && row.label === label);
  for (const row of existing) await db.delete(calendarConnections).where(eq(calendarConnections.id, row.id));
  return insertConnection(service, member.id, {
    id,
    provider: 'microsoft',
    label,
    credentials,
    busyCalendarIds: [main.id],
    writeCalendarId: main.canEdit ? main.id : null,
  });
}

export async function connectBuiltin(service: CalendarService, memberId: string): Promise<ConnectionRow> {
  return insertConnection(service, memberId, { provider: 'builtin', label: 'Beckon calendar', credentials: null, busyCalendarIds: [], writeCalendarId: null });
}

export interface CalendarChoiceUpdate {
  busyCalendarIds?: string[];
  writeCalendarId?: string | null;
}

const credentialsOf = <Credentials>(service: CalendarService, row: ConnectionRow): Credentials => JSON.parse(service.options.secretBox.open(row.credentialsEncrypted!)) as Credentials;

async function findConnection(db: Database, memberId: string, connectionId: string): Promise<ConnectionRow> {
  const [row] = await db.select().from(calendarConnections).where(and(eq(calendarConnections.memberId, memberId), eq(calendarConnections.id, connectionId)));
  if (!row) throw notFound('calendar_not_found', 'No such calendar connection for this member');
  return row;
}

/** A CalDAV connection's event calendars, listed again with its stored password. */
async function calDavCalendarsOf(service: CalendarService, row: ConnectionRow): Promise<DiscoveredCalendar[]> {
  const credentials = credentialsOf<CalDavCredentials>(service, row);
  const found = await service
    .withDeadline((signal) => discoverCalDavLazily(credentials, signal, { allowPrivateNetworks: service.options.caldavAllowPrivateNetworks }))
    .catch((error: unknown) => connectError(error, 'busyCalendarIds', STORED_CREDENTIALS_REFUSED));
  return found.calendars.filter((calendar) => calendar.events);
}

/** A Microsoft connection's calendars, listed again with its stored grant. */
async function storedMicrosoftCalendars(service: CalendarService, member: { id: string; email: string }, row: ConnectionRow): Promise<MicrosoftCalendar[]> {
  return microsoftCalendarsOf(service, microsoftConnection(row.id, member, credentialsOf<MicrosoftCredentials>(service, row)), STORED_CREDENTIALS_REFUSED);
}

/**
 * The calendars a connection can choose from: a CalDAV or Microsoft account's, listed live.
 * Google's are not listed (Beckon asks only for free/busy and events access), so there the ids
 * are typed in.
 */
export async function connectionCalendars(service: CalendarService, member: { id: string; email: string }, connectionId: string): Promise<DiscoveredCalendar[] | undefined> {
  const row = await findConnection(service.options.db, member.id, connectionId);
  if (row.provider === 'caldav') return calDavCalendarsOf(service, row);
  if (row.provider === 'microsoft') return discoveredOf(await storedMicrosoftCalendars(service, member, row));
  return undefined;
}

/** The id of one of the account's calendars, or a 422 at `field` naming the ones there are. */
function pickMicrosoftCalendar(calendars: MicrosoftCalendar[], id: string, field: string): MicrosoftCalendar {
  const match = calendars.find((calendar) => calendar.id === id);
  if (!match) throw unprocessable('calendar_not_found', `No calendar ${id} in this Microsoft account; it has: ${calendars.map((c) => `${c.name} (${c.id})`).join(', ')}`, field);
  return match;
}

/**
 * Changes which calendars a connection reads for busy time and writes interviews to, with the
 * credentials it already has: CalDAV choices are checked against the account's calendars, Google
 * busy calendars by reading their free/busy.
 */
export async function updateConnectionCalendars(
  service: CalendarService,
  member: { id: string; email: string },
  connectionId: string,
  update: CalendarChoiceUpdate,
): Promise<{ connection: ConnectionRow; calendars?: DiscoveredCalendar[] }> {
  const { db } = service.options;
  const row = await findConnection(db, member.id, connectionId);
  if (row.provider === 'builtin') throw unprocessable('no_calendars', 'The built-in calendar has no calendars to choose', 'busyCalendarIds');
  let busy = update.busyCalendarIds ? [...new Set(update.busyCalendarIds)] : row.busyCalendarIds;
  let write = update.writeCalendarId === undefined ? row.writeCalendarId : update.writeCalendarId;
  let calendars: DiscoveredCalendar[] | undefined;
  if (row.provider === 'caldav') {
    calendars = await calDavCalendarsOf(service, row);
    busy = busy.map((url, i) => pickCalDavCalendar(calendars!, url, `busyCalendarIds.${i}`));
    if (write) write = pickCalDavCalendar(calendars, write, 'writeCalendarId');
  } else if (row.provider === 'microsoft') {
    const listed = await storedMicrosoftCalendars(service, member, row);
    calendars = discoveredOf(listed);
    busy.forEach((id, i) => pickMicrosoftCalendar(listed, id, `busyCalendarIds.${i}`));
    if (write && !pickMicrosoftCalendar(listed, write, 'writeCalendarId').canEdit) {
      throw unprocessable('calendar_read_only', 'This calendar is shared with the account read-only: interviews cannot be added to it', 'writeCalendarId');
    }
  } else {
    const credentials = credentialsOf<GoogleCredentials>(service, row);
    const checked = { credentialsField: STORED_CREDENTIALS_REFUSED };
    if (update.busyCalendarIds) await checkGoogle(service, member, credentials, busy, { ...checked, field: 'busyCalendarIds' });
    // A calendar Google will not show is one it will not take events on either.
    if (write && write !== row.writeCalendarId && !busy.includes(write)) await checkGoogle(service, member, credentials, [write], { ...checked, field: 'writeCalendarId' });
  }
  const connection = await db.transaction(async (tx) => {
    if (write && write !== row.writeCalendarId) await releaseWriteCalendar(tx, member.id);
    else if (!write && row.writeCalendarId) await moveUpcomingEvents(tx, member.id, { connectionId: row.id, calendarId: row.writeCalendarId });
    const [updated] = await tx.update(calendarConnections).set({ busyCalendarIds: busy, writeCalendarId: write, updatedAt: new Date() }).where(eq(calendarConnections.id, row.id)).returning();
    if (!updated) throw notFound('calendar_not_found', 'This calendar connection was removed meanwhile');
    return updated;
  });
  await service.connectionsChanged(member.id);
  return { connection, ...(calendars ? { calendars } : {}) };
}

export async function removeConnection(service: CalendarService, memberId: string, connectionId: string): Promise<boolean> {
  const { db } = service.options;
  const deleted = await db
    .delete(calendarConnections)
    .where(and(eq(calendarConnections.memberId, memberId), eq(calendarConnections.id, connectionId)))
    .returning({ id: calendarConnections.id });
  await service.connectionsChanged(memberId);
  return deleted.length > 0;
}
