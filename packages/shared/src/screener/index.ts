// The screener verdict, one source of truth: the widget decides with it before showing slots,
// and the server decides with it again before booking.
import type { BookingRequest, Screener } from '../api/index.js';

type Answers = NonNullable<BookingRequest['answers']>;

/** Whether the answers pass the screener: required questions answered, no disqualifying option, a qualifying one where any exist. */
export function screen(screener: Screener | null, answers: Answers = {}): { ok: true } | { ok: false; field: string; reason: string } {
  for (const question of screener?.questions ?? []) {
    const answer = answers[question.id];
    const chosen = answer === undefined ? [] : Array.isArray(answer) ? answer : [answer];
    const field = `answers.${question.id}`;
    if (chosen.length === 0 || (question.kind === 'text' && chosen.every((value) => value.trim() === ''))) {
      if (question.required) return { ok: false, field, reason: 'This question needs an answer' };
      continue;
    }
    if (question.kind === 'text') continue;
    const options = question.options ?? [];
    const picked = chosen.map((id) => options.find((option) => option.id === id));
    if (picked.some((option) => option === undefined)) return { ok: false, field, reason: 'Not one of the options' };
    if (question.kind === 'single' && chosen.length > 1) return { ok: false, field, reason: 'Choose one option' };
    if (picked.some((option) => option?.effect === 'disqualify')) return { ok: false, field, reason: 'screened_out' };
    if (options.some((option) => option.effect === 'qualify') && !picked.some((option) => option?.effect === 'qualify')) {
      return { ok: false, field, reason: 'screened_out' };
    }
  }
  return { ok: true };
}
