// The screener check runs twice: in the widget (to thank a screened-out participant at once) and
// on the server at booking. Until it moves to packages/shared, this keeps the two in agreement.
import { describe, expect, it } from 'vitest';
import { screen } from '@beckon/shared/screener';
import { clean, missing, qualifies, type Answers, type Question } from '../src/ui/answers.js';

const questions: Question[] = [
  {
    id: 'role',
    kind: 'single',
    prompt: 'Your role?',
    required: true,
    options: [
      { id: 'pm', label: 'PM', effect: 'qualify' },
      { id: 'eng', label: 'Engineer', effect: 'qualify' },
      { id: 'other', label: 'Other', effect: 'neutral' },
      { id: 'student', label: 'Student', effect: 'disqualify' },
    ],
  },
  {
    id: 'tools',
    kind: 'multiple',
    prompt: 'Tools you use?',
    options: [
      { id: 'a', label: 'A' },
      { id: 'b', label: 'B' },
      { id: 'competitor', label: 'Competitor', effect: 'disqualify' },
    ],
  },
  { id: 'why', kind: 'text', prompt: 'Why?' },
  { id: 'team', kind: 'single', prompt: 'Team size?', options: [{ id: 'big', label: '50+', effect: 'qualify' }, { id: 'small', label: '<50' }] },
];

const cases: [string, Answers, boolean][] = [
  ['a qualifying role, nothing else', { role: 'pm' }, true],
  ['a neutral role where qualifying ones exist', { role: 'other' }, false],
  ['a disqualifying role', { role: 'student' }, false],
  ['a disqualifying tool among others', { role: 'eng', tools: ['a', 'competitor'] }, false],
  ['harmless tools and text', { role: 'eng', tools: ['a', 'b'], why: 'curious' }, true],
  ['an optional question answered without its qualifying option', { role: 'pm', team: 'small' }, false],
  ['an optional question answered with its qualifying option', { role: 'pm', team: 'big' }, true],
  ['no answers at all to optional questions', { role: 'pm', tools: [] }, true],
];

describe('screener answers', () => {
  it.each(cases)('%s: the widget and the server agree', (_, answers, expected) => {
    const sent = clean(answers);
    expect(missing(questions, sent)).toEqual([]);
    expect(qualifies(questions, sent)).toBe(expected);
    expect(screen({ questions }, sent).ok).toBe(expected);
  });

  it('asks for required answers and sends only non-empty, trimmed ones', () => {
    expect(missing(questions, {})).toEqual(['role']);
    expect(missing(questions, { role: '  ' })).toEqual(['role']);
    expect(clean({ role: 'pm', why: '  because  ', tools: [], team: '' })).toEqual({ role: 'pm', why: 'because' });
  });
});
