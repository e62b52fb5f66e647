import { describe, expect, it } from 'vitest';
import { checkRule, describeTargeting, draftFromRule, emptyTargeting, ruleFromDraft, withPreset } from '../src/lib/targeting.js';

describe('targeting presets', () => {
  it('builds each preset as the shared rule shape', () => {
    const base = emptyTargeting();
    expect(ruleFromDraft(base)).toEqual({ rule: null });
    expect(ruleFromDraft({ ...withPreset(base, 'recentSignups'), days: '7' })).toEqual({ rule: { trait: 'signedUpAt', op: 'within_last_days', value: 7 } });
    expect(ruleFromDraft(withPreset(base, 'recentlyChurned'))).toEqual({ rule: { trait: 'canceledAt', op: 'within_last_days', value: 30 } });
    expect(ruleFromDraft({ ...withPreset(base, 'inactiveUsers'), days: '45' })).toEqual({ rule: { trait: 'lastSeenAt', op: 'more_than_days_ago', value: 45 } });
    expect(ruleFromDraft({ ...withPreset(base, 'superstars'), superstarsBy: 'event', event: 'report_exported', atLeast: '20', withinDays: '30' })).toEqual({
      rule: { event: 'report_exported', atLeast: 20, withinDays: 30 },
    });
    expect(ruleFromDraft({ ...withPreset(base, 'superstars'), superstarsBy: 'event', event: 'report_exported', atLeast: '5', withinDays: '' })).toEqual({
      rule: { event: 'report_exported', atLeast: 5 },
    });
    expect(ruleFromDraft({ ...withPreset(base, 'superstars'), superstarsBy: 'trait', countTrait: 'reportsCreated', atLeast: '50' })).toEqual({
      rule: { trait: 'reportsCreated', op: 'gte', value: 50 },
    });
  });

  it('reads a stored preset rule back as that preset, anything else as JSON', () => {
    const rules = [
      { trait: 'signedUpAt', op: 'within_last_days', value: 7 },
      { trait: 'canceledAt', op: 'within_last_days', value: 30 },
      { trait: 'lastSeenAt', op: 'more_than_days_ago', value: 45 },
      { event: 'report_exported', atLeast: 20, withinDays: 30 },
      { trait: 'reportsCreated', op: 'gte', value: 50 },
    ];
    for (const rule of rules) {
      const draft = draftFromRule(rule);
      expect(draft.preset).not.toBe('custom');
      expect(ruleFromDraft(draft)).toEqual({ rule });
    }
    const custom = { all: [{ trait: 'plan', op: 'equals', value: 'pro' }, { not: { trait: 'email', op: 'contains', value: '@acme.test' } }] };
    const draft = draftFromRule(custom);
    expect(draft.preset).toBe('custom');
    expect(ruleFromDraft(draft)).toEqual({ rule: custom });
    expect(draftFromRule(null).preset).toBe('everyone');
  });

  it('names the field of a bad preset value', () => {
    expect(ruleFromDraft({ ...withPreset(emptyTargeting(), 'recentSignups'), days: 'soon' })).toEqual({ problem: { field: 'targeting.days', message: 'Days must be a whole number' } });
    expect(ruleFromDraft({ ...withPreset(emptyTargeting(), 'superstars'), superstarsBy: 'event', event: ' ' })).toMatchObject({ problem: { field: 'targeting.event' } });
  });

  it('validates raw JSON: syntax, then the rule shape', () => {
    const custom = (json: string) => ruleFromDraft({ ...emptyTargeting(), preset: 'custom', json });
    expect(custom('{"trait": "plan",')).toMatchObject({ problem: { field: 'targeting.json', message: expect.stringMatching(/^Not valid JSON/) } });
    expect(custom('{"trait": "plan", "op": "equalz", "value": 1}')).toMatchObject({ problem: { message: expect.stringContaining('rule.op must be one of') } });
    expect(custom('{"any": [{"event": "x", "atLeast": "3"}]}')).toMatchObject({ problem: { message: 'rule.any[0].atLeast must be a number' } });
    expect(custom('')).toEqual({ rule: null });
    expect(checkRule({ trait: 'role', op: 'in', value: ['admin', 'owner'] }, 'rule')).toBeNull();
    expect(checkRule([], 'rule')).toMatch(/must be an object/);
  });

  it('switching to custom starts from the current preset rule', () => {
    const draft = withPreset({ ...withPreset(emptyTargeting(), 'recentSignups'), days: '10' }, 'custom');
    expect(JSON.parse(draft.json)).toEqual({ trait: 'signedUpAt', op: 'within_last_days', value: 10 });
  });

  it('describes a rule in a line', () => {
    expect(describeTargeting(null)).toBe('Everyone');
    expect(describeTargeting({ trait: 'signedUpAt', op: 'within_last_days', value: 14 })).toBe('Signed up in the last 14 days');
    expect(describeTargeting({ any: [] })).toBe('Custom rule');
  });
});
