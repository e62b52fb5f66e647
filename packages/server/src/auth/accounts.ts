// People and their places in workspaces: users (one per email, across workspaces), memberships
// (role, and the interviewer profile that is theirs), single-use sign-in links, invitations.
import { and, asc, count, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { toInstant, type AccountRole, type Invitation, type InvitationCreate, type TeamMember, type TeamUpdate } from '@beckon/shared/api';
import type { Database, Transaction } from '../db/client.js';
import { bookings, invitations, members, memberships, signInTokens, users, workspaces } from '../db/schema.js';
import { conflict, HttpError, notFound, unprocessable } from '../errors.js';
import { randomToken, sha256, type SecretBox } from '../security/secrets.js';
import { enqueueAccountMail } from './mail.js';
import { hashPassword } from './passwords.js';
import { ROLE_RANK } from './permissions.js';
import { endSessionsOf } from './sessions.js';

export type UserRow = typeof users.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;
type WorkspaceRow = typeof workspaces.$inferSelect;
type Db = Database | Transaction;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export const SIGN_IN_LINK_MINUTES = 30;
export const CLI_LINK_HOURS = 24;
export const INVITATION_DAYS = 7;
/** At most this many sign-in links are mailed to one person per hour, whoever asks. */
export const SIGN_IN_LINKS_PER_HOUR = 5;

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, normalizeEmail(email))).limit(1);
  return row;
}

/** The person with this email, created when new (the name is kept when they exist). */
export async function ensureUser(db: Db, input: { email: string; name?: string | undefined; password?: string | undefined }): Promise<{ user: UserRow; created: boolean }> {
  const email = normalizeEmail(input.email);
  const existing = await findUserByEmail(db, email);
  if (existing) return { user: existing, created: false };
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const [inserted] = await db
    .insert(users)
    .values({ email, name: input.name?.trim() || email.split('@')[0]!, passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (inserted) return { user: inserted, created: true };
  return { user: (await findUserByEmail(db, email))!, created: false };
}

export async function membershipsOf(db: Db, userId: string): Promise<{ membership: MembershipRow; workspace: WorkspaceRow }[]> {
  return db
    .select({ membership: memberships, workspace: workspaces })
    .from(memberships)
    .innerJoin(workspaces, eq(memberships.workspaceId, workspaces.id))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt));
}

export async function membershipIn(db: Db, userId: string, workspaceId: string): Promise<{ membership: MembershipRow; workspace: WorkspaceRow } | undefined> {
  const [row] = await db
    .select({ membership: memberships, workspace: workspaces })
    .from(memberships)
    .innerJoin(workspaces, eq(memberships.workspaceId, workspaces.id))
    .where(and(eq(memberships.userId, userId), eq(memberships.workspaceId, workspaceId)))
    .limit(1);
  return row;
}

/** Adds the person to the workspace, or returns the membership they have. */
export async function ensureMembership(db: Db, input: { userId: string; workspaceId: string; role: AccountRole; memberId?: string | null }): Promise<{ membership: MembershipRow; created: boolean }> {
  const [inserted] = await db
    .insert(memberships)
    .values({ userId: input.userId, workspaceId: input.workspaceId, role: input.role, memberId: input.memberId ?? null })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { membership: inserted, created: true };
  const found = await membershipIn(db, input.userId, input.workspaceId);
  return { membership: found!.membership, created: false };
}

// ------------------------------------------------------------------ sign-in links

