// People with roles in the test workspace, signed in the way the browser is: a session cookie
// and its CSRF token.
import type { AccountRole } from '@beckon/shared/api';
import type { LightMyRequestResponse } from 'fastify';
import { ensureMembership, ensureUser } from '../../src/auth/accounts.js';
import { cookieName, createSession, csrfToken } from '../../src/auth/sessions.js';
import type { TestApp } from '../support/app.js';

export interface SignedIn {
  userId: string;
  email: string;
  cookie: string;
  csrf: string;
  /** Headers for a request as this person: the cookie, and the CSRF token for changes. */
  headers: { cookie: string; 'x-csrf-token': string };
}

let counter = 0;
export const uniqueEmail = (label: string) => `${label}.${Date.now().toString(36)}.${++counter}@acme.test`;

/** A person in the test workspace with this role, and a session (made directly, as a sign-in would). */
export async function personWithRole(t: TestApp, role: AccountRole, options: { memberId?: string | null; password?: string; email?: string } = {}): Promise<SignedIn> {
  const email = options.email ?? uniqueEmail(role);
  const { user } = await ensureUser(t.app.db, { email, name: `Test ${role}`, password: options.password });
  await ensureMembership(t.app.db, { userId: user.id, workspaceId: t.workspace.workspaceId, role, memberId: options.memberId ?? null });
  const { token, session } = await createSession(t.app.db, { userId: user.id, workspaceId: t.workspace.workspaceId, method: 'password' });
  const cookie = `${cookieName(t.config.publicUrl)}=${token}`;
  const csrf = csrfToken(t.app.secretBox, session.id);
  return { userId: user.id, email, cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}

/** The session cookie a response set, as a Cookie header value. */
export function sessionCookieOf(response: LightMyRequestResponse, name = 'beckon_session'): string | undefined {
  const cookie = response.cookies.find((c) => c.name === name && c.value !== '');
  return cookie ? `${cookie.name}=${cookie.value}` : undefined;
}

/** The newest message to this address in the development outbox, after the worker ran the mail jobs. */
export async function latestMailTo(t: TestApp, email: string): Promise<{ subject: string; text: string } | undefined> {
  await t.app.worker.runOnce();
  const response = await t.app.inject({ url: `/dev/outbox.json?to=${encodeURIComponent(email)}` });
  return response.json().messages[0];
}

export const linkIn = (text: string, path: string): string | undefined => new RegExp(`https?://[^\\s)]+${path.replace(/[/?]/g, '\\$&')}[^\\s)]*`).exec(text)?.[0];
