// A local HTTP emulation of exactly the Google endpoints Beckon calls, as documented:
//   POST /token                                        OAuth 2.0 token endpoint: authorization_code,
//                                                      refresh_token, and the JWT bearer grant (RFC 7523)
//                                                      that service accounts with domain-wide delegation use
//   POST /calendar/v3/freeBusy                         freebusy.query
//   POST /calendar/v3/calendars/{calendarId}/events    events.insert (conferenceDataVersion=1 + createRequest → Meet)
//   PATCH/DELETE /calendar/v3/calendars/{calendarId}/events/{eventId}
// plus faults on demand (a status for the next n calls, a hang), and a log of every request.
// The real googleapis client talks to it through its rootUrl option.
import { createPublicKey, createVerify, randomBytes, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, Faults, jsonAnswer, readRequestBody, startEmulatorServer } from './http-emulator.js';

export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';

export interface EmulatedEvent {
  id: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  summary?: string;
  description?: string;
  location?: string;
  start: { dateTime: string };
  end: { dateTime: string };
  attendees?: { email: string; displayName?: string; responseStatus?: string }[];
  transparency?: string;
  extendedProperties?: unknown;
  hangoutLink?: string;
  conferenceData?: {
    createRequest?: { requestId: string; conferenceSolutionKey?: { type: string }; status?: { statusCode: string } };
    entryPoints?: { entryPointType: string; uri: string; label?: string }[];
    conferenceSolution?: { key: { type: string }; name: string };
    conferenceId?: string;
  };
  sequence: number;
  [key: string]: unknown;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  user?: string;
}

