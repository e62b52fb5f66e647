// Zoom's documented OAuth and REST endpoints, called with plain fetch: Zoom publishes no
// maintained Node SDK for its REST API (its npm packages are the Meeting and Video SDKs that run
// a call in the browser), and Beckon needs only these few calls:
//   GET  {oauth}/oauth/authorize           the consent page (authorization code grant, user-level app)
//   POST {oauth}/oauth/token               authorization_code and refresh_token grants (HTTP Basic client auth);
//                                          Zoom rotates the refresh token on every refresh
//   GET  {api}/users/me                    the account connected, to label it
//   POST {api}/users/me/meetings           a scheduled meeting (type 2) for one interview
//   GET  {api}/users/me/meetings           the account's upcoming meetings (to find one whose answer was lost)
//   PATCH/DELETE {api}/meetings/{id}       the interview moved or cancelled
// Failures come back as CalendarError, so the job worker and the broken-connection handling
// treat Zoom as they treat a calendar: `revoked` needs the member to connect again, `transient`
// is retried with backoff, `permanent` is kept on the job for the team to read.
import { CalendarError, kindOfStatus } from './provider.js';

/** The deployment's Zoom app and where Zoom is (tests: a local emulation). */
export interface ZoomApp {
  clientId: string;
  clientSecret: string;
  /** The consent page and token endpoint's origin: https://zoom.us */
  oauthUrl: string;
  /** The REST API's root: https://api.zoom.us/v2 */
  apiUrl: string;
  /** Registered on the app as its redirect URL: {PUBLIC_URL}/v1/zoom/callback. */
  redirectUri: string;
}

export interface ZoomTokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token stops working, in epoch milliseconds. */
  expiresAt: number;
}

export interface ZoomMeetingFields {
  topic: string;
  start: Date;
  durationMinutes: number;
  /** Carries the booking's id, so a meeting made by a request whose answer was lost can be found. */
  agenda: string;
}

export interface ZoomMeeting {
  id: string;
  joinUrl: string;
  agenda?: string;
}

/** Zoom's documented start_time for UTC: yyyy-MM-ddTHH:mm:ssZ (no fractions). */
export const zoomStartTime = (start: Date) => `${start.toISOString().slice(0, 19)}Z`;

export function zoomConsentUrl(app: ZoomApp, state: string): string {
  const url = new URL('/oauth/authorize', app.oauthUrl);
  url.search = new URLSearchParams({ response_type: 'code', client_id: app.clientId, redirect_uri: app.redirectUri, state }).toString();
  return url.toString();
}

async function bodyOf(response: Response): Promise<Record<string, unknown> | undefined> {
  const text = await response.text().catch(() => '');
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function networkError(error: unknown, what: string): CalendarError {
  if (error instanceof CalendarError) return error;
  const e = error as { name?: string; message?: string } | undefined;
  const timedOut = e?.name === 'TimeoutError' || e?.name === 'AbortError';
  return new CalendarError('transient', `${what}: ${timedOut ? 'timed out' : (e?.message ?? 'network error')}`);
}

async function tokenRequest(app: ZoomApp, form: Record<string, string>, what: string, signal: AbortSignal): Promise<ZoomTokens> {
  let response: Response;
  try {
    response = await fetch(new URL('/oauth/token', app.oauthUrl), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams(form).toString(),
      signal,
    });
  } catch (error) {
    throw networkError(error, what);
  }
  const body = await bodyOf(response);
  if (!response.ok) {
    const error = typeof body?.error === 'string' ? body.error : undefined;
    const reason = typeof body?.reason === 'string' ? body.reason : typeof body?.error_description === 'string' ? body.error_description : undefined;
    const detail = `${error ?? `HTTP ${response.status}`}${reason ? `: ${reason}` : ''}`;
    // A wrong client id or secret is the deployment's to fix, not the member's grant.
    if (error === 'invalid_client') throw new CalendarError('permanent', `${what}: Zoom refused the app's credentials (${detail})`, response.status);
    if (response.status === 400 || response.status === 401) throw new CalendarError('revoked', `${what}: Zoom refused the stored grant (${detail}); connect Zoom again`, response.status);
    throw new CalendarError(kindOfStatus(response.status), `${what}: ${detail}`, response.status);
  }
  const accessToken = body?.access_token;
  const refreshToken = body?.refresh_token;
  if (typeof accessToken !== 'string' || typeof refreshToken !== 'string') throw new CalendarError('permanent', `${what}: Zoom answered without tokens`, response.status);
  const expiresIn = typeof body?.expires_in === 'number' ? body.expires_in : 3600;
  return { accessToken, refreshToken, expiresAt: Date.now() + expiresIn * 1000 };
}

/** Trades the callback's code for the member's tokens. */
export function exchangeZoomCode(app: ZoomApp, code: string, signal: AbortSignal): Promise<ZoomTokens> {
  return tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: app.redirectUri }, 'Connecting Zoom', signal);
}