export function signInUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/v1/auth/sign-in?token=${encodeURIComponent(token)}`;
}

export async function createSignInLink(db: Db, publicUrl: string, input: { userId: string; workspaceId?: string | null; ttlMs: number }): Promise<string> {
  const token = randomToken();
  await db.insert(signInTokens).values({ tokenHash: sha256(token), userId: input.userId, workspaceId: input.workspaceId ?? null, expiresAt: new Date(Date.now() + input.ttlMs) });
  return signInUrl(publicUrl, token);
}

/** Uses the link up: a second use, or one after it expired, finds nothing. */
export async function consumeSignInToken(db: Db, token: string): Promise<typeof signInTokens.$inferSelect | undefined> {
  const [row] = await db
    .update(signInTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(signInTokens.tokenHash, sha256(token)), isNull(signInTokens.usedAt), gt(signInTokens.expiresAt, sql`now()`)))
    .returning();
  return row;
}

/**
 * Mails a sign-in link when the address belongs to someone in a workspace and they have not had
 * too many this hour. The caller answers the same whatever happened here.
 */
export async function requestSignInLink(db: Database, secretBox: SecretBox, publicUrl: string, email: string): Promise<void> {
  const user = await findUserByEmail(db, email);
  if (!user) return;
  const [recent] = await db
    .select({ n: count() })
    .from(signInTokens)
    .where(and(eq(signInTokens.userId, user.id), gt(signInTokens.createdAt, new Date(Date.now() - 3_600_000))));
  if ((recent?.n ?? 0) >= SIGN_IN_LINKS_PER_HOUR) return;
  if ((await membershipsOf(db, user.id)).length === 0) return;
  await db.transaction(async (tx) => {
    const url = await createSignInLink(tx, publicUrl, { userId: user.id, ttlMs: SIGN_IN_LINK_MINUTES * 60_000 });
    await enqueueAccountMail(tx, secretBox, { kind: 'sign_in', userId: user.id, url, minutes: SIGN_IN_LINK_MINUTES });
  });
}

// ------------------------------------------------------------------ first run

/**
 * The operator's first step: a workspace and its owner. Idempotent by the owner's email and the
 * workspace's name: run again, it finds both and creates nothing.
 */
export async function setupWorkspace(
  db: Database,
  input: { workspaceName: string; ownerEmail: string; ownerName?: string | undefined; createWorkspace: (tx: Transaction) => Promise<string> },
): Promise<{ workspaceId: string; userId: string; createdWorkspace: boolean; createdUser: boolean }> {
  return db.transaction(async (tx) => {
    const { user, created: createdUser } = await ensureUser(tx, { email: input.ownerEmail, name: input.ownerName });
    const [owned] = await tx
      .select({ id: workspaces.id })
      .from(memberships)
      .innerJoin(workspaces, eq(memberships.workspaceId, workspaces.id))
      .where(and(eq(memberships.userId, user.id), eq(memberships.role, 'owner'), eq(workspaces.name, input.workspaceName)))
      .limit(1);
    if (owned) return { workspaceId: owned.id, userId: user.id, createdWorkspace: false, createdUser };
    const workspaceId = await input.createWorkspace(tx);
    await ensureMembership(tx, { userId: user.id, workspaceId, role: 'owner' });
    return { workspaceId, userId: user.id, createdWorkspace: true, createdUser };
  });
}

// ------------------------------------------------------------------ the team

export const toTeamMember = (row: { membership: MembershipRow; user: Pick<UserRow, 'email' | 'name'> }): TeamMember => ({
  id: row.membership.id,
  userId: row.membership.userId,
  email: row.user.email,
  name: row.user.name,
  role: row.membership.role,
  memberId: row.membership.memberId,
  createdAt: toInstant(row.membership.createdAt),
});

export async function listTeam(db: Db, workspaceId: string): Promise<TeamMember[]> {
  const rows = await db
    .select({ membership: memberships, user: { email: users.email, name: users.name } })
    .from(memberships)
    .innerJoin(users, eq(memberships.userId, users.id))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(memberships.createdAt));
  return rows.map(toTeamMember);
}

export async function findTeamMember(db: Db, workspaceId: string, id: string): Promise<TeamMember> {
  const [row] = await db
    .select({ membership: memberships, user: { email: users.email, name: users.name } })
    .from(memberships)
    .innerJoin(users, eq(memberships.userId, users.id))
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.id, id)))
    .limit(1);
  if (!row) throw notFound('team_member_not_found', `No one with membership ${id} in this workspace`);
  return toTeamMember(row);
}

async function checkMemberProfile(db: Db, workspaceId: string, memberId: string | null | undefined): Promise<void> {
  if (!memberId) return;
  const [row] = await db.select({ id: members.id }).from(members).where(and(eq(members.workspaceId, workspaceId), eq(members.id, memberId))).limit(1);
  if (!row) throw unprocessable('member_not_found', 'No interviewer profile with this id in this workspace', 'memberId');
}

/** Whoever acts: a person's role, or an API key (which may do what an admin may). */
export interface Actor {
  role: AccountRole;
  userId: string | null;
}

const forbidden = (message: string) => new HttpError(403, 'forbidden', message);

function mayGrant(actor: Actor, role: AccountRole): void {
  if (ROLE_RANK[role] > ROLE_RANK[actor.role]) throw forbidden(`Only an owner can make someone ${role === 'owner' ? 'an owner' : `a ${role}`}`);
}

async function ownersLeft(db: Db, workspaceId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, 'owner')));
  return row?.n ?? 0;
}

export async function updateTeamMember(db: Database, workspaceId: string, actor: Actor, id: string, patch: TeamUpdate): Promise<TeamMember> {
  return db.transaction(async (tx) => {
    const current = await findTeamMember(tx, workspaceId, id);
    if (current.role === 'owner' && actor.role !== 'owner') throw forbidden('Only an owner can change an owner');
    if (patch.role) mayGrant(actor, patch.role);
    if (current.role === 'owner' && patch.role && patch.role !== 'owner' && (await ownersLeft(tx, workspaceId)) <= 1) {
      throw conflict('last_owner', 'A workspace keeps at least one owner; make someone else owner first');
    }
    await checkMemberProfile(tx, workspaceId, patch.memberId);
    await tx
      .update(memberships)
      .set({ ...(patch.role ? { role: patch.role } : {}), ...(patch.memberId !== undefined ? { memberId: patch.memberId } : {}), updatedAt: new Date() })
      .where(eq(memberships.id, id));
    // A changed role takes effect at once: their sessions end, and they sign in again with it.
    if (patch.role && patch.role !== current.role) await endSessionsOf(tx, current.userId);
    return findTeamMember(tx, workspaceId, id);
  });
}

export async function removeTeamMember(db: Database, workspaceId: string, actor: Actor, id: string): Promise<TeamMember> {
  return db.transaction(async (tx) => {
    const current = await findTeamMember(tx, workspaceId, id);
    if (current.role === 'owner' && actor.role !== 'owner') throw forbidden('Only an owner can remove an owner');
    if (current.role === 'owner' && (await ownersLeft(tx, workspaceId)) <= 1) throw conflict('last_owner', 'A workspace keeps at least one owner');
    await tx.delete(memberships).where(eq(memberships.id, id));
    await endSessionsOf(tx, current.userId);
    return current;
  });
}

// ------------------------------------------------------------------ invitations

type InvitationRow = typeof invitations.$inferSelect;

export const toInvitation = (row: InvitationRow): Invitation => ({
  id: row.id,
  email: row.email,
  role: row.role,
  memberId: row.memberId,
  expiresAt: toInstant(row.expiresAt),
  acceptedAt: row.acceptedAt ? toInstant(row.acceptedAt) : null,
  revokedAt: row.revokedAt ? toInstant(row.revokedAt) : null,
  createdAt: toInstant(row.createdAt),
});

export function invitationUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/v1/auth/invitation?token=${encodeURIComponent(token)}`;
}

