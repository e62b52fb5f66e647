// A local HTTP emulation of exactly the Zoom endpoints Beckon calls, as Zoom documents them:
//   POST /oauth/token                   authorization_code and refresh_token grants, client id and secret in
//                                       HTTP Basic; a refresh rotates the refresh token (the old one stops working)
//   GET  /v2/users/me                   the user the access token belongs to
//   POST /v2/users/me/meetings          create a meeting (201; type 2 needs start_time yyyy-MM-ddTHH:mm:ssZ and a duration)
//   GET  /v2/users/me/meetings          list a user's upcoming meetings (page_size, next_page_token)
//   PATCH /v2/meetings/{meetingId}      update (204); DELETE (204); 404 with code 3001 when there is no such meeting
// An unknown or expired access token is 401 with code 124. Plus faults on demand (a status for the
// next n calls, a hang, an answer lost after the meeting was made), revocation (the user removed
// the app), and a log of every request.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, Faults, jsonAnswer, readRequestBody, startEmulatorServer } from './http-emulator.js';

export interface EmulatedMeeting {
  id: number;
  uuid: string;
  host_id: string;
  host_email: string;
  topic: string;
  type: number;
  start_time: string;
  duration: number;
  agenda: string;
  created_at: string;
  join_url: string;
  start_url: string;
  password: string;
}

export interface ZoomRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  user?: string;
}

export interface ZoomEmulator {
  /** The OAuth origin (consent page and token endpoint). */
  url: string;
  /** The REST API root. */
  apiUrl: string;
  client: { clientId: string; clientSecret: string };
  requests: ZoomRequest[];
  /** A user's meetings by id (a deleted one is removed). */
  meetings(email: string): Map<number, EmulatedMeeting>;
  /** Issues an authorization code for a user, as Zoom's consent page would after they allow the app. */
  authorize(email: string, redirectUri: string): string;
  /** The user removed the app: every token they gave stops working. */
  revoke(email: string): void;
  /** Every access token handed out so far stops working (they expire after an hour). */
  expireAccessTokens(): void;
  /** The refresh tokens currently valid for a user. */
  liveRefreshTokens(email: string): string[];
  fail(options: { method?: string; path: RegExp; times?: number; status: number }): void;
  hang(options: { method?: string; path: RegExp; times?: number }): void;
  /** The next matching requests are carried out, and their answer never comes. */
  loseAnswer(options: { method?: string; path: RegExp; times?: number }): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const json = jsonAnswer('application/json;charset=UTF-8');

const apiError = (res: ServerResponse, status: number, code: number, message: string) => json(res, status, { code, message });

const START_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export async function startZoomEmulator(): Promise<ZoomEmulator> {
  const client = { clientId: 'zoomTestClientId', clientSecret: 'zoom-test-client-secret' };
  const users = new Map<string, { id: string; meetings: Map<number, EmulatedMeeting> }>();
  const codes = new Map<string, { email: string; redirectUri: string }>();
  const refreshTokens = new Map<string, { email: string; valid: boolean }>();
  const accessTokens = new Map<string, string>();
  const requests: ZoomRequest[] = [];
  const faults = new Faults<'status' | 'hang' | 'lose_answer'>();
  let nextMeetingId = 81_234_567_890;

  const user = (email: string) => {
    let entry = users.get(email);
    if (!entry) users.set(email, (entry = { id: randomBytes(11).toString('base64url'), meetings: new Map() }));
    return entry;
  };

  const issue = (email: string) => {
    const access = `eyJzb29tIjoi${randomBytes(16).toString('hex')}`;
    const refresh = `eyJyZWZyZXNoIjoi${randomBytes(16).toString('hex')}`;
    accessTokens.set(access, email);
    refreshTokens.set(refresh, { email, valid: true });
    return { access_token: access, token_type: 'bearer', refresh_token: refresh, expires_in: 3599, scope: 'meeting:write:meeting meeting:read:list_meetings user:read:user' };
  };

  function meetingInput(res: ServerResponse, input: Record<string, unknown>, partial: boolean): Partial<EmulatedMeeting> | undefined {
    const out: Partial<EmulatedMeeting> = {};
    if (input.topic !== undefined) {
      if (typeof input.topic !== 'string' || input.topic.length > 200) return void apiError(res, 400, 300, 'Invalid field: topic');
      out.topic = input.topic;
    }
    if (input.type !== undefined && input.type !== 2) return void apiError(res, 400, 300, 'Only scheduled meetings (type 2) are emulated');
    if (input.start_time !== undefined) {
      if (typeof input.start_time !== 'string' || !START_TIME.test(input.start_time)) return void apiError(res, 400, 300, 'Invalid field: start_time');
      out.start_time = input.start_time;
    } else if (!partial) return void apiError(res, 400, 300, 'start_time is required for a scheduled meeting');
    if (input.duration !== undefined) {
      if (!Number.isInteger(input.duration) || (input.duration as number) <= 0) return void apiError(res, 400, 300, 'Invalid field: duration');
      out.duration = input.duration as number;
    }
    if (input.agenda !== undefined) {
      if (typeof input.agenda !== 'string' || input.agenda.length > 2000) return void apiError(res, 400, 300, 'Invalid field: agenda');
      out.agenda = input.agenda;
    }
    return out;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const { body, malformed } = await readRequestBody(req);
    if (malformed) return apiError(res, 400, 300, 'Request body is not JSON');
    const bearer = bearerToken(req);
    const email = bearer ? accessTokens.get(bearer) : undefined;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body, ...(email ? { user: email } : {}) });

