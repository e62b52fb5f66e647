// Google Calendar through googleapis. Two ways in: OAuth per interviewer (a refresh token from
// the consent flow, sealed at rest) and a service account with domain-wide delegation acting
// as the interviewer. Busy time is freebusy.query over the calendars they chose; the interview
// is an event with a fixed id made from the booking id, so a retried insert finds the event it
// made (409) and patches it instead of making a second one, and the Meet request id is made
// from the booking id too, so Google never makes a second meeting for one interview.
import { createHash } from 'node:crypto';
import type * as GoogleApi from '@googleapis/calendar';
import type { calendar_v3 } from '@googleapis/calendar';
import { CalendarError, kindOfStatus, type BusyInterval, type CalendarProvider, type InterviewEvent, type ProviderConnection, type UpsertResult } from './provider.js';

export type GoogleCredentials =
  | { kind: 'oauth'; refreshToken: string; email?: string }
  | { kind: 'service_account'; clientEmail: string; privateKey: string; subject: string };

/** The PM's own OAuth client (Google Cloud console → Credentials → OAuth client ID, type Web). */
export interface GoogleOAuthClient {
  clientId: string;
  clientSecret: string;
  /** Must be listed as an authorised redirect URI on the client: {PUBLIC_URL}/v1/calendars/google/callback. */
  redirectUri: string;
}

export type SendUpdates = 'all' | 'externalOnly' | 'none';

export interface GoogleProviderOptions {
  /** Per-call deadline in milliseconds. */
  timeoutMs: number;
  /** Calendar API root; Google's by default (tests point it at an emulation). */
  rootUrl?: string;
  /** OAuth token endpoint; Google's by default. */
  tokenUrl?: string;
  oauth?: GoogleOAuthClient;
  /** Whether Google emails the participant about the event: the same value on every insert, patch and delete. */
  sendUpdates?: SendUpdates;
  /** Retries of a busy-time read after 429/5xx within the deadline; writes are retried by the job worker. */
  readRetries?: number;
  /** First retry delay; doubles each time. */
  retryBaseMs?: number;
}

/** Only what Beckon uses: read free/busy, write its own events, and the account's address to label the connection. */
export const GOOGLE_SCOPES = [
  'openid',
  'email',
  'https://www.googleapis.com/auth/calendar.freebusy',
  'https://www.googleapis.com/auth/calendar.events',
];
/** What a Workspace admin grants the service account's client id in domain-wide delegation. */
export const GOOGLE_DELEGATION_SCOPES = ['https://www.googleapis.com/auth/calendar.freebusy', 'https://www.googleapis.com/auth/calendar.events'];

const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** Google event ids are base32hex (a–v, 0–9), 5–1024 characters: "beckon" and the booking uuid's hex fit. */
export function googleEventId(bookingId: string): string {
  return `beckon${bookingId.replace(/-/g, '').toLowerCase()}`;
}

/** The same request id for every attempt at one booking's meeting with one interviewer. */
export function meetRequestId(bookingId: string, hostId: string): string {
  // Per interviewer: an interview moved to another one gets a meeting of its own on their event.
  return `beckon-${bookingId}-${hostId}`;
}

type Google = typeof GoogleApi;
type AuthClient = InstanceType<Google['auth']['OAuth2']> | InstanceType<Google['auth']['JWT']>;

let googleApi: Promise<Google> | undefined;
/** googleapis (with google-auth-library and gaxios) is loaded on the first call to Google: many servers never make one. */
const loadGoogle = () => (googleApi ??= import('@googleapis/calendar'));

