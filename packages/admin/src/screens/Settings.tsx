import type { ParticipantErase, Workspace } from '@beckon/shared/api';
import { describeErasure, ERASE_BY, eraseRequestFromDraft, type EraseBy, type EraseDraft } from '../lib/erase.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type ApiError } from '../api.js';
import { fieldId, type FieldProblem } from '../lib/fields.js';
import {
  draftFromWorkspace,
  embedSnippet,
  THEME_FIELDS,
  THEME_MODES,
  withoutBlankOrigins,
  workspaceUpdateFromDraft,
  type WorkspaceDraft,
} from '../lib/workspace-form.js';
import { ConfirmButton, CopyButton, LoadError, Loading, Notice, PageHeading, problemOfError, toApiError, useLoad } from '../ui/common.js';
import { Checkbox, ErrorSlot, Fieldset, focusField, Form, NumberField, SaveActions, SelectField, TextField } from '../ui/form.js';

export function SettingsScreen() {
  const workspace = useLoad(() => api.getWorkspace(), []);
  return (
    <>
      <PageHeading title="Settings">Settings</PageHeading>
      <p class="lede">How the widget gets onto your product, where it may run, how it looks, and how Beckon knows who your users are.</p>
      {workspace.error && <LoadError error={workspace.error} what="Settings" onRetry={workspace.reload} />}
      {workspace.loading && !workspace.data && <Loading what="settings" />}
      {workspace.data && (
        <>
          <EmbedPanel workspace={workspace.data} />
          <WorkspaceForm key={workspace.data.id} workspace={workspace.data} onSaved={workspace.set} />
          <ErasePanel />
        </>
      )}
    </>
  );
}

