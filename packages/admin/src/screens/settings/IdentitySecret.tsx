// The identity secret: hidden until asked for; rotating asks first, because the old secret stops
// working at once.
import { useState } from 'preact/hooks';
import { api, type ApiError } from '../../api.js';
import { ConfirmButton, CopyButton, Notice, toApiError } from '../../ui/common.js';

export function IdentitySecret(props: { required: boolean }) {
  const [secret, setSecret] = useState<string | null>(null);
  const [shown, setShown] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<{ title: string; error: ApiError } | null>(null);
  const [rotated, setRotated] = useState(false);

  const toggle = async () => {
    if (shown) return setShown(false);
    setError(null);
    setLoading(true);
    try {
      setSecret(await api.getIdentitySecret());
      setShown(true);
    } catch (e) {
      setError({ title: 'Could not get the identity secret', error: toApiError(e) });
    } finally {
      setLoading(false);
    }
  };

  const rotate = async () => {
    setError(null);
    setRotated(false);
    try {
      setSecret(await api.rotateIdentitySecret());
      setShown(true);
      setRotated(true);
    } catch (e) {
      setError({ title: 'Could not rotate the identity secret', error: toApiError(e) });
    }
  };

  return (
    <div class="identity-secret" role="group" aria-labelledby="identity-secret-title">
      <h3 id="identity-secret-title" class="subsection-title">
        Identity secret
      </h3>
      <p class="hint">Your servers sign with it (HMAC-SHA256). Keep it there: never in a web page, an app or a repository.</p>
      <div class="secret-row">
        <code class={`secret-value${shown ? '' : ' secret-hidden'}`} id="identity-secret-value">
          {shown && secret ? secret : '•••••••••••••••• (hidden)'}
        </code>
        <button type="button" class="button-secondary button-small" aria-controls="identity-secret-value" disabled={loading} onClick={toggle}>
          {shown ? 'Hide' : 'Show'}
          <span class="visually-hidden"> the identity secret</span>
        </button>
        {shown && secret && <CopyButton text={secret} label="Copy the identity secret" what="identity secret" />}
      </div>
      {error && (
        <Notice kind="error" title={error.title}>
          <p>{error.error.message}</p>
        </Notice>
      )}
      {rotated && (
        <Notice kind="success" live>
          <p>A new identity secret was made. Put it on your servers now: signatures made with the old one are refused.</p>
        </Notice>
      )}
      <ConfirmButton
        class="button-danger"
        groupLabel="Confirm rotating the identity secret"
        question={
          <>
            Make a new identity secret? Signatures made with the old secret stop working at once
            {props.required ? ': until your servers sign with the new one, signed-in users cannot opt in or book.' : '.'}
          </>
        }
        confirmLabel="Yes, rotate it"
        cancelLabel="Keep the current secret"
        onConfirm={rotate}
      >
        Rotate the secret…
      </ConfirmButton>
    </div>
  );
}
