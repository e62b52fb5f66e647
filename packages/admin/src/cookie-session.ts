// A person signed in as themselves (a sign-in link, an invitation, single sign-on) has a session
// cookie the app never sees (HttpOnly); the app only asks the server who is signed in and keeps
// the CSRF token it must send with every change. It lives in memory: a reload asks again.
let csrf: string | null = null;

export function getCsrfToken(): string | null {
  return csrf;
}

/** Asks the server whether this browser has a session; true when it has (and remembers its CSRF token). */
export async function resumeCookieSession(): Promise<boolean> {
  try {
    const response = await fetch('/v1/auth/session', { headers: { accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok) return false;
    const session = (await response.json()) as { csrfToken?: unknown; workspace?: unknown };
    if (typeof session.csrfToken !== 'string' || !session.workspace) return false;
    csrf = session.csrfToken;
    return true;
  } catch {
    return false;
  }
}

/** Ends the server session, if there is one. */
export async function endCookieSession(): Promise<void> {
  if (!csrf) return;
  const token = csrf;
  csrf = null;
  await fetch('/v1/auth/sign-out', { method: 'POST', headers: { 'x-csrf-token': token } }).catch(() => undefined);
}
