// The team: invitations by email, roles that limit what each person can do, removal and role
// changes that take effect at once, named API keys, and the audit log of it all.
import { describe, expect, it } from 'vitest';
import { ensureMembership, ensureUser } from '../../src/auth/accounts.js';
import { cookieName, createSession, csrfToken } from '../../src/auth/sessions.js';
import { createWorkspace } from '../../src/services/seed.js';
import { participants } from '../../src/db/schema.js';
import { primaryKind } from '../support/database.js';
import { useTestApp } from '../support/app.js';
import { createHost } from '../support/studies.js';
import { latestMailTo, linkIn, personWithRole, sessionCookieOf, uniqueEmail } from './support.js';

describe(`the team, API keys and the audit log on ${primaryKind}`, () => {
  const suite = useTestApp();

  it('invites by email; accepting joins with the role, which then limits what the person can do', async () => {
    const { t } = suite;
    const admin = await personWithRole(t, 'admin');
    const email = uniqueEmail('new.interviewer');
    const hostId = await createHost(t, { name: 'Invitee Host', timeZone: 'Europe/Berlin' });
    const invited = await t.app.inject({ method: 'POST', url: '/v1/admin/team/invitations', headers: admin.headers, payload: { email, role: 'interviewer', memberId: hostId } });
    expect(invited.statusCode).toBe(201);
    expect(invited.json()).toMatchObject({ email, role: 'interviewer', memberId: hostId, acceptedAt: null });
    // An admin cannot hand out ownership.
    const owner = await t.app.inject({ method: 'POST', url: '/v1/admin/team/invitations', headers: admin.headers, payload: { email: uniqueEmail('x'), role: 'owner' } });
    expect(owner.statusCode).toBe(403);

    const mail = await latestMailTo(t, email);
    expect(mail?.subject).toMatch(/invited to Acme/);
    const link = linkIn(mail!.text, '/v1/auth/invitation?token=')!;
    const token = new URL(link).searchParams.get('token')!;
    const accepted = await t.app.inject({ method: 'POST', url: '/v1/auth/invitations/accept', payload: { token, name: 'Ivy Interviewer', password: 'a long enough password' } });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ user: { email, name: 'Ivy Interviewer', hasPassword: true }, workspace: { role: 'interviewer' }, memberId: hostId });
    const cookie = sessionCookieOf(accepted)!;
    const headers = { cookie, 'x-csrf-token': accepted.json().csrfToken };
    // Used up.
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/invitations/accept', payload: { token } })).statusCode).toBe(400);

    // An interviewer reads, keeps their own hours, and cannot change studies or others' hours.
    expect((await t.app.inject({ url: '/v1/admin/studies', headers })).statusCode).toBe(200);
    const study = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/studies',
      headers,
      payload: { name: 'Nope', intercept: { title: 'a', body: 'b' }, meetingLocation: { kind: 'video_url', details: 'https://meet.example.test/x' }, hostIds: [hostId] },
    });
    expect(study.statusCode).toBe(403);
    expect(study.json().error.code).toBe('forbidden');
    const hours = { timeZone: 'Europe/Berlin', weekly: [{ weekday: 1, start: '09:00', end: '12:00' }], overrides: [], bufferBeforeMinutes: 0, bufferAfterMinutes: 10, minimumNoticeMinutes: 60, bookingWindowDays: 30, maxPerDay: null, maxPerWeek: null };
    expect((await t.app.inject({ method: 'PUT', url: `/v1/admin/members/${hostId}/availability`, headers, payload: hours })).statusCode).toBe(200);
    const otherHost = await createHost(t, { name: 'Other Host', timeZone: 'Europe/Berlin' });
    expect((await t.app.inject({ method: 'PUT', url: `/v1/admin/members/${otherHost}/availability`, headers, payload: hours })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/admin/team', headers })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/v1/admin/audit-log', headers })).statusCode).toBe(403);
  });

  it("ends a removed member's sessions at once, and a changed role's", async () => {
    const { t } = suite;
    const admin = await personWithRole(t, 'admin');
    const researcher = await personWithRole(t, 'researcher');
    const viewer = await personWithRole(t, 'viewer');
    const team = (await t.app.inject({ url: '/v1/admin/team', headers: admin.headers })).json().team as { id: string; userId: string; role: string }[];
    const membershipOf = (userId: string) => team.find((entry) => entry.userId === userId)!.id;

    expect((await t.app.inject({ url: '/v1/admin/studies', headers: researcher.headers })).statusCode).toBe(200);
    const removed = await t.app.inject({ method: 'DELETE', url: `/v1/admin/team/${membershipOf(researcher.userId)}`, headers: admin.headers });
    expect(removed.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: researcher.headers })).statusCode).toBe(401);

    const changed = await t.app.inject({ method: 'PATCH', url: `/v1/admin/team/${membershipOf(viewer.userId)}`, headers: admin.headers, payload: { role: 'researcher' } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().role).toBe('researcher');
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: viewer.headers })).statusCode).toBe(401);

    // Nobody demotes or removes the last owner (the only one in this workspace so far).
    const owner = await personWithRole(t, 'owner');
    const ownerMembership = (await t.app.inject({ url: '/v1/admin/team', headers: owner.headers })).json().team.find((entry: { userId: string }) => entry.userId === owner.userId).id;
    const demoted = await t.app.inject({ method: 'PATCH', url: `/v1/admin/team/${ownerMembership}`, headers: owner.headers, payload: { role: 'admin' } });
    expect(demoted.statusCode).toBe(409);
    expect(demoted.json().error.code).toBe('last_owner');
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/admin/team/${ownerMembership}`, headers: owner.headers })).statusCode).toBe(409);
    // And an admin cannot touch an owner at all.
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/admin/team/${ownerMembership}`, headers: admin.headers })).statusCode).toBe(403);
  });

  it('makes named API keys (owner only): the secret shown once, read-only keys GET only, revoked keys refused, last use recorded', async () => {
    const { t } = suite;
    const owner = await personWithRole(t, 'owner');
    const admin = await personWithRole(t, 'admin');
    expect((await t.app.inject({ method: 'POST', url: '/v1/admin/api-keys', headers: admin.headers, payload: { name: 'CI', access: 'full' } })).statusCode).toBe(403);
    const made = await t.app.inject({ method: 'POST', url: '/v1/admin/api-keys', headers: owner.headers, payload: { name: 'Warehouse export', access: 'read' } });
    expect(made.statusCode).toBe(201);
    const { key, secret } = made.json();
    expect(secret).toMatch(/^sk_/);
    expect(key).toMatchObject({ name: 'Warehouse export', access: 'read', lastUsedAt: null, prefix: secret.slice(0, 10) });
    const bearer = { authorization: `Bearer ${secret}` };
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: bearer })).statusCode).toBe(200);
    const write = await t.app.inject({ method: 'PATCH', url: '/v1/admin/workspace', headers: bearer, payload: { name: 'Renamed' } });
    expect(write.statusCode).toBe(403);
    const listed = (await t.app.inject({ url: '/v1/admin/api-keys', headers: owner.headers })).json().keys as { id: string; lastUsedAt: string | null }[];
    expect(listed.find((entry) => entry.id === key.id)?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(secret);
    // The workspace's first key (made before named keys) is full and still works.
    expect(listed.length).toBeGreaterThanOrEqual(2);
    const revoked = await t.app.inject({ method: 'DELETE', url: `/v1/admin/api-keys/${key.id}`, headers: owner.headers });
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: bearer })).statusCode).toBe(401);
  });

  it('records every admin write with who, when, from where and field-level changes, never a secret', async () => {
    const { t } = suite;
    const admin = await personWithRole(t, 'admin');
    const owner = await personWithRole(t, 'owner');
    await t.app.inject({ method: 'PATCH', url: '/v1/admin/workspace', headers: { ...admin.headers }, payload: { recontactDays: 45 }, remoteAddress: '203.0.113.7' });
    await t.app.inject({ method: 'PATCH', url: '/v1/admin/workspace', headers: t.auth, payload: { recontactDays: 60 } });
    const made = (await t.app.inject({ method: 'POST', url: '/v1/admin/api-keys', headers: owner.headers, payload: { name: 'Audit me', access: 'full' } })).json();

    const log = await t.app.inject({ url: '/v1/admin/audit-log?action=workspace.update', headers: admin.headers });
    expect(log.statusCode).toBe(200);
    const entries = log.json().entries;
    expect(entries[0]).toMatchObject({ actor: { type: 'api_key', label: 'Default' }, action: 'workspace.update', changes: { recontactDays: { before: 45, after: 60 } } });
    expect(entries[1]).toMatchObject({ actor: { type: 'user', id: admin.userId, label: admin.email }, ip: '203.0.113.7', route: 'PATCH /v1/admin/workspace', changes: { recontactDays: { after: 45 } } });

    const byActor = (await t.app.inject({ url: `/v1/admin/audit-log?actor=${owner.userId}`, headers: admin.headers })).json().entries;
    expect(byActor).toHaveLength(1);
    expect(byActor[0]).toMatchObject({ action: 'api_key.create', targetId: made.key.id, changes: { name: { after: 'Audit me' }, access: { after: 'full' } } });
    const everything = JSON.stringify((await t.app.inject({ url: '/v1/admin/audit-log?limit=500', headers: admin.headers })).json());
    expect(everything).not.toContain(made.secret);

    const future = (await t.app.inject({ url: `/v1/admin/audit-log?from=${new Date(Date.now() + 60_000).toISOString()}`, headers: admin.headers })).json().entries;
    expect(future).toHaveLength(0);
    // Read only: there is no route that edits or deletes it.
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/admin/audit-log', headers: owner.headers })).statusCode).toBe(404);
    const researcher = await personWithRole(t, 'researcher');
    expect((await t.app.inject({ url: '/v1/admin/audit-log', headers: researcher.headers })).statusCode).toBe(403);
  });

  it('switches the session between the workspaces a person belongs to', async () => {
    const { t } = suite;
    const person = await personWithRole(t, 'viewer');
    const other = await t.app.inject({ method: 'POST', url: '/v1/auth/session/workspace', headers: person.headers, payload: { workspaceId: '00000000-0000-4000-8000-000000000000' } });
    expect(other.statusCode).toBe(403);
    const same = await t.app.inject({ method: 'POST', url: '/v1/auth/session/workspace', headers: person.headers, payload: { workspaceId: t.workspace.workspaceId } });
    expect(same.statusCode).toBe(200);
    expect(same.json().workspaces).toHaveLength(1);
  });

  it('records an erasure by its counts only, never whose it was', async () => {
    const { t } = suite;
    const admin = await personWithRole(t, 'admin');
    await t.app.db.insert(participants).values({ workspaceId: t.workspace.workspaceId, userId: 'private-user', email: 'someone.private@example.com', name: 'Someone Private' });
    const erased = await t.app.inject({ method: 'POST', url: '/v1/admin/participants/erase', headers: admin.headers, payload: { email: 'someone.private@example.com' } });
    expect(erased.statusCode).toBe(200);
    const entries = (await t.app.inject({ url: '/v1/admin/audit-log?action=participant.erase', headers: admin.headers })).json().entries;
    expect(entries[0]).toMatchObject({ actor: { id: admin.userId }, changes: { participants: { after: 1 } } });
    expect(JSON.stringify(entries)).not.toMatch(/someone\.private|private-user|Someone Private/);
    // Nor do the logs hold the people's addresses.
    expect(t.logs.join('')).not.toContain('someone.private');
    expect(t.logs.join('')).not.toContain(admin.email);
  });

  it("lets only an owner delete the workspace, with its name typed again; everyone's access ends", async () => {
    const { t } = suite;
    const doomed = await createWorkspace(t.app.db, t.app.secretBox, { name: 'Doomed', allowedOrigins: [] });
    const signedIn = async (role: 'owner' | 'admin') => {
      const { user } = await ensureUser(t.app.db, { email: uniqueEmail(`doomed.${role}`) });
      await ensureMembership(t.app.db, { userId: user.id, workspaceId: doomed.workspaceId, role });
      const { token, session } = await createSession(t.app.db, { userId: user.id, workspaceId: doomed.workspaceId, method: 'password' });
      return { cookie: `${cookieName(t.config.publicUrl)}=${token}`, 'x-csrf-token': csrfToken(t.app.secretBox, session.id) };
    };
    const owner = await signedIn('owner');
    const admin = await signedIn('admin');
    const remove = (headers: Record<string, string>, confirm: string) => t.app.inject({ method: 'DELETE', url: '/v1/admin/workspace', headers, payload: { confirm } });
    expect((await remove(admin, 'Doomed')).statusCode).toBe(403);
    const mismatch = await remove(owner, 'doomed');
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().error.field).toBe('confirm');
    expect((await remove(owner, 'Doomed')).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: owner })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: { authorization: `Bearer ${doomed.secretKey}` } })).statusCode).toBe(401);
    // The other workspace is untouched.
    expect((await t.app.inject({ url: '/v1/admin/studies', headers: t.auth })).statusCode).toBe(200);
  });
});
