// How often anyone may be asked, across every study and device: the server holds these when it
// serves the widget's configuration, when events arrive and when someone books.
import type { ContactRules, Workspace } from '@beckon/shared/api';
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import type { FieldProblem } from '../../lib/fields.js';
import { problemOfError } from '../../ui/common.js';
import { Form, NumberField, SaveActions } from '../../ui/form.js';

const FIELDS: { path: string; label: string; hint?: string; get: (r: ContactRules) => number; put: (r: ContactRules, n: number) => ContactRules; suffix: string }[] = [
  { path: 'contactRules.interviews.max', label: 'Interviews per person', get: (r) => r.interviews.max, put: (r, n) => ({ ...r, interviews: { ...r.interviews, max: n } }), suffix: 'at most' },
  { path: 'contactRules.interviews.days', label: '… in any', get: (r) => r.interviews.days, put: (r, n) => ({ ...r, interviews: { ...r.interviews, days: n } }), suffix: 'days' },
  { path: 'contactRules.intercepts.max', label: 'Invitations shown per person', hint: 'Across all studies', get: (r) => r.intercepts.max, put: (r, n) => ({ ...r, intercepts: { ...r.intercepts, max: n } }), suffix: 'at most' },
  { path: 'contactRules.intercepts.days', label: '… in any', get: (r) => r.intercepts.days, put: (r, n) => ({ ...r, intercepts: { ...r.intercepts, days: n } }), suffix: 'days' },
  { path: 'contactRules.dismissCooldown.study', label: 'After a dismissal, that study rests', get: (r) => r.dismissCooldown.study, put: (r, n) => ({ ...r, dismissCooldown: { ...r.dismissCooldown, study: n } }), suffix: 'days' },
  { path: 'contactRules.dismissCooldown.any', label: '… and every study', get: (r) => r.dismissCooldown.any, put: (r, n) => ({ ...r, dismissCooldown: { ...r.dismissCooldown, any: n } }), suffix: 'days' },
  { path: 'contactRules.optOutCooldown.study', label: 'After “Don’t ask me again”, that study rests', get: (r) => r.optOutCooldown.study, put: (r, n) => ({ ...r, optOutCooldown: { ...r.optOutCooldown, study: n } }), suffix: 'days' },
  { path: 'contactRules.optOutCooldown.any', label: '… and every study', get: (r) => r.optOutCooldown.any, put: (r, n) => ({ ...r, optOutCooldown: { ...r.optOutCooldown, any: n } }), suffix: 'days' },
  { path: 'contactRules.noShowLimit', label: 'Never invite again after', get: (r) => r.noShowLimit, put: (r, n) => ({ ...r, noShowLimit: n }), suffix: 'no-shows' },
];

export function ContactRulesPanel(props: { workspace: Workspace; onSaved: (workspace: Workspace) => void }) {
  const rules = props.workspace.contactRules;
  const [draft, setDraft] = useState<string[]>(() => (rules ? FIELDS.map((f) => String(f.get(rules))) : []));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  if (!rules) return null;
  const submit = async () => {
    const found = FIELDS.flatMap((f, i) => (/^\d{1,4}$/.test(draft[i]!.trim()) ? [] : [{ field: f.path, message: 'Enter a whole number' }]));
    if (found.length > 0) return setProblems(found);
    setProblems([]);
    setBusy(true);
    try {
      const contactRules = FIELDS.reduce((r, f, i) => f.put(r, Number(draft[i])), rules);
      props.onSaved(await api.updateWorkspace({ contactRules }));
      setStatus('Contact rules saved.');
    } catch (error) {
      setProblems([problemOfError(error)]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form problems={problems} onSubmit={submit} aria-label="Contact rules" class="settings-form">
      <section class="section" aria-labelledby="s-contact">
        <h2 id="s-contact" class="section-title">
          Contact rules
        </h2>
        <p class="hint">Held by the server for every study and every device a person uses; a person with an interview coming up is never invited.</p>
        <div class="row wrap">
          {FIELDS.map((f, i) => (
            <NumberField
              key={f.path}
              path={f.path}
              label={f.label}
              hint={f.hint}
              value={draft[i]!}
              suffix={f.suffix}
              onInput={(value) => {
                setDraft((d) => d.map((v, j) => (j === i ? value : v)));
                setStatus('');
              }}
            />
          ))}
        </div>
      </section>
      <SaveActions busy={busy} label="Save contact rules" status={status} />
    </Form>
  );
}