export async function createInvitation(
  db: Database,
  deps: { secretBox: SecretBox; publicUrl: string },
  workspaceId: string,
  actor: Actor & { name: string | null },
  input: InvitationCreate,
): Promise<{ invitation: Invitation; url: string }> {
  mayGrant(actor, input.role);
  const email = normalizeEmail(input.email);
  return db.transaction(async (tx) => {
    await checkMemberProfile(tx, workspaceId, input.memberId);
    const existing = await findUserByEmail(tx, email);
    if (existing && (await membershipIn(tx, existing.id, workspaceId))) throw conflict('already_a_member', 'This person is already in the workspace');
    const token = randomToken();
    const [row] = await tx
      .insert(invitations)
      .values({ workspaceId, email, role: input.role, memberId: input.memberId ?? null, tokenHash: sha256(token), invitedBy: actor.userId, expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000) })
      .returning();
    const url = invitationUrl(deps.publicUrl, token);
    await enqueueAccountMail(tx, deps.secretBox, { kind: 'invitation', invitationId: row!.id, url, inviter: actor.name });
    return { invitation: toInvitation(row!), url };
  });
}

export async function listInvitations(db: Db, workspaceId: string): Promise<Invitation[]> {
  return (await db.select().from(invitations).where(eq(invitations.workspaceId, workspaceId)).orderBy(desc(invitations.createdAt)).limit(500)).map(toInvitation);
}