    const fault = faults.take(req.method, url.pathname);
    if (fault?.kind === 'hang') return; // never answers; the socket is destroyed on close()
    if (fault?.kind === 'status') return apiError(res, fault.status ?? 500, fault.status ?? 500, 'Service unavailable');
    // The request is carried out below; its answer is never written.
    const lost = { writeHead: () => lost, end: () => lost } as unknown as ServerResponse;
    const answer = fault?.kind === 'lose_answer' ? lost : res;

    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      const [id, secret] = Buffer.from(/^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '', 'base64')
        .toString('utf8')
        .split(':');
      if (id !== client.clientId || secret !== client.clientSecret) return json(answer, 401, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
      const form = body as Record<string, string>;
      if (form.grant_type === 'authorization_code') {
        const grant = codes.get(form.code ?? '');
        if (!grant) return json(answer, 400, { reason: 'Invalid authorization code', error: 'invalid_grant' });
        if (grant.redirectUri !== form.redirect_uri) return json(answer, 400, { reason: 'Redirect URI mismatch.', error: 'invalid_request' });
        codes.delete(form.code!);
        return json(answer, 200, issue(grant.email));
      }
      if (form.grant_type === 'refresh_token') {
        const grant = refreshTokens.get(form.refresh_token ?? '');
        if (!grant?.valid) return json(answer, 400, { reason: 'Invalid Token!', error: 'invalid_request' });
        grant.valid = false; // rotated: the new one replaces it
        return json(answer, 200, issue(grant.email));
      }
      return json(answer, 400, { reason: 'Unsupported grant type', error: 'unsupported_grant_type' });
    }

    if (!url.pathname.startsWith('/v2/')) return apiError(answer, 404, 404, 'Not found');
    if (!email) return apiError(answer, 401, 124, 'Invalid access token.');
    const me = user(email);

    if (req.method === 'GET' && url.pathname === '/v2/users/me') {
      return json(answer, 200, { id: me.id, email, first_name: email.split('@')[0], type: 1, status: 'active' });
    }
    if (url.pathname === '/v2/users/me/meetings' && req.method === 'POST') {
      const input = meetingInput(answer, body as Record<string, unknown>, false);
      if (!input) return;
      const id = nextMeetingId++;
      const password = randomBytes(4).toString('hex');
      const meeting: EmulatedMeeting = {
        id,
        uuid: randomBytes(16).toString('base64'),
        host_id: me.id,
        host_email: email,
        topic: input.topic ?? 'Zoom meeting',
        type: 2,
        start_time: input.start_time!,
        duration: input.duration ?? 60,
        agenda: input.agenda ?? '',
        created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        join_url: `https://us05web.zoom.us/j/${id}?pwd=${password}`,
        start_url: `https://us05web.zoom.us/s/${id}?zak=${randomBytes(12).toString('hex')}`,
        password,
      };
      me.meetings.set(id, meeting);
      return json(answer, 201, meeting);
    }
    if (url.pathname === '/v2/users/me/meetings' && req.method === 'GET') {
      const pageSize = Math.min(Number(url.searchParams.get('page_size') ?? '30'), 300);
      const offset = Number(url.searchParams.get('next_page_token') || '0');
      const upcoming = [...me.meetings.values()].filter((m) => Date.parse(m.start_time) + m.duration * 60_000 > Date.now()).sort((a, b) => a.start_time.localeCompare(b.start_time));
      const page = upcoming.slice(offset, offset + pageSize);
      const next = offset + pageSize < upcoming.length ? String(offset + pageSize) : '';
      const list = page.map(({ uuid, id, host_id, topic, type, start_time, duration, agenda, created_at, join_url }) => ({ uuid, id, host_id, topic, type, start_time, duration, timezone: 'UTC', agenda, created_at, join_url }));
      return json(answer, 200, { page_size: pageSize, total_records: upcoming.length, next_page_token: next, meetings: list });
    }
    const meetingPath = /^\/v2\/meetings\/(\d+)$/.exec(url.pathname);
    if (meetingPath) {
      const id = Number(meetingPath[1]);
      const meeting = me.meetings.get(id);
      if (!meeting) return apiError(answer, 404, 3001, `Meeting does not exist: ${id}.`);
      if (req.method === 'PATCH') {
        const input = meetingInput(answer, body as Record<string, unknown>, true);
        if (!input) return;
        Object.assign(meeting, input);
        answer.writeHead(204).end();
        return;
      }
      if (req.method === 'DELETE') {
        me.meetings.delete(id);
        answer.writeHead(204).end();
        return;
      }
    }
    return apiError(answer, 404, 404, 'Not found');
  }

  const server = await startEmulatorServer(handle, (res, error) => apiError(res, 500, 500, String(error)));
  const url = server.origin;

  return {
    url,
    apiUrl: `${url}/v2`,
    client,
    requests,
    meetings: (email) => user(email).meetings,
    authorize(email, redirectUri) {
      const code = randomBytes(12).toString('hex');
      codes.set(code, { email, redirectUri });
      return code;
    },
    revoke(email) {
      for (const [token, owner] of accessTokens) if (owner === email) accessTokens.delete(token);
      for (const grant of refreshTokens.values()) if (grant.email === email) grant.valid = false;
    },
    expireAccessTokens() {
      accessTokens.clear();
    },
    liveRefreshTokens: (email) => [...refreshTokens].filter(([, grant]) => grant.valid && grant.email === email).map(([token]) => token),
    fail: (options) => faults.add('status', options),
    hang: (options) => faults.add('hang', options),
    loseAnswer: (options) => faults.add('lose_answer', options),
    clearFaults: () => faults.clear(),
    close: () => server.close(),
  };
}
