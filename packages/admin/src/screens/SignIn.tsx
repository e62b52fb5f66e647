import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import type { FieldProblem } from '../lib/fields.js';
import { setSecretKey } from '../session.js';
import { Form, TextField } from '../ui/form.js';
import { toApiError } from '../ui/common.js';
import './SignIn.css';

export function SignIn(props: { onSignedIn: () => void; reason?: string | undefined }) {
  const [key, setKey] = useState('');
  const [problems, setProblems] = useState<FieldProblem[]>(props.reason ? [{ message: props.reason }] : []);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = 'Sign in · Beckon';
  }, []);

  const submit = async () => {
    const trimmed = key.trim();
    if (!trimmed) {
      setProblems([{ field: 'secretKey', message: 'Paste your workspace secret key' }]);
      return;
    }
    setBusy(true);
    try {
      await api.verifyKey(trimmed);
      setSecretKey(trimmed);
      props.onSignedIn();
    } catch (error) {
      const e = toApiError(error);
      setProblems([{ field: e.status === 401 ? 'secretKey' : undefined, message: e.message }]);
      setBusy(false);
    }
  };

  return (
    <main id="main" class="signin">
      <div class="signin-card">
        <p class="brand brand-large" aria-hidden="true">
          <span class="brand-mark" />
          Beckon
        </p>
        <h1>Sign in to your workspace</h1>
        <p class="lede">Paste the workspace secret key. It stays in this browser tab only and is forgotten when you close it.</p>
        <Form problems={problems} onSubmit={submit} aria-label="Sign in">
          <TextField
            path="secretKey"
            label="Secret key"
            hint="It starts with sk_ and is shown once when the workspace is created."
            type="password"
            autoComplete="off"
            spellcheck={false}
            value={key}
            onInput={setKey}
            required
          />
          <button type="submit" class="button-primary" disabled={busy}>
            {busy ? 'Checking…' : 'Sign in'}
          </button>
        </Form>
      </div>
    </main>
  );
}
