import { screen } from '@beckon/shared/screener';
import type { WidgetStudy } from '../contract.js';

export type Question = NonNullable<WidgetStudy['screener']>['questions'][number];
/** By question id: an option id (single), option ids (multiple) or text. */
export type Answers = Record<string, string | string[]>;

/** An empty required answer, by question id. */
export function missing(questions: readonly Question[], answers: Answers): string[] {
  return questions.filter((q) => q.required && ![answers[q.id] ?? []].flat().some((v) => v.trim())).map((q) => q.id);
}

/** Whether the answers qualify, by the same verdict the server gives on booking. */
export function qualifies(questions: readonly Question[], answers: Answers): boolean {
  const verdict = screen({ questions: [...questions] }, answers);
  return verdict.ok || verdict.reason !== 'screened_out';
}

/** The answers worth sending: empty ones dropped, text trimmed. */
export function clean(answers: Answers): Answers {
  const out: Answers = {};
  for (const [id, v] of Object.entries(answers)) {
    const value = Array.isArray(v) ? v : v.trim();
    if (value.length) out[id] = value;
  }
  return out;
}
