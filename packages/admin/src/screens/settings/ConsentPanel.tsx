// Consent and NDA texts: every version with how many people accepted it; a new text (or the next
// version of one, by its title) and the study that must have it accepted before booking.
import type { ConsentTextInput } from '@beckon/shared/api';
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import type { FieldProblem } from '../../lib/fields.js';
import { LoadError, problemOfError, useLoad } from '../../ui/common.js';
import { Form, SaveActions, SelectField, TextAreaField, TextField } from '../../ui/form.js';

export function ConsentPanel() {
  const texts = useLoad(() => api.listConsentTexts(), []);
  const studies = useLoad(() => api.listStudies(), []);
  const [draft, setDraft] = useState({ title: '', body: '', kind: 'consent' as ConsentTextInput['kind'], studyId: '' });
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<typeof draft>) => (setDraft((d) => ({ ...d, ...patch })), setStatus(''));
  const asking = (id: string) => (studies.data ?? []).filter((s) => s.consentTextId === id).map((s) => s.name);

  const submit = async () => {
    const found: FieldProblem[] = [];
    if (!draft.title.trim()) found.push({ field: 'title', message: 'Give the text a title' });
    if (!draft.body.trim()) found.push({ field: 'body', message: 'Write the text people accept' });
    if (found.length > 0) return setProblems(found);
    setProblems([]);
    setBusy(true);
    try {
      const text = await api.createConsentText({ title: draft.title.trim(), body: draft.body.trim(), kind: draft.kind });
      if (draft.studyId) await api.updateStudy(draft.studyId, { consentTextId: text.id });
      setStatus(`Saved “${text.title}”, version ${text.version}.`);
      setDraft({ title: '', body: '', kind: 'consent', studyId: '' });
      texts.reload();
      studies.reload();
    } catch (error) {
      setProblems([problemOfError(error)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="section" aria-labelledby="s-consent">
      <h2 id="s-consent" class="section-title">
        Consent and NDA texts
      </h2>
      <p class="hint">A study can ask participants to accept one before booking; each acceptance is kept with the version and the time, and shows on the person in People.</p>
      {texts.error && <LoadError error={texts.error} what="Consent texts" onRetry={texts.reload} />}
      {texts.data && texts.data.length > 0 && (
        <table class="table">
          <caption class="visually-hidden">Consent texts</caption>
          <thead>
            <tr>
              <th scope="col">Text</th>
              <th scope="col">Version</th>
              <th scope="col">Accepted by</th>
              <th scope="col">Asked for by</th>
            </tr>
          </thead>
          <tbody>
            {texts.data.map((text) => (
              <tr key={text.id}>
                <th scope="row" data-label="Text">
                  {text.title} <span class="muted">({text.kind === 'nda' ? 'NDA' : 'consent'})</span>
                </th>
                <td data-label="Version">{text.version}</td>
                <td data-label="Accepted by">{text.accepted}</td>
                <td data-label="Asked for by">{asking(text.id).join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Form problems={problems} onSubmit={submit} aria-label="New consent text">
        <div class="row">
          <TextField path="title" label="Title" hint="The same title again makes the next version." value={draft.title} maxLength={120} size="medium" onInput={(title) => set({ title })} />
          <SelectField
            path="kind"
            label="Kind"
            value={draft.kind}
            options={[
              { value: 'consent', label: 'Research consent' },
              { value: 'nda', label: 'Non-disclosure agreement' },
            ]}
            onChange={(kind) => set({ kind })}
          />
        </div>
        <TextAreaField path="body" label="Text" value={draft.body} rows={6} maxLength={20_000} onInput={(body) => set({ body })} />
        <SelectField
          path="studyId"
          label="Ask for it before booking in"
          value={draft.studyId}
          options={[{ value: '', label: 'No study yet' }, ...(studies.data ?? []).map((s) => ({ value: s.id, label: s.name }))]}
          onChange={(studyId) => set({ studyId })}
        />
        <SaveActions busy={busy} label="Save text" status={status} />
      </Form>
    </section>
  );
}
