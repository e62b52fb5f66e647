// Single sign-on (owners): the workspace's OpenID Connect provider. Shows the current connection
// (never the client secret, which the server keeps sealed), connects or replaces it (the server
// reads the provider's discovery document before saving and says at the issuer field when it
// cannot), and disconnects it after a question.
import type { AccountRole, SsoSettings, SsoUpdate } from '@beckon/shared/api';
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import type { FieldProblem } from '../../lib/fields.js';
import { ROLE_LABELS } from '../../lib/roles.js';
import { ConfirmButton, CopyButton, LoadError, Loading, Notice, problemOfError, toApiError, useLoad } from '../../ui/common.js';
import { Checkbox, Form, SelectField, TextField } from '../../ui/form.js';

type JoinRole = NonNullable<SsoUpdate['autoJoinRole']>;
const JOIN_ROLES: JoinRole[] = ['viewer', 'interviewer', 'researcher', 'admin'];

export function SsoPanel() {
  const sso = useLoad(() => api.getSso(), []);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [editing, setEditing] = useState(false);
  const current = sso.data ?? null;
  return (
    <section class="section" aria-labelledby="s-sso">
      <h2 id="s-sso" class="section-title">
        Single sign-on
      </h2>
      <p>Let your team sign in through your identity provider (OpenID Connect: Okta, Entra ID, Google Workspace and others).</p>
      {message && (
        <Notice kind={message.kind} live>
          <p>{message.text}</p>
        </Notice>
      )}
      {sso.error && <LoadError error={sso.error} what="Single sign-on" onRetry={sso.reload} />}
      {sso.loading && sso.data === undefined && <Loading what="single sign-on" />}
      {!sso.loading && !sso.error && current && (
        <>
          <dl class="sso-current" aria-label="Current single sign-on connection">
            <dt>Issuer</dt>
            <dd>
              <code>{current.issuerUrl}</code>
            </dd>
            <dt>Client ID</dt>
            <dd>
              <code>{current.clientId}</code>
            </dd>
            <dt>Client secret</dt>
            <dd>Stored sealed; never shown</dd>
            <dt>Allowed email domains</dt>
            <dd>{current.autoJoinDomains.length > 0 ? current.autoJoinDomains.join(', ') : 'None: only existing members sign in'}</dd>
            <dt>Auto-join</dt>
            <dd>{current.autoJoinDomains.length > 0 ? `On, as ${ROLE_LABELS[current.autoJoinRole]}` : 'Off'}</dd>
            <dt>Redirect URI</dt>
            <dd class="sso-copy">
              <code>{current.redirectUri}</code>
              <CopyButton text={current.redirectUri} label="Copy the redirect URI" what="Redirect URI" />
            </dd>
            <dt>Sign-in link</dt>
            <dd class="sso-copy">
              <code>{current.signInUrl}</code>
              <CopyButton text={current.signInUrl} label="Copy the sign-in link" what="Sign-in link" />
            </dd>
          </dl>
          <div class="form-actions">
            {!editing && (
              <button
                type="button"
                class="button-secondary"
                onClick={() => {
                  setMessage(null);
                  setEditing(true);
                }}
              >
                Replace connection
              </button>
            )}
            <ConfirmButton
              class="button-danger"
              groupLabel="Confirm disconnecting single sign-on"
              question="Disconnect single sign-on? People who sign in through it will need a password or a sign-in link."
              confirmLabel="Disconnect"
              cancelLabel="Keep it"
              onConfirm={async () => {
                try {
                  await api.removeSso();
                  sso.set(null);
                  setEditing(false);
                  setMessage({ kind: 'success', text: 'Single sign-on was disconnected.' });
                } catch (error) {
                  setMessage({ kind: 'error', text: toApiError(error).message });
                }
              }}
            >
              Disconnect single sign-on
            </ConfirmButton>
          </div>
        </>
      )}
      {!sso.loading && !sso.error && !current && <p class="muted">Not connected.</p>}
      {!sso.loading && !sso.error && (!current || editing) && (
        <SsoForm
          key={current?.updatedAt ?? 'new'}
          current={current}
          onCancel={current ? () => setEditing(false) : undefined}
          onAttempt={() => setMessage(null)}
          onSaved={(saved) => {
            sso.set(saved);
            setEditing(false);
            setMessage({ kind: 'success', text: `Single sign-on is connected to ${saved.issuerUrl}. Register the redirect URI below with your provider.` });
          }}
        />
      )}
    </section>
  );
}

