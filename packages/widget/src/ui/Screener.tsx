import { useState } from 'preact/hooks';
import type { StepProps } from './step.js';
import { clean, missing, type Answers, type Question } from './answers.js';

export function Screener({ questions, initial, onSubmit, say }: StepProps & { questions: Question[]; initial: Answers; onSubmit: (a: Answers) => void }) {
  const [answers, setAnswers] = useState<Answers>(initial);
  const [invalid, setInvalid] = useState<string[]>([]);
  const set = (id: string, value: string | string[]) => setAnswers({ ...answers, [id]: value });

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const empty = missing(questions, answers);
        setInvalid(empty);
        if (!empty.length) return onSubmit(clean(answers));
        say('Please answer the questions marked as needing an answer.');
        (e.currentTarget as HTMLFormElement).querySelector<HTMLElement>(`[name="${CSS.escape(empty[0]!)}"]`)?.focus();
      }}
    >
      {questions.map((q) => {
        const bad = invalid.includes(q.id);
        const error = bad && (
          <p class="error" id={`beckon-err-${q.id}`}>
            Please answer this question.
          </p>
        );
        const prompt = q.required ? q.prompt : `${q.prompt} (optional)`;
        if (q.kind == 'text') {
          return (
            <label class="field" key={q.id}>
              {prompt}
              <input
                type="text"
                name={q.id}
                maxLength={2000}
                value={(answers[q.id] as string) ?? ''}
                aria-invalid={bad}
                aria-describedby={bad ? `beckon-err-${q.id}` : undefined}
                onInput={(e) => set(q.id, e.currentTarget.value)}
              />
              {error}
            </label>
          );
        }
        const chosen = [answers[q.id] ?? []].flat();
        return (
          <fieldset key={q.id} aria-describedby={bad ? `beckon-err-${q.id}` : undefined}>
            <legend>{prompt}</legend>
            {(q.options ?? []).map((opt) => (
              <label class="opt" key={opt.id}>
                <input
                  type={q.kind == 'single' ? 'radio' : 'checkbox'}
                  name={q.id}
                  value={opt.id}
                  checked={chosen.includes(opt.id)}
                  onChange={(e) =>
                    set(q.id, q.kind == 'single' ? opt.id : e.currentTarget.checked ? [...chosen, opt.id] : chosen.filter((c) => c != opt.id))
                  }
                />
                {opt.label}
              </label>
            ))}
            {error}
          </fieldset>
        );
      })}
      <div class="row">
        <button class="btn">Continue</button>
      </div>
    </form>
  );
}
