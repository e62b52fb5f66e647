// Who is signed in: a person, by the session cookie the app never sees (HttpOnly). The app asks
// the server (GET /v1/auth/session) and keeps the answer in memory: the person, their role in the
// current workspace, their other workspaces and the CSRF token every change must carry. A reload
// asks again. No secret is kept in the browser: API keys are for machines.
import type { Session } from '@beckon/shared/api';
import { can as roleCan, canForOwn, type Capability } from './lib/roles.js';

let current: Session | null = null;

export function getSession(): Session | null {
  return current;
}

export function setSession(session: Session | null): void {
  current = session;
}

export function getCsrfToken(): string | null {
  return current?.csrfToken ?? null;
}

/** Whether the signed-in person's role in the current workspace may do this. */
export function can(capability: Capability): boolean {
  const role = current?.workspace?.role;
  return role ? roleCan(role, capability) : false;
}

/** Whether they may do this to the interviewer profile `memberId` (their own, for an interviewer). */
export function canForMember(capability: Capability, memberId: string | undefined | null): boolean {
  if (can(capability)) return true;
  const role = current?.workspace?.role;
  return Boolean(role && memberId && current?.memberId === memberId && canForOwn(role, capability));
}