interface GaxiosLikeError {
  message?: string;
  name?: string;
  code?: string | number;
  status?: number;
  response?: { status?: number; data?: unknown; headers?: unknown };
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** A googleapis or google-auth-library error as the service needs it. */
export function googleError(error: unknown, what: string): CalendarError {
  if (error instanceof CalendarError) return error;
  const e = (error ?? {}) as GaxiosLikeError;
  const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
  const data = e.response?.data as { error?: unknown; error_description?: string } | undefined;
  const oauthError = typeof data?.error === 'string' ? data.error : undefined;
  if (oauthError === 'invalid_grant' || oauthError === 'unauthorized_client' || /\binvalid_grant\b/.test(e.message ?? '')) {
    return new CalendarError('revoked', `${what}: Google refused the stored grant (${oauthError ?? 'invalid_grant'}${data?.error_description ? `: ${data.error_description}` : ''}); reconnect the calendar`, status);
  }
  if (status === undefined) {
    const timedOut = e.name === 'AbortError' || e.name === 'TimeoutError' || /abort|timeout|timed out/i.test(e.message ?? '');
    return new CalendarError('transient', `${what}: ${timedOut ? 'timed out' : (e.message ?? 'network error')}`);
  }
  const apiError = (data?.error ?? undefined) as { message?: string; errors?: { reason?: string }[] } | undefined;
  const reasons = apiError?.errors?.map((item) => item.reason ?? '') ?? [];
  const retryAfter = Number(header(e.response?.headers, 'retry-after'));
  const detail = apiError?.message ? `: ${apiError.message}` : '';
  if (status === 401) return new CalendarError('revoked', `${what}: Google answered 401${detail}; reconnect the calendar`, status);
  if (status === 403 && reasons.some((reason) => /rateLimitExceeded|quotaExceeded/.test(reason))) {
    return new CalendarError('transient', `${what}: rate limited (403 ${reasons.join(',')})`, status, Number.isFinite(retryAfter) ? retryAfter : undefined);
  }
  return new CalendarError(kindOfStatus(status), `${what}: HTTP ${status}${detail}`, status, Number.isFinite(retryAfter) ? retryAfter : undefined);
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new CalendarError('transient', 'timed out'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(new CalendarError('transient', 'timed out'))), { once: true });
  });

function oauthClient(google: Google, oauth: GoogleOAuthClient, options: Pick<GoogleProviderOptions, 'tokenUrl' | 'timeoutMs'>) {
  return new google.auth.OAuth2({
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    redirectUri: oauth.redirectUri,
    ...(options.tokenUrl ? { endpoints: { oauth2TokenUrl: options.tokenUrl } } : {}),
    transporterOptions: { timeout: options.timeoutMs },
    // A 401 on a cached access token: refresh once and retry, so a revoked grant shows as invalid_grant.
    forceRefreshOnFailure: true,
  });
}

/** The consent page the interviewer is sent to; `state` comes back to the callback unchanged. */
export async function googleConsentUrl(oauth: GoogleOAuthClient, state: string, options: { authUrl?: string; loginHint?: string } = {}): Promise<string> {
  const google = await loadGoogle();
  const client = new google.auth.OAuth2({
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    redirectUri: oauth.redirectUri,
    ...(options.authUrl ? { endpoints: { oauth2AuthBaseUrl: options.authUrl } } : {}),
  });
  return client.generateAuthUrl({
    access_type: 'offline', // a refresh token, so Beckon can read busy time when nobody is signed in
    prompt: 'consent', // Google only hands out a refresh token on consent
    scope: GOOGLE_SCOPES,
    include_granted_scopes: true,
    state,
    ...(options.loginHint ? { login_hint: options.loginHint } : {}),
  });
}

/** Trades the callback's code for tokens; returns the refresh token and the account's address. */
export async function exchangeGoogleCode(
  oauth: GoogleOAuthClient,
  code: string,
  options: Pick<GoogleProviderOptions, 'tokenUrl' | 'timeoutMs'>,
): Promise<{ refreshToken: string; email: string | undefined }> {
  const client = oauthClient(await loadGoogle(), oauth, options);
  let tokens;
  try {
    ({ tokens } = await client.getToken(code));
  } catch (error) {
    throw googleError(error, 'Google token exchange');
  }
  if (!tokens.refresh_token) throw new CalendarError('permanent', 'Google sent no refresh token; remove Beckon from the account’s third-party access and connect again');
  let email: string | undefined;
  if (tokens.id_token) {
    try {
      // Straight from Google's token endpoint over TLS, so the claims need no signature check here.
      const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { email?: string };
      email = claims.email;
    } catch {
      email = undefined;
    }
  }
  return { refreshToken: tokens.refresh_token, email };
}

