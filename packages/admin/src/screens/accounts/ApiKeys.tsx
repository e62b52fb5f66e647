// API keys (owners): for scripts and other systems, not for people. Each is named, full (what an
// admin may do) or read-only (GET only); its secret is shown once, when it is made.
import type { ApiKey } from '@beckon/shared/api';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api.js';
import type { FieldProblem } from '../../lib/fields.js';
import { formatDateTime } from '../../lib/time.js';
import { ConfirmButton, CopyButton, LoadError, Loading, Notice, PageHeading, problemOfError, StatusBadge, toApiError, useDisplayZone, useLoad } from '../../ui/common.js';
import { Fieldset, Form, Radio, TextField } from '../../ui/form.js';
import './accounts.css';

const ACCESS_LABELS: Record<ApiKey['access'], string> = { full: 'Full', read: 'Read only' };

export function ApiKeysScreen() {
  const keys = useLoad(() => api.listApiKeys(), []);
  const [created, setCreated] = useState<{ key: ApiKey; secret: string } | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [zone] = useDisplayZone();
  const when = (instant: string | null, otherwise: string) => (instant ? formatDateTime(instant, zone) : otherwise);

  return (
    <>
      <PageHeading title="API keys">API keys</PageHeading>
      <p class="lede">
        Keys let a script or another system use the admin API (send it as <code>Authorization: Bearer</code>). People sign in as themselves instead. A full key
        may do what an admin may; a read-only key may only read.
      </p>
      {created && <CreatedKey created={created} onDone={() => setCreated(null)} />}
      {message && (
        <Notice kind={message.kind} live>
          <p>{message.text}</p>
        </Notice>
      )}
      {keys.error && <LoadError error={keys.error} what="API keys" onRetry={keys.reload} />}
      {keys.loading && !keys.data && <Loading what="API keys" />}
      {keys.data && keys.data.length === 0 && <p class="muted">No API keys yet.</p>}
      {keys.data && keys.data.length > 0 && (
        <table class="table">
          <caption class="visually-hidden">API keys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Access</th>
              <th scope="col">Starts with</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((key) => (
              <tr key={key.id}>
                <th scope="row" data-label="Name">
                  {key.name} {key.revokedAt && <StatusBadge status="inactive" label="Revoked" />}
                </th>
                <td data-label="Access">{ACCESS_LABELS[key.access]}</td>
                <td data-label="Starts with">
                  <code>{key.prefix}…</code>
                </td>
                <td data-label="Created">{when(key.createdAt, '')}</td>
                <td data-label="Last used">{when(key.lastUsedAt, 'Never')}</td>
                <td class="cell-actions">
                  {!key.revokedAt && (
                    <ConfirmButton
                      class="button-small button-danger"
                      aria-label={`Revoke ${key.name}`}
                      groupLabel={`Confirm revoking ${key.name}`}
                      question={`Revoke ${key.name}? Requests with it are refused at once; this cannot be undone.`}
                      confirmLabel="Revoke key"
                      cancelLabel="Keep it"
                      onConfirm={async () => {
                        try {
                          const revoked = await api.revokeApiKey(key.id);
                          keys.set(keys.data!.map((k) => (k.id === revoked.id ? revoked : k)));
                          setMessage({ kind: 'success', text: `${key.name} was revoked.` });
                        } catch (error) {
                          setMessage({ kind: 'error', text: toApiError(error).message });
                        }
                      }}
                    >
                      Revoke
                    </ConfirmButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CreateKey
        onAttempt={() => {
          setMessage(null);
          setCreated(null);
        }}
        onCreated={(result) => {
          setCreated(result);
          keys.set([result.key, ...(keys.data ?? [])]);
        }}
      />
    </>
  );
}

/** The secret, this once: a warning, the key and a copy button; the notice takes focus. */
function CreatedKey(props: { created: { key: ApiKey; secret: string }; onDone: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [props.created]);
  return (
    <div class="notice notice-warning" role="region" aria-labelledby="new-key-title" tabIndex={-1} ref={ref}>
      <p class="notice-title" id="new-key-title">
        Copy the key “{props.created.key.name}” now
      </p>
      <p>This is the only time Beckon shows it: it keeps only a fingerprint. Store it in your secret manager; if it is lost, revoke it and make another.</p>
      <div class="secret-once">
        <code aria-label="The new API key">{props.created.secret}</code>
        <CopyButton text={props.created.secret} label="Copy the new API key" what="API key" />
      </div>
      <button type="button" class="button-small button-secondary" onClick={props.onDone}>
        I have stored it
      </button>
    </div>
  );
}

function CreateKey(props: { onCreated: (result: { key: ApiKey; secret: string }) => void; onAttempt: () => void }) {
  const [name, setName] = useState('');
  const [access, setAccess] = useState<ApiKey['access']>('read');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    props.onAttempt();
    if (!name.trim()) return setProblems([{ field: 'name', message: 'Name the key after what uses it, e.g. “Data warehouse sync”' }]);
    setBusy(true);
    setProblems([]);
    try {
      props.onCreated(await api.createApiKey({ name: name.trim(), access }));
      setName('');
    } catch (error) {
      setProblems([problemOfError(error)]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="section" aria-labelledby="create-key">
      <h2 id="create-key" class="section-title">
        Create an API key
      </h2>
      <Form problems={problems} onSubmit={submit} aria-label="Create an API key">
        <TextField path="name" label="Name" hint="What uses it, so you know what breaks if you revoke it." value={name} maxLength={80} required onInput={setName} size="medium" />
        <Fieldset path="access" legend="Access" class="radios">
          <Radio name="access" value="read" current={access} label="Read only" hint="GET requests: reports, exports, dashboards" onChange={setAccess} />
          <Radio name="access" value="full" current={access} label="Full" hint="What an admin may do, except API keys and single sign-on" onChange={setAccess} />
        </Fieldset>
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </Form>
    </section>
  );
}