export interface GoogleEmulator {
  rootUrl: string;
  tokenUrl: string;
  authUrl: string;
  client: { clientId: string; clientSecret: string };
  requests: LoggedRequest[];
  /** A user's calendars: calendarId → busy blocks and events; a user's primary calendar id is their email. */
  calendar(id: string): { busy: { start: string; end: string }[]; events: Map<string, EmulatedEvent> };
  /** Issues an authorization code for a user, as Google's consent page would. */
  authorize(email: string): string;
  /** A refresh token for a user, as if they had consented earlier. */
  grant(email: string): string;
  /** Revokes a refresh token (the user removed access, or changed their password). */
  revoke(refreshToken: string): void;
  /** A service account and the users its client id may act as (domain-wide delegation). */
  addServiceAccount(clientEmail: string, publicKeyPem: string, delegatedUsers: string[]): void;
  fail(options: { method?: string; path: RegExp; times?: number; status: number; retryAfter?: number }): void;
  hang(options: { method?: string; path: RegExp; times?: number }): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const BASE32HEX = /^[a-v0-9]{5,1024}$/;

const json = jsonAnswer('application/json; charset=UTF-8');

function apiError(res: ServerResponse, status: number, reason: string, message: string, headers: Record<string, string> = {}): void {
  json(res, status, { error: { code: status, message, errors: [{ domain: 'global', reason, message }] } }, headers);
}

function oauthError(res: ServerResponse, status: number, error: string, description: string): void {
  json(res, status, { error, error_description: description });
}

function verifyJwt(assertion: string, key: KeyObject): Record<string, unknown> | undefined {
  const [header, payload, signature] = assertion.split('.');
  if (!header || !payload || !signature) return undefined;
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${header}.${payload}`);
  if (!verifier.verify(key, Buffer.from(signature, 'base64url'))) return undefined;
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** What points the calendar service at this emulation: its API, its token endpoint and its OAuth client. */
export const googleServiceOptions = (google: GoogleEmulator) => ({
  googleRootUrl: google.rootUrl,
  googleTokenUrl: google.tokenUrl,
  oauth: { ...google.client, redirectUri: 'http://beckon.test/v1/calendars/google/callback' },
});

export async function startGoogleEmulator(): Promise<GoogleEmulator> {
  const client = { clientId: 'beckon-test.apps.googleusercontent.com', clientSecret: 'test-client-secret' };
  const calendars = new Map<string, { busy: { start: string; end: string }[]; events: Map<string, EmulatedEvent> }>();
  const codes = new Map<string, string>();
  const refreshTokens = new Map<string, { email: string; revoked: boolean }>();
  const accessTokens = new Map<string, string>();
  const serviceAccounts = new Map<string, { key: KeyObject; users: Set<string> }>();
  const conferences = new Map<string, string>(); // requestId → Meet link
  const requests: LoggedRequest[] = [];
  const faults = new Faults<'status' | 'hang'>();

  const calendar = (id: string) => {
    let entry = calendars.get(id);
    if (!entry) calendars.set(id, (entry = { busy: [], events: new Map() }));
    return entry;
  };

  const issueAccess = (email: string) => {
    const token = `ya29.${randomBytes(12).toString('hex')}`;
    accessTokens.set(token, email);
    return token;
  };

  const resolveCalendar = (id: string, user: string) => (id === 'primary' ? user : id);

  function meet(requestId: string): EmulatedEvent['conferenceData'] & { link: string } {
    let link = conferences.get(requestId);
    if (!link) {
      const letters = () => Array.from(randomBytes(4), (b) => String.fromCharCode(97 + (b % 26))).join('');
      link = `https://meet.google.com/${letters().slice(0, 3)}-${letters()}-${letters().slice(0, 3)}`;
      conferences.set(requestId, link);
    }
    return {
      link,
      createRequest: { requestId, conferenceSolutionKey: { type: 'hangoutsMeet' }, status: { statusCode: 'success' } },
      entryPoints: [{ entryPointType: 'video', uri: link, label: link.replace('https://', '') }],
      conferenceSolution: { key: { type: 'hangoutsMeet' }, name: 'Google Meet' },
      conferenceId: link.split('/').pop()!,
    };
  }

  function applyConference(event: EmulatedEvent, requested: EmulatedEvent['conferenceData'] | undefined, version: number): void {
    // Documented: conference data is only read with conferenceDataVersion=1.
    const requestId = requested?.createRequest?.requestId;
    if (version < 1 || !requestId) return;
    if (event.conferenceData?.createRequest?.requestId === requestId) return; // same request: same meeting
    const { link, ...data } = meet(requestId);
    event.conferenceData = data;
    event.hangoutLink = link;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const { body } = await readRequestBody(req); // a body that is not JSON is kept as its text
    const bearer = bearerToken(req);
    const user = bearer ? accessTokens.get(bearer) : undefined;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body, ...(user ? { user } : {}) });

    const fault = faults.take(req.method, url.pathname);
    if (fault) {
      if (fault.kind === 'hang') return; // never answers; the socket is destroyed on close()
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
      if (fault.status === 429) return apiError(res, 429, 'rateLimitExceeded', 'Rate Limit Exceeded', headers);
      return apiError(res, fault.status ?? 500, 'backendError', 'Backend Error', headers);
    }

    if (req.method === 'POST' && url.pathname === '/token') {
      const form = body as Record<string, string>;
      if (form.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
        const [, payloadPart] = (form.assertion ?? '').split('.');
        const claims = payloadPart ? (JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as Record<string, unknown>) : {};
        const account = serviceAccounts.get(String(claims.iss));
        const verified = account ? verifyJwt(form.assertion ?? '', account.key) : undefined;
        if (!account || !verified) return oauthError(res, 400, 'invalid_grant', 'Invalid JWT Signature.');
        if (verified.aud !== GOOGLE_TOKEN_AUDIENCE) return oauthError(res, 400, 'invalid_grant', 'Invalid JWT: audience');
        if (Number(verified.exp) * 1000 < Date.now()) return oauthError(res, 400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token');
        const subject = String(verified.sub ?? verified.iss);
        if (!account.users.has(subject)) return oauthError(res, 401, 'unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.');
        return json(res, 200, { access_token: issueAccess(subject), expires_in: 3599, token_type: 'Bearer' });
      }
      if (form.client_id !== client.clientId || form.client_secret !== client.clientSecret) return oauthError(res, 401, 'invalid_client', 'The OAuth client was not found.');
      if (form.grant_type === 'authorization_code') {
        const email = codes.get(form.code ?? '');
        if (!email) return oauthError(res, 400, 'invalid_grant', 'Malformed auth code.');
        codes.delete(form.code!);
        const refresh = `1//${randomBytes(16).toString('hex')}`;
        refreshTokens.set(refresh, { email, revoked: false });
        const idToken = [{ alg: 'RS256', typ: 'JWT' }, { iss: 'https://accounts.google.com', aud: client.clientId, email, email_verified: true }]
          .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
          .concat('signature')
          .join('.');
        return json(res, 200, { access_token: issueAccess(email), refresh_token: refresh, id_token: idToken, expires_in: 3599, token_type: 'Bearer', scope: form.scope ?? '' });
      }
      if (form.grant_type === 'refresh_token') {
        const grant = refreshTokens.get(form.refresh_token ?? '');
        if (!grant || grant.revoked) return oauthError(res, 400, 'invalid_grant', 'Token has been expired or revoked.');
        return json(res, 200, { access_token: issueAccess(grant.email), expires_in: 3599, token_type: 'Bearer' });
      }
      return oauthError(res, 400, 'unsupported_grant_type', 'Invalid grant_type');
    }

    if (!url.pathname.startsWith('/calendar/v3/')) return apiError(res, 404, 'notFound', 'Not Found');
    if (!user) return apiError(res, 401, 'authError', 'Invalid Credentials');

    if (req.method === 'POST' && url.pathname === '/calendar/v3/freeBusy') {
      const query = body as { timeMin: string; timeMax: string; items: { id: string }[] };
      const min = Date.parse(query.timeMin);
      const max = Date.parse(query.timeMax);
      const result: Record<string, unknown> = {};
      for (const { id } of query.items) {
        const calendarId = resolveCalendar(id, user);
        if (calendarId !== user && !calendars.has(calendarId)) {
          result[id] = { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
          continue;
        }
        const entry = calendar(calendarId);
        const fromEvents = [...entry.events.values()]
          .filter((event) => event.status !== 'cancelled' && event.transparency !== 'transparent')
          .map((event) => ({ start: event.start.dateTime, end: event.end.dateTime }));
        const busy = [...entry.busy, ...fromEvents]
          .filter((b) => Date.parse(b.start) < max && Date.parse(b.end) > min)
          .map((b) => ({ start: new Date(Date.parse(b.start)).toISOString(), end: new Date(Date.parse(b.end)).toISOString() }));
        result[id] = { busy };
      }
      return json(res, 200, { kind: 'calendar#freeBusy', timeMin: query.timeMin, timeMax: query.timeMax, calendars: result });
    }

    const eventsPath = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(url.pathname);
    if (eventsPath) {
      const calendarId = resolveCalendar(decodeURIComponent(eventsPath[1]!), user);
      const eventId = eventsPath[2] ? decodeURIComponent(eventsPath[2]) : undefined;
      const entry = calendar(calendarId);
      const version = Number(url.searchParams.get('conferenceDataVersion') ?? '0');
      const sendUpdates = url.searchParams.get('sendUpdates');
      if (sendUpdates && !['all', 'externalOnly', 'none'].includes(sendUpdates)) return apiError(res, 400, 'invalid', 'Invalid sendUpdates');

      if (req.method === 'POST' && !eventId) {
        const input = body as Partial<EmulatedEvent>;
        const id = input.id ?? randomBytes(13).toString('hex');
        if (!BASE32HEX.test(id)) return apiError(res, 400, 'invalid', 'Invalid resource id value.');
        if (entry.events.has(id)) return apiError(res, 409, 'duplicate', 'The requested identifier already exists.');
        if (!input.start?.dateTime || !input.end?.dateTime) return apiError(res, 400, 'required', 'Missing time');
        const { conferenceData, ...rest } = input;
        const event: EmulatedEvent = { ...rest, id, status: input.status ?? 'confirmed', start: input.start, end: input.end, sequence: 0, htmlLink: `https://calendar.google.com/event?eid=${id}` };
        applyConference(event, conferenceData, version);
        entry.events.set(id, event);
        return json(res, 200, event);
      }
      if (!eventId) return apiError(res, 404, 'notFound', 'Not Found');
      const existing = entry.events.get(eventId);
      if (req.method === 'PATCH') {
        if (!existing) return apiError(res, 404, 'notFound', 'Not Found');
        const { conferenceData, ...rest } = body as Partial<EmulatedEvent>;
        const changedTime = (rest.start && rest.start.dateTime !== existing.start.dateTime) || (rest.end && rest.end.dateTime !== existing.end.dateTime);
        Object.assign(existing, rest, { id: eventId, sequence: existing.sequence + (changedTime ? 1 : 0) });
        applyConference(existing, conferenceData, version);
        return json(res, 200, existing);
      }
      if (req.method === 'DELETE') {
        if (!existing) return apiError(res, 404, 'notFound', 'Not Found');
        if (existing.status === 'cancelled') return apiError(res, 410, 'deleted', 'Resource has been deleted');
        existing.status = 'cancelled';
        res.writeHead(204).end();
        return;
      }
    }
    return apiError(res, 404, 'notFound', 'Not Found');
  }

  const server = await startEmulatorServer(handle, (res, error) => apiError(res, 500, 'backendError', String(error)));
  const rootUrl = `${server.origin}/`;

  return {
    rootUrl,
    tokenUrl: `${rootUrl}token`,
    authUrl: `${rootUrl}o/oauth2/v2/auth`,
    client,
    requests,
    calendar,
    authorize(email) {
      const code = `4/${randomBytes(12).toString('hex')}`;
      codes.set(code, email);
      return code;
    },
    grant(email) {
      const refresh = `1//${randomBytes(16).toString('hex')}`;
      refreshTokens.set(refresh, { email, revoked: false });
      return refresh;
    },
    revoke(refreshToken) {
      const grant = refreshTokens.get(refreshToken);
      if (grant) grant.revoked = true;
      for (const [token, email] of accessTokens) if (email === grant?.email) accessTokens.delete(token);
    },
    addServiceAccount(clientEmail, publicKeyPem, delegatedUsers) {
      serviceAccounts.set(clientEmail, { key: createPublicKey(publicKeyPem), users: new Set(delegatedUsers) });
    },
    fail: (options) => faults.add('status', options),
    hang: (options) => faults.add('hang', options),
    clearFaults: () => faults.clear(),
    close: () => server.close(),
  };
}