export function createGoogleProvider(options: GoogleProviderOptions): CalendarProvider<GoogleCredentials> {
  const clients = new Map<string, { fingerprint: string; client: AuthClient }>();
  const { timeoutMs, sendUpdates = 'all', readRetries = 2, retryBaseMs = 250 } = options;

  async function authFor(connection: ProviderConnection<GoogleCredentials>): Promise<AuthClient> {
    const credentials = connection.credentials;
    const fingerprint = createHash('sha256').update(JSON.stringify(credentials)).digest('hex');
    const cached = clients.get(connection.id);
    if (cached?.fingerprint === fingerprint) return cached.client; // keeps its access token until it expires
    const google = await loadGoogle();
    let client: AuthClient;
    if (credentials.kind === 'oauth') {
      if (!options.oauth) throw new CalendarError('permanent', 'Google OAuth is not configured on this server (GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET)');
      const oauth = oauthClient(google, options.oauth, options);
      oauth.setCredentials({ refresh_token: credentials.refreshToken });
      client = oauth;
    } else {
      const jwt = new google.auth.JWT({
        email: credentials.clientEmail,
        key: credentials.privateKey,
        subject: credentials.subject,
        scopes: GOOGLE_DELEGATION_SCOPES,
        transporterOptions: { timeout: timeoutMs },
        forceRefreshOnFailure: true,
      });
      const tokenUrl = options.tokenUrl;
      if (tokenUrl) {
        // The service-account flow posts to Google's fixed token URL; send it where configured.
        jwt.transporter.interceptors.request.add({
          resolved: async (config) => {
            if (String(config.url) === GOOGLE_TOKEN_URL) (config as { url: unknown }).url = typeof config.url === 'string' ? tokenUrl : new URL(tokenUrl);
            return config;
          },
        });
      }
      client = jwt;
    }
    clients.set(connection.id, { fingerprint, client });
    return client;
  }

  const api = async (connection: ProviderConnection<GoogleCredentials>) => {
    const [google, auth] = await Promise.all([loadGoogle(), authFor(connection)]);
    return google.calendar({ version: 'v3', auth, ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}) });
  };
  const callOptions = (signal: AbortSignal) => ({ timeout: timeoutMs, signal, retry: false });

  async function withReadRetries<T>(signal: AbortSignal, what: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (raw) {
        const error = googleError(raw, what);
        const retryable = error.kind === 'transient' && error.status !== undefined && !signal.aborted;
        if (!retryable || attempt >= readRetries) throw error;
        const delay = Math.min((error.retryAfterSeconds ?? 0) * 1000 || retryBaseMs * 2 ** attempt, 2_000);
        await sleep(delay * (0.8 + Math.random() * 0.4), signal);
      }
    }
  }

  function meetingUrlOf(event: calendar_v3.Schema$Event | undefined): string | undefined {
    if (!event) return undefined;
    return event.hangoutLink ?? event.conferenceData?.entryPoints?.find((entry) => entry.entryPointType === 'video')?.uri ?? undefined;
  }

  function eventBody(event: InterviewEvent): calendar_v3.Schema$Event {
    return {
      summary: event.summary,
      description: event.description,
      location: event.location ?? undefined,
      start: { dateTime: event.start.toISOString() },
      end: { dateTime: event.end.toISOString() },
      attendees: event.attendees.map((person) => ({ email: person.email, displayName: person.name, responseStatus: 'accepted' })),
      status: 'confirmed',
      transparency: 'opaque',
      guestsCanInviteOthers: false,
      guestsCanModify: false,
      extendedProperties: { private: { beckonBookingId: event.bookingId, beckonIcalUid: event.icalUid, beckonHostId: event.hostId } },
      ...(event.createMeet
        ? { conferenceData: { createRequest: { requestId: meetRequestId(event.bookingId, event.hostId), conferenceSolutionKey: { type: 'hangoutsMeet' } } } }
        : {}),
    };
  }

  return {
    name: 'google',

    async busy(connection, from, to, signal): Promise<BusyInterval[]> {
      const ids = connection.busyCalendarIds;
      if (ids.length === 0) return [];
      const calendar = await api(connection);
      const response = await withReadRetries(signal, 'Google freebusy.query', () =>
        calendar.freebusy.query({ requestBody: { timeMin: from.toISOString(), timeMax: to.toISOString(), items: ids.map((id) => ({ id })) } }, callOptions(signal)),
      );
      const intervals: BusyInterval[] = [];
      for (const id of ids) {
        const entry = response.data.calendars?.[id];
        // A calendar Google could not read is not a free calendar.
        if (!entry) throw new CalendarError('permanent', `Google freebusy.query: no answer for calendar ${id}`);
        if (entry.errors?.length) {
          const reasons = entry.errors.map((item) => item.reason ?? 'unknown');
          const transient = reasons.every((reason) => /backendError|internalError|rateLimitExceeded/.test(reason));
          throw new CalendarError(transient ? 'transient' : 'permanent', `Google freebusy.query: calendar ${id}: ${reasons.join(', ')}`);
        }
        for (const busy of entry.busy ?? []) {
          if (busy.start && busy.end) intervals.push({ start: new Date(busy.start), end: new Date(busy.end) });
        }
      }
      return intervals;
    },

    async upsertEvent(connection, event, signal): Promise<UpsertResult> {
      const calendarId = connection.writeCalendarId;
      if (!calendarId) throw new CalendarError('permanent', 'This connection has no calendar to write to');
      const calendar = await api(connection);
      const eventId = googleEventId(event.bookingId);
      const conferenceDataVersion = event.createMeet ? 1 : 0;
      const patch = async () =>
        (await calendar.events.patch({ calendarId, eventId, sendUpdates, conferenceDataVersion, requestBody: eventBody(event) }, callOptions(signal))).data;
      const insert = async () =>
        (await calendar.events.insert({ calendarId, sendUpdates, conferenceDataVersion, requestBody: { id: eventId, ...eventBody(event) } }, callOptions(signal))).data;
      let written: calendar_v3.Schema$Event;
      try {
        // A first write inserts; a later one (reschedule, retry) patches the event it made.
        written = event.sequence === 0 ? await insert() : await patch();
      } catch (raw) {
        const error = googleError(raw, event.sequence === 0 ? 'Google events.insert' : 'Google events.patch');
        if (event.sequence === 0 && error.status === 409) written = await patch().catch((again: unknown) => Promise.reject(googleError(again, 'Google events.patch')));
        else if (event.sequence > 0 && (error.status === 404 || error.status === 410)) written = await insert().catch((again: unknown) => Promise.reject(googleError(again, 'Google events.insert')));
        else throw error;
      }
      const meetingUrl = meetingUrlOf(written);
      if (event.createMeet && !meetingUrl) {
        const state = written.conferenceData?.createRequest?.status?.statusCode;
        // Google may make the meeting asynchronously: the retried job patches again and finds it.
        throw new CalendarError('transient', `Google Meet link not ready yet (${state ?? 'no conference data'})`);
      }
      return { eventId: written.id ?? eventId, ...(meetingUrl ? { meetingUrl } : {}) };
    },

    async deleteEvent(connection, event, signal) {
      const calendarId = connection.writeCalendarId;
      if (!calendarId) return;
      try {
        await (await api(connection)).events.delete({ calendarId, eventId: googleEventId(event.bookingId), sendUpdates: event.notifyAttendees === false ? 'none' : sendUpdates }, callOptions(signal));
      } catch (raw) {
        const error = googleError(raw, 'Google events.delete');
        if (error.status === 404 || error.status === 410) return; // already gone
        throw error;
      }
    },
  };
}
