// Your account (everyone signed in): who you are, and your password: set one (someone who came in
// by a sign-in link, an invitation or single sign-on may have none) or change it, which needs the
// current one. The server ends one's other sessions when the password changes.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import type { FieldProblem } from '../../lib/fields.js';
import { getSession, setSession } from '../../session.js';
import { Notice, PageHeading, problemOfError } from '../../ui/common.js';
import { Form, TextField } from '../../ui/form.js';
import './accounts.css';

/** The server's rule (PasswordChange in @beckon/shared). */
const MIN_PASSWORD = 10;
const MAX_PASSWORD = 200;

export function AccountScreen() {
  const session = getSession();
  const [hasPassword, setHasPassword] = useState(Boolean(session?.user.hasPassword));
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setDone(null);
    const found: FieldProblem[] = [];
    if (hasPassword && !current) found.push({ field: 'currentPassword', message: 'Enter your current password' });
    if (password.length < MIN_PASSWORD) found.push({ field: 'password', message: `Choose a new password of at least ${MIN_PASSWORD} characters` });
    else if (again !== password) found.push({ field: 'passwordAgain', message: 'The two new passwords are not the same' });
    if (found.length > 0) return setProblems(found);
    setProblems([]);
    setBusy(true);
    try {
      await api.changePassword(hasPassword ? { password, currentPassword: current } : { password });
      const wasSet = hasPassword;
      setHasPassword(true);
      const now = getSession();
      if (now) setSession({ ...now, user: { ...now.user, hasPassword: true } });
      setCurrent('');
      setPassword('');
      setAgain('');
      setDone(wasSet ? 'Your password was changed. You stay signed in here; your other sessions were signed out.' : 'Your password is set. You can now sign in with your email and this password.');
    } catch (error) {
      setProblems([problemOfError(error)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title="Your account">Your account</PageHeading>
      {session && (
        <p class="lede">
          Signed in as {session.user.name ? `${session.user.name} (${session.user.email})` : session.user.email}.
        </p>
      )}
      {done && (
        <Notice kind="success" live>
          <p>{done}</p>
        </Notice>
      )}
      <section class="section" aria-labelledby="account-password">
        <h2 id="account-password" class="section-title">
          {hasPassword ? 'Change your password' : 'Set a password'}
        </h2>
        {!hasPassword && <p>You have no password yet: you sign in by a link or single sign-on. Set one to sign in with your email and password too.</p>}
        <Form problems={problems} onSubmit={submit} aria-label={hasPassword ? 'Change your password' : 'Set a password'}>
          {hasPassword && (
            <TextField path="currentPassword" label="Current password" type="password" autoComplete="current-password" value={current} maxLength={MAX_PASSWORD} required onInput={setCurrent} size="medium" />
          )}
          <TextField
            path="password"
            label="New password"
            hint={`At least ${MIN_PASSWORD} characters. A few unrelated words are easy to remember and hard to guess.`}
            type="password"
            autoComplete="new-password"
            value={password}
            maxLength={MAX_PASSWORD}
            required
            onInput={setPassword}
            size="medium"
          />
          <TextField path="passwordAgain" label="New password again" type="password" autoComplete="new-password" value={again} maxLength={MAX_PASSWORD} required onInput={setAgain} size="medium" />
          <button type="submit" class="button-primary" disabled={busy}>
            {busy ? 'Saving…' : hasPassword ? 'Change password' : 'Set password'}
          </button>
        </Form>
      </section>
    </>
  );
}
