import { describe, expect, it } from 'vitest';
import { evaluate, mayMatch, type EventHistory, type Rule } from '../../src/rules/index.js';
import { DAY, NOW, daysAgo, rng } from './fixtures.js';

const pro: Rule = { trait: 'plan', op: 'equals', value: 'pro' };
const exported: Rule = { event: 'report_exported', atLeast: 5, withinDays: 30 };
const proUser = { traits: { plan: 'pro' } };
const freeUser = { traits: { plan: 'free' } };

describe('mayMatch (the server re-check without event history)', () => {
  it('refuses only when the traits alone rule the user out', () => {
    expect(mayMatch({ all: [pro, exported] }, proUser, NOW)).toBe(true);
    expect(mayMatch({ all: [pro, exported] }, freeUser, NOW)).toBe(false);
    expect(mayMatch({ any: [pro, exported] }, freeUser, NOW)).toBe(true);
    expect(mayMatch(exported, freeUser, NOW)).toBe(true);
    expect(mayMatch({ not: exported }, freeUser, NOW)).toBe(true);
    expect(mayMatch({ not: { any: [exported, pro] } }, proUser, NOW)).toBe(false);
    expect(mayMatch({ not: { all: [exported, pro] } }, freeUser, NOW)).toBe(true);
  });
  it('equals evaluate on rules without event conditions', () => {
    const rules: Rule[] = [pro, { not: pro }, { all: [] }, { any: [] }, { trait: 'signedUpAt', op: 'within_last_days', value: 14 }];
    for (const r of rules)
      for (const u of [proUser, freeUser, { traits: { signedUpAt: daysAgo(3) } }]) expect(mayMatch(r, u, NOW)).toBe(evaluate(r, u, NOW));
  });
  it('accepts no rule and refuses a rule it does not understand', () => {
    expect(mayMatch(null, freeUser, NOW)).toBe(true);
    expect(mayMatch({ not: { trait: 'plan', op: 'regex', value: '.' } } as unknown as Rule, freeUser, NOW)).toBe(false);
  });
  it('never refuses someone the widget could have matched (random trees and histories)', () => {
    const rand = rng(99);
    const leaves: Rule[] = [
      pro,
      { trait: 'plan', op: 'in', value: ['free', 'team'] },
      { trait: 'seats', op: 'gt', value: 5 },
      { event: 'a' },
      { event: 'a', atLeast: 3 },
      { event: 'b', withinDays: 7 },
    ];
    const gen = (d: number): Rule => {
      const r = rand();
      if (d === 0 || r < 0.35) return leaves[Math.floor(rand() * leaves.length)]!;
      if (r < 0.5) return { not: gen(d - 1) };
      const kids = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => gen(d - 1));
      return r < 0.75 ? { all: kids } : { any: kids };
    };
    const histories: EventHistory[][] = [
      [],
      [{ name: 'a', count: 1 }],
      [{ name: 'a', count: 4 }, { name: 'b', count: 1, lastAt: NOW - DAY }],
      [{ name: 'b', count: 9, lastAt: NOW - 30 * DAY }],
    ];
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const rule = gen(4);
      const traits = { plan: rand() < 0.5 ? 'pro' : 'free', seats: Math.floor(rand() * 10) };
      const server = mayMatch(rule, { traits }, NOW);
      if (!server) refused++;
      for (const events of histories) if (evaluate(rule, { traits, events }, NOW)) expect(server, JSON.stringify(rule)).toBe(true);
    }
    expect(refused).toBeGreaterThan(300); // it does refuse, when the traits decide
  });
});