export async function findInvitation(db: Db, workspaceId: string, id: string): Promise<Invitation> {
  const [row] = await db.select().from(invitations).where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.id, id))).limit(1);
  if (!row) throw notFound('invitation_not_found', `No invitation ${id} in this workspace`);
  return toInvitation(row);
}

export async function revokeInvitation(db: Db, workspaceId: string, id: string): Promise<Invitation> {
  await findInvitation(db, workspaceId, id);
  const [row] = await db.update(invitations).set({ revokedAt: new Date() }).where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt))).returning();
  return row ? toInvitation(row) : findInvitation(db, workspaceId, id);
}

/**
 * Accepting: the link proves the address, so it creates the person (with the name and password
 * given) or adds the membership to the account they have. Single use.
 */
export async function acceptInvitation(db: Database, input: { token: string; name?: string | undefined; password?: string | undefined }): Promise<{ userId: string; workspaceId: string; membershipId: string; role: AccountRole }> {
  return db.transaction(async (tx) => {
    const [invitation] = await tx
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(and(eq(invitations.tokenHash, sha256(input.token)), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`)))
      .returning();
    if (!invitation) throw new HttpError(400, 'invitation_invalid', 'This invitation link is invalid, used or expired; ask for a new one');
    const { user, created } = await ensureUser(tx, { email: invitation.email, name: input.name, password: input.password });
    if (!created && input.password && !user.passwordHash) {
      await tx.update(users).set({ passwordHash: await hashPassword(input.password), updatedAt: new Date() }).where(eq(users.id, user.id));
    }
    const { membership } = await ensureMembership(tx, { userId: user.id, workspaceId: invitation.workspaceId, role: invitation.role, memberId: invitation.memberId });
    return { userId: user.id, workspaceId: invitation.workspaceId, membershipId: membership.id, role: membership.role };
  });
}

// ------------------------------------------------------------------ deleting a workspace

/**
 * Everything goes: bookings first (they hold on to studies, hosts and participants), then the
 * workspace, whose rows cascade. Refused while a confirmed interview is still to come, so nobody
 * waits for a call that will not happen: those are cancelled first, and the participants told.
 */
export async function deleteWorkspace(db: Database, workspaceId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [upcoming] = await tx
      .select({ n: count() })
      .from(bookings)
      .where(and(eq(bookings.workspaceId, workspaceId), eq(bookings.status, 'confirmed'), gt(bookings.endsAt, sql`now()`)));
    if ((upcoming?.n ?? 0) > 0) throw conflict('workspace_has_upcoming_interviews', `Cancel the ${upcoming!.n} upcoming interview(s) first, so their participants are told`);
    await tx.delete(bookings).where(eq(bookings.workspaceId, workspaceId));
    await tx.delete(workspaces).where(eq(workspaces.id, workspaceId));
  });
}
