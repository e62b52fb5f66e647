import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  MAX_RULE_DEPTH,
  RuleRef,
  RuleSchema,
  StudyCandidateSchema,
  SuppressionStateSchema,
  TriggerSchema,
  TriggersSchema,
  ruleDepth,
  toTime,
  ISO_INSTANT_PATTERN,
  type Rule,
} from '../../src/rules/index.js';

const valid: unknown[] = [
  { trait: 'plan', op: 'equals', value: 'pro' },
  { trait: 'seats', op: 'not_equals', value: 3 },
  { trait: 'beta', op: 'equals', value: true },
  { trait: 'email', op: 'contains', value: '@acme.com' },
  { trait: 'roles', op: 'not_contains', value: 'owner' },
  { trait: 'plan', op: 'in', value: ['pro', 'team', 3, false] },
  { trait: 'plan', op: 'not_in', value: ['free'] },
  { trait: 'seats', op: 'gt', value: 10 },
  { trait: 'seats', op: 'gte', value: 10.5 },
  { trait: 'signedUpAt', op: 'lt', value: '2026-01-01' },
  { trait: 'signedUpAt', op: 'lte', value: '2026-01-01T10:00:00+02:00' },
  { trait: 'signedUpAt', op: 'within_last_days', value: 14 },
  { trait: 'lastSeenAt', op: 'more_than_days_ago', value: 30 },
  { trait: 'company', op: 'exists' },
  { trait: 'company', op: 'not_exists' },
  { event: 'report_exported' },
  { event: 'report_exported', atLeast: 5, withinDays: 30 },
  { all: [] },
  { any: [{ trait: 'plan', op: 'exists' }, { not: { event: 'x' } }] },
  { all: [{ any: [{ all: [{ not: { trait: 'a', op: 'gt', value: 1 } }] }] }] },
];

const invalid: [string, unknown][] = [
  ['an unknown operator', { trait: 'plan', op: 'regex', value: '.*' }],
  ['a missing value', { trait: 'plan', op: 'equals' }],
  ['a value on exists', { trait: 'plan', op: 'exists', value: 1 }],
  ['contains with a number', { trait: 'plan', op: 'contains', value: 5 }],
  ['contains with an empty string', { trait: 'plan', op: 'contains', value: '' }],
  ['in with a scalar', { trait: 'plan', op: 'in', value: 'pro' }],
  ['in with an empty list', { trait: 'plan', op: 'in', value: [] }],
  ['gt with a non-date string', { trait: 'seats', op: 'gt', value: 'ten' }],
  ['gt with a loose date', { trait: 'd', op: 'gt', value: 'March 1 2026' }],
  ['within_last_days with a string', { trait: 'd', op: 'within_last_days', value: '14' }],
  ['negative days', { trait: 'd', op: 'within_last_days', value: -1 }],
  ['an empty trait name', { trait: '', op: 'exists' }],
  ['an extra property', { trait: 'plan', op: 'exists', note: 'x' }],
  ['a condition mixed with a group', { trait: 'plan', op: 'exists', all: [] }],
  ['atLeast 0', { event: 'x', atLeast: 0 }],
  ['fractional atLeast', { event: 'x', atLeast: 1.5 }],
  ['withinDays 0', { event: 'x', withinDays: 0 }],
  ['an unknown group', { xor: [] }],
  ['all without a list', { all: { trait: 'plan', op: 'exists' } }],
  ['not with a list', { not: [] }],
  ['a deep invalid leaf', { all: [{ any: [{ not: { trait: 'plan', op: 'equals', value: null } }] }] }],
  ['null', null],
];

