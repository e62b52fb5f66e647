// Privacy: forgetting a participant who asks for it. A screen of its own (not a panel at the foot
// of Settings) so whoever handles such a request finds it in the navigation.
import type { ParticipantErase } from '@beckon/shared/api';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { describeErasure, ERASE_BY, eraseRequestFromDraft, type EraseBy, type EraseDraft } from '../lib/erase.js';
import type { FieldProblem } from '../lib/fields.js';
import { PageHeading, problemOfError } from '../ui/common.js';
import { focusField, Form, SaveActions, SelectField, TextField } from '../ui/form.js';

export function PrivacyScreen() {
  return (
    <>
      <PageHeading title="Privacy">Privacy</PageHeading>
      <p class="lede">What to do when a participant asks Beckon to forget them.</p>
      <ErasePanel />
    </>
  );
}

/** Asked for once, confirmed, then said what was done. */
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
          <SelectField<EraseBy>
            path="by"
            label="Find them by"
            value={draft.by}
            options={ERASE_BY}
            onChange={(by) => {
              // A confirmation asked for someone else: forget it.
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
