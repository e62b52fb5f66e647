// The study editor's preview: the study's invitation exactly as visitors will see it, in the real
// widget (the server's own /widget/ files) in a sandboxed frame, from the editor's copy as it is
// now, saved or not: the invitation, the screener and the free times. A sample visitor (their
// user id, and the traits and events the segment reads) is passed to identify(), and the shared
// rules evaluator says whether they would be invited and why. The server records, counts and
// books nothing for a preview.
import type { Study } from '@beckon/shared/api';
import type { Rule } from '@beckon/shared/rules';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { describeTriggers } from '../lib/triggers.js';
import { frameSrc, ruleInputs, sampleVisitor, verdict, type SampleVisitor } from '../lib/preview.js';
import { studyFromDraft, type StudyDraft } from '../lib/study-form.js';
import { Loading, Notice, toApiError } from '../ui/common.js';
import { TextField } from '../ui/form.js';

/** Typing in the sample reloads the frame once the typing pauses. */
const SETTLE_MS = 500;

export function StudyPreviewDialog(props: { study: Study | null; draft: StudyDraft; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [copy] = useState(() => studyFromDraft(props.draft));
  const rule: Rule | null = 'body' in copy ? ((copy.body.targeting ?? null) as Rule | null) : null;
  const [sample, setSample] = useState<SampleVisitor>(() => sampleVisitor(rule, Date.now()));
  const [shown, setShown] = useState(sample);
  const [frame, setFrame] = useState<{ url: string; studyId: string } | { error: string }>();

  useEffect(() => {
    dialog.current?.showModal();
    if (!('body' in copy)) return;
    api
      .previewStudy({ ...(props.study ? { studyId: props.study.id } : {}), study: copy.body })
      .then((made) => setFrame({ url: made.frameUrl, studyId: made.studyId }))
      .catch((error) => setFrame({ error: toApiError(error).message }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => setShown(sample), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [sample]);

  const inputs = ruleInputs(rule);
  const setTrait = (name: string, value: string) => setSample((s) => ({ ...s, traits: { ...s.traits, [name]: value } }));
  const setEvent = (name: string, value: string) => setSample((s) => ({ ...s, events: { ...s.events, [name]: value } }));
  const result =
    'body' in copy
      ? verdict({ status: copy.body.status ?? 'draft', targeting: rule, samplingPercent: copy.body.samplingPercent ?? 100, id: props.study?.id }, sample, Date.now())
      : undefined;

  return (
    <dialog
      ref={dialog}
      class="preview-dialog"
      aria-labelledby="preview-title"
      onClose={props.onClose}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <div class="preview-head">
        <h2 id="preview-title">Preview: the invitation as visitors see it</h2>
        <button type="button" class="button-secondary" onClick={props.onClose}>
          Close preview
        </button>
      </div>
      {'problems' in copy ? (
        <Notice kind="warning" title="The form has problems to fix before it can be previewed">
          <ul>
            {copy.problems.map((problem, i) => (
              <li key={i}>{problem.message}</li>
            ))}
          </ul>
        </Notice>
      ) : (
        <div class="preview-body">
          <section class="preview-visitor" aria-labelledby="preview-visitor-title">
            <h3 id="preview-visitor-title">Sample visitor</h3>
            <p class="hint">As your site would pass them to identify(). {props.study ? 'Unsaved changes are shown too.' : 'The study is not saved yet.'} Nothing is recorded, counted or booked.</p>
            <TextField path="preview.userId" label="User id" value={sample.userId} spellcheck={false} size="medium" onInput={(userId) => setSample((s) => ({ ...s, userId }))} />
            {inputs.traits.map((name) => (
              <TextField key={name} path={`preview.traits.${name}`} label={`Trait “${name}”`} value={sample.traits[name] ?? ''} spellcheck={false} onInput={(value) => setTrait(name, value)} />
            ))}
            {inputs.events.map((name) => (
              <TextField
                key={name}
                path={`preview.events.${name}`}
                label={`Times they did “${name}” lately`}
                inputMode="numeric"
                size="short"
                value={sample.events[name] ?? ''}
                onInput={(value) => setEvent(name, value)}
              />
            ))}
            {inputs.traits.length === 0 && inputs.events.length === 0 && <p class="muted">The segment is everyone: no trait decides.</p>}
            {result && (
              <Notice kind={result.invited ? 'success' : 'warning'} title={result.invited ? 'Would be invited' : 'Would not be invited'} live>
                <p>{result.summary}</p>
                {result.notes.map((note) => (
                  <p key={note}>{note}</p>
                ))}
                <p>When: {describeTriggers(copy.body.triggers)}.</p>
              </Notice>
            )}
          </section>
          <div class="preview-frame">
            {!frame && <Loading what="the preview" />}
            {frame && 'error' in frame && (
              <Notice kind="error" title="The preview could not be made">
                <p>{frame.error}</p>
              </Notice>
            )}
            {frame && 'url' in frame && (
              // A new frame for each sample: the widget reads identify() once, as a page load does.
              <iframe key={frameSrc(frame.url, shown)} src={frameSrc(frame.url, shown)} sandbox="allow-scripts allow-forms" title="The invitation, as a visitor sees it" />
            )}
          </div>
        </div>
      )}
    </dialog>
  );
}
