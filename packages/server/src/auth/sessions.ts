// Sessions live in the database: the cookie holds a random 256-bit token, the table only its
// SHA-256, so a database leak yields no usable session. The cookie is HttpOnly, SameSite=Lax,
// and Secure (with the __Host- prefix) when Beckon is served over https. The CSRF token is
// derived from the session id with the server's key, so it needs no storage and dies with the
// session.
import { and, eq, gt, sql } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import type { Database, Transaction } from '../db/client.js';
import { sessions, users } from '../db/schema.js';
import { randomToken, safeEqual, sha256, type SecretBox } from '../security/secrets.js';

export const SESSION_TTL_MS = 14 * 86_400_000;
const LAST_SEEN_EVERY_MS = 60_000;

export type SessionMethod = 'password' | 'link' | 'sso' | 'invitation';
export type SessionRow = typeof sessions.$inferSelect;
export type UserRow = typeof users.$inferSelect;

export function cookieName(publicUrl: string): string {
  return publicUrl.startsWith('https:') ? '__Host-beckon_session' : 'beckon_session';
}

export function cookieOptions(publicUrl: string) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: publicUrl.startsWith('https:') };
}

export async function createSession(db: Database | Transaction, input: { userId: string; workspaceId: string | null; method: SessionMethod }): Promise<{ token: string; session: SessionRow }> {
  const token = randomToken();
  const [session] = await db
    .insert(sessions)
    .values({ tokenHash: sha256(token), userId: input.userId, workspaceId: input.workspaceId, method: input.method, expiresAt: new Date(Date.now() + SESSION_TTL_MS) })
    .returning();
  return { token, session: session! };
}

export function setSessionCookie(reply: FastifyReply, publicUrl: string, token: string): void {
  reply.setCookie(cookieName(publicUrl), token, { ...cookieOptions(publicUrl), maxAge: Math.floor(SESSION_TTL_MS / 1000) });
}

export function clearSessionCookie(reply: FastifyReply, publicUrl: string): void {
  reply.clearCookie(cookieName(publicUrl), cookieOptions(publicUrl));
}

/** The live session and its person for a cookie token, or undefined. */
export async function findSession(db: Database, token: string): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(sessions.userId, users.id))
    .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, sql`now()`)))
    .limit(1);
  if (!row) return undefined;
  if (Date.now() - row.session.lastSeenAt.getTime() > LAST_SEEN_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, row.session.id));
  }
  return row;
}

export async function endSession(db: Database, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
}

/** Every session of a person ends now (removed from a workspace, role changed, password changed). */
export async function endSessionsOf(db: Database | Transaction, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export function csrfToken(secretBox: SecretBox, sessionId: string): string {
  return secretBox.deriveToken('csrf', sessionId);
}

export function csrfValid(secretBox: SecretBox, sessionId: string, header: string | string[] | undefined): boolean {
  return typeof header === 'string' && safeEqual(header, csrfToken(secretBox, sessionId));
}