/** A new access token, and the new refresh token that replaces the one given. */
export function refreshZoomTokens(app: ZoomApp, refreshToken: string, signal: AbortSignal): Promise<ZoomTokens> {
  return tokenRequest(app, { grant_type: 'refresh_token', refresh_token: refreshToken }, 'Refreshing the Zoom token', signal);
}

/** One REST call; 401 comes back as `revoked` with status 401 (the caller refreshes once and tries again). */
async function api(app: ZoomApp, accessToken: string, method: string, path: string, what: string, signal: AbortSignal, payload?: unknown): Promise<{ status: number; body: Record<string, unknown> | undefined }> {
  let response: Response;
  try {
    response = await fetch(`${app.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      signal,
    });
  } catch (error) {
    throw networkError(error, what);
  }
  const body = await bodyOf(response);
  if (response.ok || response.status === 404) return { status: response.status, body };
  const detail = typeof body?.message === 'string' ? `: ${body.message}` : '';
  const retryAfter = Number(response.headers.get('retry-after'));
  if (response.status === 401) throw new CalendarError('revoked', `${what}: Zoom answered 401${detail}; connect Zoom again`, 401);
  throw new CalendarError(kindOfStatus(response.status), `${what}: HTTP ${response.status}${detail}`, response.status, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}

function meetingOf(body: Record<string, unknown> | undefined, what: string): ZoomMeeting {
  const id = body?.id;
  const joinUrl = body?.join_url;
  // Meeting ids are 64-bit integers; those Zoom hands out (9 to 11 digits) are exact as JSON numbers.
  if ((typeof id !== 'number' && typeof id !== 'string') || typeof joinUrl !== 'string') throw new CalendarError('permanent', `${what}: Zoom answered without a meeting id and join URL`);
  return { id: String(id), joinUrl, ...(typeof body?.agenda === 'string' ? { agenda: body.agenda } : {}) };
}

function meetingBody(fields: ZoomMeetingFields) {
  return { topic: fields.topic, type: 2, start_time: zoomStartTime(fields.start), duration: fields.durationMinutes, agenda: fields.agenda };
}

/** The connected account's email, for the connection's label. */
export async function zoomAccountEmail(app: ZoomApp, accessToken: string, signal: AbortSignal): Promise<string> {
  const { status, body } = await api(app, accessToken, 'GET', '/users/me', 'Reading the Zoom account', signal);
  if (status === 404 || typeof body?.email !== 'string') throw new CalendarError('permanent', 'Reading the Zoom account: Zoom answered without an email');
  return body.email;
}

export async function createZoomMeeting(app: ZoomApp, accessToken: string, fields: ZoomMeetingFields, signal: AbortSignal): Promise<ZoomMeeting> {
  const what = 'Making the Zoom meeting';
  const { status, body } = await api(app, accessToken, 'POST', '/users/me/meetings', what, signal, meetingBody(fields));
  if (status === 404) throw new CalendarError('permanent', `${what}: Zoom answered 404`, 404);
  return meetingOf(body, what);
}

/** Moves the meeting; `gone` when Zoom no longer has it (deleted in Zoom, or another account's). */
export async function updateZoomMeeting(app: ZoomApp, accessToken: string, meetingId: string, fields: ZoomMeetingFields, signal: AbortSignal): Promise<'updated' | 'gone'> {
  const { status } = await api(app, accessToken, 'PATCH', `/meetings/${encodeURIComponent(meetingId)}`, 'Moving the Zoom meeting', signal, meetingBody(fields));
  return status === 404 ? 'gone' : 'updated';
}

/** Deletes the meeting; one that is already gone is not an error. */
export async function deleteZoomMeeting(app: ZoomApp, accessToken: string, meetingId: string, signal: AbortSignal): Promise<void> {
  await api(app, accessToken, 'DELETE', `/meetings/${encodeURIComponent(meetingId)}`, 'Deleting the Zoom meeting', signal);
}

/** The first of the account's upcoming meetings that `matches`, reading at most `maxPages` pages of 300. */
export async function findZoomMeeting(app: ZoomApp, accessToken: string, matches: (meeting: ZoomMeeting) => boolean, signal: AbortSignal, maxPages = 10): Promise<ZoomMeeting | undefined> {
  const what = 'Listing the Zoom meetings';
  let pageToken = '';
  for (let page = 0; page < maxPages; page++) {
    const query = new URLSearchParams({ type: 'upcoming', page_size: '300', ...(pageToken ? { next_page_token: pageToken } : {}) });
    const { body } = await api(app, accessToken, 'GET', `/users/me/meetings?${query}`, what, signal);
    const meetings = Array.isArray(body?.meetings) ? (body.meetings as Record<string, unknown>[]) : [];
    for (const item of meetings) {
      const meeting = meetingOf(item, what);
      if (matches(meeting)) return meeting;
    }
    pageToken = typeof body?.next_page_token === 'string' ? body.next_page_token : '';
    if (!pageToken) return undefined;
  }
  return undefined;
}
