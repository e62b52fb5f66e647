// Payouts (owners and admins): the workspace's own Tremendous account, which pays the rewards of
// studies whose incentive is paid by Tremendous. The API key is entered once and never shown again
// (only its last 4 characters); the server checks it with Tremendous before saving and says at the
// field what is wrong. Without one, the server's account pays if it has one; otherwise rewards are
// held in Incentives until an account is connected.
import type { TremendousEnvironment, TremendousSettings, TremendousSettingsUpdate } from '@beckon/shared/api';
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import type { FieldProblem } from '../../lib/fields.js';
import { ConfirmButton, LoadError, Loading, Notice, problemOfError, toApiError, useLoad } from '../../ui/common.js';
import { Form, SelectField, TextField } from '../../ui/form.js';

const ENVIRONMENTS: { value: TremendousEnvironment; label: string }[] = [
  { value: 'sandbox', label: 'Sandbox (testflight: nothing is paid)' },
  { value: 'production', label: 'Production (real rewards)' },
];

export function PayoutsPanel() {
  const settings = useLoad(() => api.getTremendous(), []);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [editing, setEditing] = useState(false);
  const current = settings.data?.configured ? settings.data : null;
  return (
    <section class="section" aria-labelledby="s-payouts">
      <h2 id="s-payouts" class="section-title">
        Payouts
      </h2>
      <p>Studies whose incentive is paid by Tremendous order each reward from your team’s Tremendous account when the interview is marked done.</p>
      {message && (
        <Notice kind={message.kind} live>
          <p>{message.text}</p>
        </Notice>
      )}
      {settings.error && <LoadError error={settings.error} what="Payouts" onRetry={settings.reload} />}
      {settings.loading && settings.data === undefined && <Loading what="payouts" />}
      {settings.data && current && (
        <>
          <dl class="sso-current" aria-label="Connected Tremendous account">
            <dt>Environment</dt>
            <dd>{current.environment === 'production' ? 'Production' : 'Sandbox'}</dd>
            <dt>API key</dt>
            <dd>
              Set, ending in <code>{current.apiKeyEnd}</code> (stored sealed; never shown)
            </dd>
            <dt>Funding source</dt>
            <dd>
              <code>{current.fundingSourceId}</code>
            </dd>
            <dt>Campaign</dt>
            <dd>{current.campaignId ? <code>{current.campaignId}</code> : 'None'}</dd>
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
                Change
              </button>
            )}
            <ConfirmButton
              class="button-danger"
              groupLabel="Confirm disconnecting Tremendous"
              question={
                settings.data.serverDefault
                  ? 'Disconnect Tremendous? Rewards will be paid from this server’s default account instead.'
                  : 'Disconnect Tremendous? Rewards paid by Tremendous will be held in Incentives until an account is connected.'
              }
              confirmLabel="Disconnect"
              cancelLabel="Keep it"
              onConfirm={async () => {
                try {
                  await api.removeTremendous();
                  settings.reload();
                  setEditing(false);
                  setMessage({ kind: 'success', text: 'Tremendous was disconnected.' });
                } catch (error) {
                  setMessage({ kind: 'error', text: toApiError(error).message });
                }
              }}
            >
              Disconnect Tremendous
            </ConfirmButton>
          </div>
        </>
      )}
      {settings.data && !current && (
        <p class="muted">
          {settings.data.serverDefault
            ? 'Not connected: rewards are paid from this server’s default Tremendous account.'
            : 'Not connected: rewards paid by Tremendous are held in Incentives until you connect an account.'}
        </p>
      )}
      {settings.data && (!current || editing) && (
        <TremendousForm
          key={current?.updatedAt ?? 'new'}
          current={current}
          onCancel={current ? () => setEditing(false) : undefined}
          onAttempt={() => setMessage(null)}
          onSaved={(saved) => {
            settings.set(saved);
            setEditing(false);
            setMessage({ kind: 'success', text: `Tremendous (${saved.environment}) is connected; rewards held for want of an account are being ordered.` });
          }}
        />
      )}
    </section>
  );
}

function TremendousForm(props: { current: TremendousSettings | null; onSaved: (saved: TremendousSettings) => void; onCancel?: () => void; onAttempt: () => void }) {
  const { current } = props;
  const [apiKey, setApiKey] = useState('');
  const [environment, setEnvironment] = useState<TremendousEnvironment>(current?.environment ?? 'sandbox');
  const [fundingSourceId, setFundingSourceId] = useState(current?.fundingSourceId ?? 'balance');
  const [campaignId, setCampaignId] = useState(current?.campaignId ?? '');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    props.onAttempt();
    const found: FieldProblem[] = [];
    if (!current && !apiKey.trim()) found.push({ field: 'apiKey', message: 'Enter your Tremendous API key (Tremendous → Team settings → Developers)' });
    if (fundingSourceId.trim() && !/^[A-Za-z0-9_-]+$/.test(fundingSourceId.trim())) found.push({ field: 'fundingSourceId', message: 'A funding source ID has only letters, digits, - and _' });
    if (campaignId.trim() && !/^[A-Za-z0-9_-]+$/.test(campaignId.trim())) found.push({ field: 'campaignId', message: 'A campaign ID has only letters, digits, - and _' });
    if (found.length > 0) return setProblems(found);
    setProblems([]);
    setBusy(true);
    const body: TremendousSettingsUpdate = {
      environment,
      ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}),
      fundingSourceId: fundingSourceId.trim() || 'balance',
      campaignId: campaignId.trim() || null,
    };
    try {
      props.onSaved(await api.saveTremendous(body));
    } catch (error) {
      setProblems([problemOfError(error)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form problems={problems} onSubmit={submit} aria-label={current ? 'Change the Tremendous account' : 'Connect Tremendous'}>
      <SelectField<TremendousEnvironment> path="environment" label="Environment" value={environment} onChange={setEnvironment} options={ENVIRONMENTS} />
      <TextField
        path="apiKey"
        label="API key"
        hint={current ? `Leave empty to keep the key ending in ${current.apiKeyEnd}.` : 'Checked with Tremendous before saving; stored sealed and never shown again.'}
        type="password"
        autoComplete="off"
        value={apiKey}
        maxLength={200}
        required={!current}
        onInput={setApiKey}
        size="medium"
        spellcheck={false}
      />
      <TextField path="fundingSourceId" label="Funding source" hint="“balance” pays from the account’s balance; or a funding source ID from Tremendous." value={fundingSourceId} maxLength={100} onInput={setFundingSourceId} size="medium" spellcheck={false} />
      <TextField path="campaignId" label="Campaign (optional)" hint="Which rewards the participant may choose, and the message they get." value={campaignId} maxLength={100} onInput={setCampaignId} size="medium" spellcheck={false} />
      <div class="form-actions">
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? 'Checking with Tremendous…' : current ? 'Save' : 'Connect Tremendous'}
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