function SsoForm(props: { current: SsoSettings | null; onSaved: (saved: SsoSettings) => void; onCancel?: () => void; onAttempt: () => void }) {
  const { current } = props;
  const [issuerUrl, setIssuerUrl] = useState(current?.issuerUrl ?? '');
  const [clientId, setClientId] = useState(current?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [domains, setDomains] = useState(current?.autoJoinDomains.join(', ') ?? '');
  const [autoJoin, setAutoJoin] = useState(Boolean(current && current.autoJoinDomains.length > 0));
  const [role, setRole] = useState<JoinRole>(current && current.autoJoinRole !== 'owner' ? current.autoJoinRole : 'viewer');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    props.onAttempt();
    const found: FieldProblem[] = [];
    const issuer = issuerUrl.trim();
    if (!issuer) found.push({ field: 'issuerUrl', message: 'Enter the issuer URL your provider gives, e.g. https://login.example.com' });
    else if (!/^https?:\/\/\S+$/.test(issuer)) found.push({ field: 'issuerUrl', message: 'The issuer URL starts with https://' });
    if (!clientId.trim()) found.push({ field: 'clientId', message: 'Enter the client ID your provider issued for Beckon' });
    if (!current && !clientSecret) found.push({ field: 'clientSecret', message: 'Enter the client secret your provider issued for Beckon' });
    const list = autoJoin
      ? domains
          .split(/[\s,]+/)
          .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
          .filter(Boolean)
      : [];
    if (autoJoin && list.length === 0) found.push({ field: 'autoJoinDomains', message: 'Name at least one email domain, e.g. acme.com, or turn auto-join off' });
    if (found.length > 0) return setProblems(found);
    setProblems([]);
    setBusy(true);
    const body: SsoUpdate = {
      issuerUrl: issuer,
      clientId: clientId.trim(),
      ...(clientSecret ? { clientSecret } : {}),
      autoJoinDomains: [...new Set(list)],
      autoJoinRole: role,
    };
    try {
      props.onSaved(await api.saveSso(body));
    } catch (error) {
      setProblems([problemOfError(error)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form problems={problems} onSubmit={submit} aria-label={current ? 'Replace single sign-on' : 'Connect single sign-on'}>
      <TextField
        path="issuerUrl"
        label="Issuer URL"
        hint="Beckon reads the provider’s discovery document (/.well-known/openid-configuration) before saving."
        type="url"
        value={issuerUrl}
        maxLength={2000}
        required
        onInput={setIssuerUrl}
        spellcheck={false}
      />
      <TextField path="clientId" label="Client ID" value={clientId} maxLength={500} required onInput={setClientId} size="medium" spellcheck={false} />
      <TextField
        path="clientSecret"
        label="Client secret"
        hint={current ? 'Leave empty to keep the stored one.' : 'Stored sealed; never shown again.'}
        type="password"
        autoComplete="off"
        value={clientSecret}
        maxLength={2000}
        required={!current}
        onInput={setClientSecret}
        size="medium"
      />
      <Checkbox
        id="sso-auto-join"
        label="Let people from these email domains join on their first sign-in"
        hint=" · only addresses the provider has verified; without it, only existing members sign in"
        checked={autoJoin}
        onChange={setAutoJoin}
      />
      {autoJoin && (
        <>
          <TextField path="autoJoinDomains" label="Allowed email domains" hint="Separated by commas, e.g. acme.com, acme.co.uk" value={domains} maxLength={5000} onInput={setDomains} spellcheck={false} />
          <SelectField<JoinRole> path="autoJoinRole" label="Their role" value={role} onChange={setRole} options={JOIN_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r as AccountRole] }))} />
        </>
      )}
      <div class="form-actions">
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? 'Checking the provider…' : current ? 'Save connection' : 'Connect'}
        </button>
        {props.onCancel && (
          <button type="button" class="button-secondary" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </Form>
  );
}
