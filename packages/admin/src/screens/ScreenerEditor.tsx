// Screener questions with options marked qualify / disqualify. Paths match the API's
// (`screener.questions.0.options.1.label`), so server errors land on the right input.
import { newOption, newQuestion, type OptionDraft, type OptionEffect, type QuestionDraft, type QuestionKind } from '../lib/study-form.js';
import { Checkbox, Fieldset, SelectField, TextField } from '../ui/form.js';

const KINDS: { value: QuestionKind; label: string }[] = [
  { value: 'single', label: 'One answer' },
  { value: 'multiple', label: 'Several answers' },
  { value: 'text', label: 'Free text' },
];
const EFFECTS: { value: OptionEffect; label: string }[] = [
  { value: 'neutral', label: 'No effect' },
  { value: 'qualify', label: 'Qualifies' },
  { value: 'disqualify', label: 'Disqualifies' },
];
const MAX_QUESTIONS = 10;
const MAX_OPTIONS = 20;

export function ScreenerEditor(props: { questions: QuestionDraft[]; onChange: (questions: QuestionDraft[]) => void }) {
  const { questions, onChange } = props;
  const update = (i: number, patch: Partial<QuestionDraft>) => onChange(questions.map((q, k) => (k === i ? { ...q, ...patch } : q)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...questions];
    const [q] = next.splice(i, 1);
    next.splice(i + by, 0, q!);
    onChange(next);
  };
  const updateOption = (i: number, j: number, patch: Partial<OptionDraft>) =>
    update(i, { options: questions[i]!.options.map((o, k) => (k === j ? { ...o, ...patch } : o)) });

  return (
    <Fieldset
      path="screener"
      legend="Screener"
      legendClass="section-title"
      class="section"
      hint="Optional questions asked after someone says yes. Mark the answers that qualify (any one of them is needed to pass) or disqualify (screens the person out)."
    >
      {questions.length === 0 && <p class="muted">No screener: everyone who says yes can book.</p>}
      <ol class="questions">
        {questions.map((q, i) => (
          <li key={q.id} class="question">
            <Fieldset path={`screener.questions.${i}`} legend={`Question ${i + 1}`} class="question-box">
              <TextField path={`screener.questions.${i}.prompt`} label="Question" value={q.prompt} maxLength={300} onInput={(prompt) => update(i, { prompt })} />
              <div class="row">
                <SelectField
                  path={`screener.questions.${i}.kind`}
                  label="Answer type"
                  value={q.kind}
                  options={KINDS}
                  onChange={(kind) => update(i, { kind, options: kind === 'text' ? [] : q.options.length > 0 ? q.options : [newOption(), newOption()] })}
                />
                <div class="field field-check">
                  <Checkbox label="An answer is required" checked={q.required} onChange={(required) => update(i, { required })} />
                </div>
              </div>
              {q.kind !== 'text' && (
                <Fieldset path={`screener.questions.${i}.options`} legend="Answers" class="options">
                  <ul class="option-list">
                    {q.options.map((o, j) => (
                      <li key={o.id} class="option-row">
                        <TextField
                          path={`screener.questions.${i}.options.${j}.label`}
                          label={`Question ${i + 1}, answer ${j + 1}`}
                          hideLabel
                          placeholder={`Answer ${j + 1}`}
                          value={o.label}
                          maxLength={200}
                          onInput={(label) => updateOption(i, j, { label })}
                        />
                        <SelectField
                          path={`screener.questions.${i}.options.${j}.effect`}
                          label={`Effect of answer ${j + 1}`}
                          hideLabel
                          value={o.effect}
                          options={EFFECTS}
                          onChange={(effect) => updateOption(i, j, { effect })}
                        />
                        <button
                          type="button"
                          class="button-icon"
                          aria-label={`Remove answer ${j + 1} of question ${i + 1}`}
                          onClick={() => update(i, { options: q.options.filter((_, k) => k !== j) })}
                        >
                          ×
                        </button>
                      </li>
                    ))}
                  </ul>
                  {q.options.length < MAX_OPTIONS && (
                    <button type="button" class="button-link" onClick={() => update(i, { options: [...q.options, newOption()] })}>
                      + Add an answer
                    </button>
                  )}
                </Fieldset>
              )}
              <div class="question-actions">
                <button type="button" class="button-small button-secondary" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move question ${i + 1} up`}>
                  Move up
                </button>
                <button
                  type="button"
                  class="button-small button-secondary"
                  disabled={i === questions.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={`Move question ${i + 1} down`}
                >
                  Move down
                </button>
                <button type="button" class="button-small button-danger" onClick={() => onChange(questions.filter((_, k) => k !== i))} aria-label={`Remove question ${i + 1}`}>
                  Remove
                </button>
              </div>
            </Fieldset>
          </li>
        ))}
      </ol>
      {questions.length < MAX_QUESTIONS && (
        <button type="button" class="button-secondary" onClick={() => onChange([...questions, newQuestion()])}>
          Add a question
        </button>
      )}
    </Fieldset>
  );
}
