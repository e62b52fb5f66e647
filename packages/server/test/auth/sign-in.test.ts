// Signing in as oneself: a password, a link from the (development) outbox, the session cookie,
// CSRF on changes, sign-out, and answers that never tell whether an account exists.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ensureMembership, ensureUser } from '../../src/auth/accounts.js';
import { users } from '../../src/db/schema.js';
import { primaryKind } from '../support/database.js';
import { useTestApp } from '../support/app.js';
import { createHost } from '../support/studies.js';
import { latestMailTo, linkIn, personWithRole, sessionCookieOf, uniqueEmail } from './support.js';

const PASSWORD = 'correct horse battery staple';

describe(`signing in on ${primaryKind}`, () => {
  const suite = useTestApp();

  async function person(password?: string) {
    const { t } = suite;
    const email = uniqueEmail('person');
    const { user } = await ensureUser(t.app.db, { email, name: 'Ada Person', password });
    await ensureMembership(t.app.db, { userId: user.id, workspaceId: t.workspace.workspaceId, role: 'researcher' });
    return { email, userId: user.id };
  }

  const signInWithPassword = (email: string, password: string, ip = '10.0.0.1') =>
    suite.t.app.inject({ method: 'POST', url: '/v1/auth/password', payload: { email, password }, remoteAddress: ip });

  it('signs in with a password: an HttpOnly, SameSite=Lax session cookie that opens the admin API', async () => {
    const { t } = suite;
    const { email } = await person(PASSWORD);
    const response = await signInWithPassword(email.toUpperCase(), PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ user: { email, hasPassword: true }, workspace: { id: t.workspace.workspaceId, role: 'researcher' } });
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i); // PUBLIC_URL is http here
    const cookie = sessionCookieOf(response)!;
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: { cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/v1/admin/studies' })).statusCode).toBe(401);
    // Only the token's hash is stored.
    const token = cookie.split('=')[1]!;
    const stored = await t.app.db.query.sessions.findMany();
    expect(stored.some((row) => row.tokenHash === token)).toBe(false);
  });

  it('answers a wrong password and an unknown email the same way, and pauses an account after five wrong passwords', async () => {
    const { t } = suite;
    const { email, userId } = await person(PASSWORD);
    const wrong = await signInWithPassword(email, 'not the password', '10.0.0.2');
    const unknown = await signInWithPassword(uniqueEmail('nobody'), 'not the password', '10.0.0.2');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    for (let i = 0; i < 4; i++) await signInWithPassword(email, 'still wrong', '10.0.0.3');
    const [row] = await t.app.db.select().from(users).where(eq(users.id, userId));
    expect(row!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    const locked = await signInWithPassword(email, PASSWORD, '10.0.0.4');
    expect(locked.statusCode).toBe(401);
    expect(locked.json()).toEqual(unknown.json());
  });

  it('rate limits password attempts per address', async () => {
    const { t } = suite;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await signInWithPassword(uniqueEmail('flood'), 'whatever', '10.9.9.9')).statusCode);
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const limited = await signInWithPassword('x@acme.test', 'whatever', '10.9.9.9');
    expect(limited.json().error.code).toBe('rate_limited');
    void t;
  });

  it('mails a single-use sign-in link (taken from the outbox) and says the same for an unknown address', async () => {
    const { t } = suite;
    const { email } = await person();
    const asked = await t.app.inject({ method: 'POST', url: '/v1/auth/link', payload: { email }, remoteAddress: '10.0.1.1' });
    const unknown = await t.app.inject({ method: 'POST', url: '/v1/auth/link', payload: { email: uniqueEmail('ghost') }, remoteAddress: '10.0.1.1' });
    expect(asked.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(asked.json()).toEqual(unknown.json());

    const mail = await latestMailTo(t, email);
    expect(mail?.subject).toBe('Your Beckon sign-in link');
    const link = linkIn(mail!.text, '/v1/auth/sign-in?token=')!;
    expect(link.startsWith(`${t.config.publicUrl}/v1/auth/sign-in?token=`)).toBe(true);
    const url = link.slice(t.config.publicUrl.length);
    const followed = await t.app.inject({ url });
    expect(followed.statusCode).toBe(303);
    expect(followed.headers.location).toBe('/admin/');
    const cookie = sessionCookieOf(followed)!;
    const session = await t.app.inject({ url: '/v1/auth/session', headers: { cookie } });
    expect(session.json()).toMatchObject({ user: { email, hasPassword: false }, workspace: { role: 'researcher' } });
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: { cookie } })).statusCode).toBe(200);
    // Single use.
    expect((await t.app.inject({ url })).statusCode).toBe(400);
    // The token is not in the jobs table in the clear.
    const jobs = await t.app.db.query.jobs.findMany();
    const token = new URL(link).searchParams.get('token')!;
    expect(JSON.stringify(jobs)).not.toContain(token);
    // Nor are the address, the link's token or the session's in the logs.
    const logs = t.logs.join('');
    expect(logs).toContain('/v1/auth/sign-in');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(email);
    expect(logs).not.toContain(cookie.split('=')[1]!);
  });

  it('refuses a change made with the cookie but without its CSRF token; an API key needs none', async () => {
    const { t } = suite;
    const researcher = await personWithRole(t, 'researcher');
    const study = { name: 'CSRF check', intercept: { title: 'Talk?', body: 'Twenty minutes.' }, meetingLocation: { kind: 'video_url', details: 'https://meet.example.test/x' }, hostIds: [await createHost(t, { name: 'Csrf Host', timeZone: 'Europe/Berlin' })] };
    const without = await t.app.inject({ method: 'POST', url: '/v1/admin/studies', headers: { cookie: researcher.cookie }, payload: study });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('csrf_failed');
    const wrong = await t.app.inject({ method: 'POST', url: '/v1/admin/studies', headers: { cookie: researcher.cookie, 'x-csrf-token': 'forged' }, payload: study });
    expect(wrong.json().error.code).toBe('csrf_failed');
    const other = await personWithRole(t, 'researcher');
    const someoneElses = await t.app.inject({ method: 'POST', url: '/v1/admin/studies', headers: { cookie: researcher.cookie, 'x-csrf-token': other.csrf }, payload: study });
    expect(someoneElses.json().error.code).toBe('csrf_failed');
    const session = (await t.app.inject({ url: '/v1/auth/session', headers: { cookie: researcher.cookie } })).json();
    expect(session.csrfToken).toBe(researcher.csrf);
    const made = await t.app.inject({ method: 'POST', url: '/v1/admin/studies', headers: researcher.headers, payload: study });
    expect(made.statusCode, made.body).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: '/v1/admin/studies', headers: t.auth, payload: study })).statusCode).toBe(201);
    // Sign-out is a change too.
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/sign-out', headers: { cookie: researcher.cookie } })).statusCode).toBe(403);
  });

  it('signs out: the session ends and the cookie is cleared', async () => {
    const { t } = suite;
    const viewer = await personWithRole(t, 'viewer');
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: { cookie: viewer.cookie } })).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/v1/auth/sign-out', headers: viewer.headers });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'beckon_session')?.value).toBe('');
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: { cookie: viewer.cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/v1/auth/session', headers: { cookie: viewer.cookie } })).statusCode).toBe(401);
  });

  it('sets a password once signed in, then signs in with it; a wrong current password is refused', async () => {
    const { t } = suite;
    const person = await personWithRole(t, 'interviewer');
    const set = await t.app.inject({ method: 'PUT', url: '/v1/auth/password', headers: person.headers, payload: { password: PASSWORD } });
    expect(set.statusCode).toBe(204);
    const again = await t.app.inject({ method: 'PUT', url: '/v1/auth/password', headers: person.headers, payload: { password: 'another long password', currentPassword: 'nope' } });
    expect(again.statusCode).toBe(403);
    const short = await t.app.inject({ method: 'PUT', url: '/v1/auth/password', headers: person.headers, payload: { password: 'short' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.field).toBe('password');
    expect((await signInWithPassword(person.email, PASSWORD, '10.0.2.1')).statusCode).toBe(200);
  });
});

describe('the session cookie over https', () => {
  const suite = useTestApp({ overrides: { publicUrl: 'https://beckon.test' } });

  it('is Secure, with the __Host- prefix', async () => {
    const { t } = suite;
    const email = uniqueEmail('secure');
    const { user } = await ensureUser(t.app.db, { email, name: 'Secure', password: PASSWORD });
    await ensureMembership(t.app.db, { userId: user.id, workspaceId: t.workspace.workspaceId, role: 'viewer' });
    const response = await t.app.inject({ method: 'POST', url: '/v1/auth/password', payload: { email, password: PASSWORD } });
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^__Host-beckon_session=/);
    expect(setCookie).toMatch(/; Secure/i);
    expect(setCookie).toMatch(/Path=\//);
    const cookie = sessionCookieOf(response, '__Host-beckon_session')!;
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: { cookie } })).statusCode).toBe(200);
  });
});