describe('RuleSchema', () => {
  it.each(valid.map((v) => [JSON.stringify(v), v]))('accepts %s', (_s, v) => {
    expect(Value.Check(RuleSchema, v)).toBe(true);
  });
  it.each(invalid)('rejects %s', (_s, v) => {
    expect(Value.Check(RuleSchema, v)).toBe(false);
  });
  it('serialises to plain JSON Schema with a stable $id (for Fastify and OpenAPI)', () => {
    const json = JSON.parse(JSON.stringify(RuleSchema)) as { $id: string };
    expect(json.$id).toBe('BeckonRule');
    expect(JSON.stringify(json)).toContain('"$ref":"BeckonRule"');
  });
  it('RuleRef refers to RuleSchema by $id', () => {
    const Body = Type.Object({ before: RuleRef, after: RuleRef });
    expect(Value.Check(Body, [RuleSchema], { before: { all: [] }, after: { trait: 'plan', op: 'exists' } })).toBe(true);
    expect(Value.Check(Body, [RuleSchema], { before: { all: [] }, after: { trait: 'plan', op: 'nope' } })).toBe(false);
  });
  it('the ISO pattern accepts exactly what toTime reads', () => {
    const re = new RegExp(ISO_INSTANT_PATTERN);
    for (const s of ['2026-03-29', '2026-03-29T12:00', '2026-03-29T12:00:00.123456Z', '2026-03-29 12:00:00+00', '2026-03-29T12:00:00-0330', '2026-03-29t12:00z', 'x', '2026', '2026-03-29T12', '5'])
      expect(re.test(s), s).toBe(!Number.isNaN(toTime(s)));
  });
});

describe('ruleDepth', () => {
  it('measures nesting', () => {
    const leaf: Rule = { trait: 'a', op: 'exists' };
    expect(ruleDepth(leaf)).toBe(1);
    expect(ruleDepth({ all: [] })).toBe(1);
    expect(ruleDepth({ all: [leaf] })).toBe(2);
    expect(ruleDepth({ any: [leaf, { not: { all: [leaf] } }] })).toBe(4);
    let deep: Rule = leaf;
    for (let i = 0; i < MAX_RULE_DEPTH; i++) deep = { not: deep };
    expect(ruleDepth(deep)).toBe(MAX_RULE_DEPTH + 1);
  });
});

describe('TriggerSchema', () => {
  it('accepts every trigger kind', () => {
    for (const t of [
      { kind: 'url', match: 'exact', pattern: '/pricing' },
      { kind: 'url', match: 'glob', pattern: '/checkout/*', exclude: true },
      { kind: 'url', match: 'contains', pattern: 'utm_' },
      { kind: 'event', event: 'report_exported' },
      { kind: 'delay', seconds: 10 },
      { kind: 'page_views', atLeast: 3 },
      { kind: 'exit_intent' },
    ])
      expect(Value.Check(TriggerSchema, t), JSON.stringify(t)).toBe(true);
  });
  it('rejects malformed triggers', () => {
    for (const t of [
      { kind: 'url', match: 'regex', pattern: '.*' },
      { kind: 'url', match: 'glob' },
      { kind: 'url', match: 'glob', pattern: '' },
      { kind: 'url', match: 'glob', pattern: 'x'.repeat(501) },
      { kind: 'delay', seconds: -1 },
      { kind: 'page_views', atLeast: 0 },
      { kind: 'exit_intent', delay: 1 },
      { kind: 'scroll' },
    ])
      expect(Value.Check(TriggerSchema, t), JSON.stringify(t)).toBe(false);
    expect(Value.Check(TriggersSchema, Array(11).fill({ kind: 'exit_intent' }))).toBe(false);
  });
});

describe('state schemas', () => {
  it('describe what the loader persists and passes', () => {
    expect(Value.Check(SuppressionStateSchema, { lastShownAt: '2026-03-29T12:00:00.000Z', snoozedUntil: { a: 1 }, optedOut: true })).toBe(true);
    expect(Value.Check(SuppressionStateSchema, { snoozedUntil: { a: true } })).toBe(false);
    expect(
      Value.Check(StudyCandidateSchema, {
        id: 's',
        priority: 1,
        bookable: true,
        targeting: { trait: 'plan', op: 'exists' },
        triggers: [{ kind: 'exit_intent' }],
        samplingPercent: 12.5,
        recontactDays: null,
      }),
    ).toBe(true);
    expect(Value.Check(StudyCandidateSchema, { id: 's', priority: 1, bookable: true, samplingPercent: 101 })).toBe(false);
  });
});
