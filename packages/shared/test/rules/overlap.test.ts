import { describe, expect, it } from 'vitest';
import { overlapExample } from '../../src/rules/overlap.js';
import { evaluate } from '../../src/rules/evaluate.js';
import type { Rule } from '../../src/rules/types.js';

const NOW = Date.parse('2026-03-29T08:00:00Z');
const recent: Rule = { trait: 'signedUpAt', op: 'within_last_days', value: 14 };
const churned: Rule = { trait: 'canceledAt', op: 'within_last_days', value: 30 };
const pro: Rule = { trait: 'plan', op: 'equals', value: 'pro' };
const free: Rule = { trait: 'plan', op: 'equals', value: 'free' };

describe('overlapExample', () => {
  it('finds a visitor two studies both target, and shows them', () => {
    const example = overlapExample({ all: [recent, pro] }, { any: [pro, churned] }, NOW)!;
    expect(example).toBeDefined();
    expect(evaluate({ all: [recent, pro] }, { traits: example }, NOW)).toBe(true);
    expect(evaluate({ any: [pro, churned] }, { traits: example }, NOW)).toBe(true);
    expect(overlapExample(null, pro, NOW)).toEqual({ plan: 'pro' }); // no targeting: everyone
    expect(overlapExample(recent, churned, NOW)).toBeDefined(); // a recent sign-up who already cancelled
  });

  it('finds none where the segments exclude each other', () => {
    expect(overlapExample(pro, free, NOW)).toBeUndefined();
    expect(overlapExample({ all: [recent, pro] }, { not: pro }, NOW)).toBeUndefined();
    expect(overlapExample(recent, { trait: 'signedUpAt', op: 'more_than_days_ago', value: 14 }, NOW)).toBeUndefined();
    expect(overlapExample({ trait: 'seats', op: 'gte', value: 50 }, { trait: 'seats', op: 'lt', value: 10 }, NOW)).toBeUndefined();
  });
});