/** Forgetting a participant who asks for it: asked for once, confirmed, then said what was done. */
function ErasePanel() {
  const [draft, setDraft] = useState<EraseDraft>({ by: 'email', value: '' });
  const [confirming, setConfirming] = useState<ParticipantErase | null>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const who = draft.value.trim();
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  const ask = () => {
    setStatus('');
    const result = eraseRequestFromDraft(draft);
    if ('problems' in result) return setProblems(result.problems);
    setProblems([]);
    setConfirming(result.body);
  };
  const erase = async () => {
    if (!confirming) return;
    setBusy(true);
    try {
      const result = await api.eraseParticipant(confirming);
      setStatus(describeErasure(who, result));
      setDraft({ ...draft, value: '' });
      setConfirming(null);
      heading.current?.focus();
    } catch (error) {
      setConfirming(null);
      const problem = problemOfError(error);
      // "Nobody like that" is about what was typed.
      setProblems([problem.field ? problem : { ...problem, field: draft.by }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="section" aria-labelledby="s-erase">
      <h2 id="s-erase" class="section-title" tabIndex={-1} ref={heading}>
        Erase a participant
      </h2>
      <p>
        When someone asks to be forgotten: their upcoming interviews are cancelled (the team is told), then their name, email, traits and answers are removed.
        Their bookings still count in the funnel without them, and they are never invited again. This cannot be undone.
      </p>
      <p role="status" class="saved">
        {status}
      </p>
      <Form problems={problems} onSubmit={ask} aria-label="Erase a participant">
        <div class="row">
          <SelectField<EraseBy> path="by" label="Find them by" value={draft.by} options={ERASE_BY} onChange={(by) => {
              setDraft({ by, value: '' });
              setConfirming(null);
            }}
          />
          <TextField
            key={draft.by}
            path={draft.by}
            label={draft.by === 'email' ? 'Email' : 'User id'}
            type={draft.by === 'email' ? 'email' : 'text'}
            value={draft.value}
            size="medium"
            spellcheck={false}
            autoComplete="off"
            onInput={(value) => {
              setDraft({ ...draft, value });
              setConfirming(null);
            }}
          />
        </div>
        {confirming ? (
          <div class="confirm" role="group" aria-label={`Confirm erasing ${who}`}>
            <p>
              Erase <strong>{who}</strong> for good?
            </p>
            <div class="actions">
              <button type="button" class="button-danger" onClick={erase} disabled={busy} ref={confirmButton}>
                {busy ? 'Erasing…' : 'Yes, erase'}
              </button>
              <button
                type="button"
                class="button-secondary"
                onClick={() => {
                  setConfirming(null);
                  focusField(draft.by);
                }}
                disabled={busy}
              >
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <SaveActions busy={false} label="Erase…" status="" />
        )}
      </Form>
    </section>
  );
}

function EmbedPanel({ workspace }: { workspace: Workspace }) {
  // The admin app is served by the Beckon server itself, so its origin is the API host.
  const snippet = embedSnippet(workspace.publicKey, window.location.origin);
  const toOrigins = (event: MouseEvent) => {
    event.preventDefault();
    focusField('allowedOrigins');
  };
  return (
    <section class="section settings-embed" aria-labelledby="s-embed">
      <h2 id="s-embed" class="section-title">
        Embed on your site
      </h2>
      <p>
        An engineer pastes this into the <code>&lt;head&gt;</code> of your product’s pages. It loads the widget without slowing the page down.
      </p>
      <div class="snippet">
        <pre class="snippet-code" tabIndex={0} role="region" aria-label="Embed snippet">
          <code>{snippet}</code>
        </pre>
        <div class="snippet-actions">
          <CopyButton text={snippet} label="Copy the embed snippet" what="snippet" />
        </div>
      </div>
      <p class="hint">
        Once a user is signed in, the page tells the widget who they are, so studies can target them: <code>beckon('identify', user.id, {'{ plan: user.plan }'})</code>
        {workspace.requireIdentityVerification ? (
          <>
            , with the signature your servers make: <code>{'{ signature }'}</code> as the fourth argument.
          </>
        ) : (
          '.'
        )}
      </p>
      {workspace.allowedOrigins.length === 0 ? (
        <Notice kind="warning" title="No site may show the widget yet">
          <p>
            The widget only runs on the sites under{' '}
            <a href={`#${fieldId('allowedOrigins')}`} onClick={toOrigins}>
              Allowed origins
            </a>
            . Add your product’s origin, e.g. https://app.example.com, and save.
          </p>
        </Notice>
      ) : (
        <p class="hint">
          The widget only runs on the sites under{' '}
          <a href={`#${fieldId('allowedOrigins')}`} onClick={toOrigins}>
            Allowed origins
          </a>{' '}
          (now {workspace.allowedOrigins.join(', ')}): the site you paste this into must be one of them.
        </p>
      )}
    </section>
  );
}

function WorkspaceForm(props: { workspace: Workspace; onSaved: (workspace: Workspace) => void }) {
  const [draft, setDraft] = useState<WorkspaceDraft>(() => draftFromWorkspace(props.workspace));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<WorkspaceDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setStatus('');
  };
  const setTheme = (key: string, value: string) => {
    const theme = { ...draft.theme };
    if (value === '') delete theme[key];
    else theme[key] = value;
    set({ theme });
  };

  const submit = async () => {
    const compact = withoutBlankOrigins(draft);
    setDraft(compact);
    const result = workspaceUpdateFromDraft(compact, props.workspace);
    if ('problems' in result) return setProblems(result.problems);
    setProblems([]);
    if (!result.body) return setStatus('Nothing changed.');
    setBusy(true);
    try {
      const updated = await api.updateWorkspace(result.body);
      setDraft(draftFromWorkspace(updated));
      props.onSaved(updated);
      setStatus('Settings saved.');
    } catch (error) {
      setProblems([problemOfError(error)]);
    } finally {
      setBusy(false);
    }
  };

  const mode = draft.theme.mode === 'dark' || draft.theme.mode === 'auto' ? draft.theme.mode : '';

  return (
    <Form problems={problems} onSubmit={submit} aria-label="Workspace settings" class="settings-form">
      <section class="section" aria-labelledby="s-workspace">
        <h2 id="s-workspace" class="section-title">
          Workspace
        </h2>
        <TextField
          path="name"
          label="Workspace name"
          hint="Participants see it in their emails: “your chat with Acme”."
          value={draft.name}
          maxLength={120}
          required
          size="medium"
          onInput={(name) => set({ name })}
        />
        <TextField
          path="privacyUrl"
          label="Privacy policy (optional)"
          hint="The address of your privacy policy; the widget links to it where people enter their details."
          type="url"
          value={draft.privacyUrl}
          spellcheck={false}
          placeholder="https://example.com/privacy"
          onInput={(privacyUrl) => set({ privacyUrl })}
        />
        <div class="row">
          <TextField
            path="locale"
            label="Language for dates"
            hint="How participants see dates and times: en, en-GB, de, fr-CA…"
            value={draft.locale}
            size="short"
            maxLength={5}
            spellcheck={false}
            autoComplete="off"
            onInput={(locale) => set({ locale })}
          />
          <NumberField
            path="recontactDays"
            label="Ask again after"
            hint="Someone who was invited is not invited again for this long; a study can set its own."
            value={draft.recontactDays}
            suffix="days"
            onInput={(recontactDays) => set({ recontactDays })}
          />
        </div>
      </section>

      <Fieldset
        path="allowedOrigins"
        legend="Allowed origins"
        legendClass="section-title"
        class="section"
        hint="The sites the widget may run on: http:// or https://, the host, and a port if it is not the default; no path. List staging and production separately."
      >
        <OriginsEditor origins={draft.allowedOrigins} onChange={(allowedOrigins) => set({ allowedOrigins })} />
      </Fieldset>

      <section class="section" aria-labelledby="s-theme">
        <h2 id="s-theme" class="section-title">
          Widget appearance
        </h2>
        <p class="hint">Empty fields keep the widget’s defaults. Values are CSS, e.g. #4f46e5 for a colour. A page can still override them with --beckon-brand and the like.</p>
        <div class="row">
          {THEME_FIELDS.map((field) => (
            <TextField
              key={field.key}
              path={`theme.${field.key}`}
              label={field.label}
              hint={field.hint}
              value={draft.theme[field.key] ?? ''}
              maxLength={100}
              size="medium"
              spellcheck={false}
              autoComplete="off"
              onInput={(value) => setTheme(field.key, value)}
            />
          ))}
        </div>
        <SelectField path="theme.mode" label="Light or dark" value={mode} options={THEME_MODES} onChange={(value) => setTheme('mode', value)} />
      </section>

      <section class="section" aria-labelledby="s-identity">
        <h2 id="s-identity" class="section-title">
          Identity verification
        </h2>
        <p>
          Anyone can call <code>beckon('identify', …)</code> in their own browser with any user id and traits. With verification required, your servers sign each
          user’s id and traits with the identity secret, and Beckon refuses opt-ins and bookings that are not signed.
        </p>
        <ErrorSlot path="requireIdentityVerification">
          <Checkbox
            label="Require identity verification"
            hint=" · turn it on once your servers sign every identify call"
            checked={draft.requireIdentityVerification}
            onChange={(requireIdentityVerification) => set({ requireIdentityVerification })}
          />
        </ErrorSlot>
        <IdentitySecret required={props.workspace.requireIdentityVerification} />
      </section>

      <SaveActions busy={busy} label="Save settings" status={status} />
    </Form>
  );
}

/** One input per origin, with add and remove; focus follows so keyboard users stay in the list. */
function OriginsEditor(props: { origins: string[]; onChange: (origins: string[]) => void }) {
  const { origins, onChange } = props;
  const addButton = useRef<HTMLButtonElement>(null);
  // The row to focus after the next render: a new row, or the one that took a removed row's place.
  const [focusRow, setFocusRow] = useState<number | null>(null);
  useEffect(() => {
    if (focusRow === null) return;
    const input = focusRow >= 0 && focusRow < origins.length ? document.getElementById(fieldId(`allowedOrigins.${focusRow}`)) : null;
    (input ?? addButton.current)?.focus();
    setFocusRow(null);
  }, [focusRow, origins.length]);

  return (
    <>
      {origins.length === 0 && <p class="muted">No origins yet: the widget runs nowhere.</p>}
      {origins.length > 0 && (
        <ul class="origin-list">
          {origins.map((origin, i) => (
            <li key={i} class="origin-row">
              <TextField
                path={`allowedOrigins.${i}`}
                label={`Allowed origin ${i + 1}`}
                hideLabel
                type="url"
                value={origin}
                maxLength={255}
                spellcheck={false}
                autoComplete="off"
                placeholder="https://app.example.com"
                onInput={(value) => onChange(origins.map((o, k) => (k === i ? value : o)))}
              />
              <button
                type="button"
                class="button-secondary button-small"
                aria-label={`Remove ${origin.trim() || `allowed origin ${i + 1}`}`}
                onClick={() => {
                  onChange(origins.filter((_, k) => k !== i));
                  setFocusRow(i < origins.length - 1 ? i : i - 1);
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <button
        ref={addButton}
        type="button"
        class="button-secondary"
        onClick={() => {
          onChange([...origins, '']);
          setFocusRow(origins.length);
        }}
      >
        Add an origin
      </button>
    </>
  );
}

/** Hidden until asked for; rotating asks first, because the old secret stops working at once. */
function IdentitySecret(props: { required: boolean }) {
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
