// Signing in as oneself: email and password, or a single-use link by email, or (when the address
// names a workspace with single sign-on) the workspace's identity provider. No answer tells
// whether an address has an account. API keys are for machines: they are not a way in here.
import type { Session } from '@beckon/shared/api';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import type { FieldProblem } from '../lib/fields.js';
import { looksLikeEmail } from '../lib/fields.js';
import { Form, TextField } from '../ui/form.js';
import { Notice, toApiError } from '../ui/common.js';
import './SignIn.css';
import { isUuid } from '@beckon/shared/ids';


/** The workspace whose single sign-on the sign-in address offers (`/admin?workspace=<id>`), if any. */
function ssoWorkspace(): string | null {
  const id = new URLSearchParams(window.location.search).get('workspace');
  return id && isUuid(id) ? id : null;
}

export function SignIn(props: { onSignedIn: (session: Session) => void; reason?: string | undefined }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<FieldProblem[]>(props.reason ? [{ message: props.reason }] : []);
  const [busy, setBusy] = useState<'password' | 'link' | null>(null);
  const [linkSentTo, setLinkSentTo] = useState<string | null>(null);
  const sentNotice = useRef<HTMLDivElement>(null);
  const sso = ssoWorkspace();
  useEffect(() => {
    document.title = 'Sign in · Beckon';
  }, []);
  useEffect(() => {
    if (linkSentTo) sentNotice.current?.focus();
  }, [linkSentTo]);

  const emailProblem = (): FieldProblem | null =>
    !email.trim() ? { field: 'email', message: 'Enter your email address' } : !looksLikeEmail(email.trim()) ? { field: 'email', message: 'Enter an email address like ada@example.com' } : null;

  const signIn = async () => {
    if (busy) return; // Enter pressed again while the first answer is on its way
    setLinkSentTo(null);
    const found = [emailProblem(), password ? null : { field: 'password', message: 'Enter your password, or ask for a sign-in link below' }].filter((p): p is FieldProblem => Boolean(p));
    if (found.length > 0) return setProblems(found);
    setBusy('password');
    try {
      const session = await api.signInWithPassword(email.trim(), password);
      props.onSignedIn(session);
    } catch (error) {
      // The same answer for an unknown address, a wrong password and a paused account.
      setProblems([{ message: toApiError(error).message }]);
      setPassword('');
      setBusy(null);
    }
  };

  const emailLink = async () => {
    if (busy) return;
    setLinkSentTo(null);
    const problem = emailProblem();
    if (problem) return setProblems([problem]);
    setBusy('link');
    try {
      await api.emailSignInLink(email.trim());
      setProblems([]);
      setLinkSentTo(email.trim());
    } catch (error) {
      setProblems([{ message: toApiError(error).message }]);
    } finally {
      setBusy(null);
    }
  };

  return (
    <main id="main" class="signin">
      <div class="signin-card">
        <p class="brand brand-large" aria-hidden="true">
          <span class="brand-mark" />
          Beckon
        </p>
        <h1>Sign in to Beckon</h1>
        <Form problems={problems} onSubmit={signIn} aria-label="Sign in">
          <TextField path="email" label="Email" type="email" autoComplete="username" spellcheck={false} value={email} onInput={setEmail} required />
          <TextField path="password" label="Password" type="password" autoComplete="current-password" value={password} onInput={setPassword} />
          <button type="submit" class="button-primary" disabled={busy !== null}>
            {busy === 'password' ? 'Signing in…' : 'Sign in'}
          </button>
          <div class="signin-alt">
            <p class="signin-or">No password, or forgot it?</p>
            <button type="button" class="button-secondary" disabled={busy !== null} onClick={() => void emailLink()}>
              {busy === 'link' ? 'Sending…' : 'Email me a sign-in link'}
            </button>
          </div>
        </Form>
        {linkSentTo && (
          <div class="notice notice-success signin-sent" role="status" tabIndex={-1} ref={sentNotice}>
            <p class="notice-title">Check your email</p>
            <p>
              If {linkSentTo} has a Beckon account, a sign-in link is on its way. It works once, for 30 minutes. We say this whether or not the address has an
              account, so nobody can use this page to find out who does.
            </p>
          </div>
        )}
        {sso && (
          <div class="signin-alt">
            <p class="signin-or">Your workspace uses single sign-on?</p>
            <a class="button button-secondary" href={`/v1/auth/sso/start?workspace=${encodeURIComponent(sso)}`}>
              Sign in with SSO
            </a>
          </div>
        )}
        <Notice>
          <p>
            New here? Ask an admin of your workspace to invite you. Connecting a script or another system? Use an API key: workspace owners create them under API
            keys.
          </p>
        </Notice>
      </div>
    </main>
  );
}
