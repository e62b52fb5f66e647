import { describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { RuleSchema, evaluate, inactiveUsers, presets, recentSignups, recentlyChurned, superstars, type Rule } from '../../src/rules/index.js';
import { DAY, NOW, daysAgo, user } from './fixtures.js';

const ev = (rule: Rule, traits: Record<string, unknown>, events?: Parameters<typeof user>[1]) => evaluate(rule, user(traits, events), NOW);

describe('presets', () => {
  it('recentSignups: signedUpAt within the last 14 days by default', () => {
    const r = presets.recentSignups();
    expect(r).toEqual({ trait: 'signedUpAt', op: 'within_last_days', value: 14 });
    expect(ev(r, { signedUpAt: daysAgo(13.9) })).toBe(true);
    expect(ev(r, { signedUpAt: daysAgo(14) })).toBe(true);
    expect(ev(r, { signedUpAt: daysAgo(14.01) })).toBe(false);
    expect(ev(r, {})).toBe(false);
  });
  it('recentSignups: custom days and trait', () => {
    const r = recentSignups({ days: 7, trait: 'created_at' });
    expect(ev(r, { created_at: (NOW - 6 * DAY) / 1000 })).toBe(true);
    expect(ev(r, { created_at: (NOW - 8 * DAY) / 1000 })).toBe(false);
    expect(ev(r, { signedUpAt: daysAgo(1) })).toBe(false);
  });
  it('recentlyChurned: canceledAt within the last 30 days by default', () => {
    const r = presets.recentlyChurned();
    expect(r).toEqual({ trait: 'canceledAt', op: 'within_last_days', value: 30 });
    expect(ev(r, { canceledAt: daysAgo(29) })).toBe(true);
    expect(ev(r, { canceledAt: daysAgo(31) })).toBe(false);
    expect(ev(r, { canceledAt: null })).toBe(false);
    expect(ev(recentlyChurned({ days: 60 }), { canceledAt: daysAgo(45) })).toBe(true);
  });
  it('superstars by a usage-count trait', () => {
    const r = superstars({ trait: 'reportsCreated', atLeast: 50 });
    expect(r).toEqual({ trait: 'reportsCreated', op: 'gte', value: 50 });
    expect(ev(r, { reportsCreated: 50 })).toBe(true);
    expect(ev(r, { reportsCreated: '120' })).toBe(true);
    expect(ev(r, { reportsCreated: 49 })).toBe(false);
    expect(ev(r, {})).toBe(false);
  });
  it('superstars by an event count, optionally in a window', () => {
    const lifetime = presets.superstars({ event: 'report_exported', atLeast: 20 });
    expect(lifetime).toEqual({ event: 'report_exported', atLeast: 20 });
    const recent = superstars({ event: 'report_exported', atLeast: 3, withinDays: 7 });
    expect(recent).toEqual({ event: 'report_exported', atLeast: 3, withinDays: 7 });
    const events = [{ name: 'report_exported', count: 25, timestamps: [daysAgo(10), daysAgo(6), daysAgo(2)] }];
    expect(ev(lifetime, {}, events)).toBe(true);
    expect(ev(recent, {}, events)).toBe(false);
    expect(ev(superstars({ event: 'report_exported', atLeast: 2, withinDays: 7 }), {}, events)).toBe(true);
    expect(ev(lifetime, {}, [{ name: 'report_exported', count: 19 }])).toBe(false);
  });
  it('inactiveUsers: lastSeenAt more than 30 days ago by default', () => {
    const r = presets.inactiveUsers();
    expect(r).toEqual({ trait: 'lastSeenAt', op: 'more_than_days_ago', value: 30 });
    expect(ev(r, { lastSeenAt: daysAgo(31) })).toBe(true);
    expect(ev(r, { lastSeenAt: daysAgo(30) })).toBe(false);
    expect(ev(r, { lastSeenAt: daysAgo(2) })).toBe(false);
    expect(ev(r, {})).toBe(false);
    expect(ev(inactiveUsers({ days: 90 }), { lastSeenAt: daysAgo(60) })).toBe(false);
  });
  it('every preset is a valid rule, and combines in groups', () => {
    const all: Rule[] = [
      recentSignups(),
      recentlyChurned({ days: 10 }),
      superstars({ trait: 'x', atLeast: 1 }),
      superstars({ event: 'e', atLeast: 2, withinDays: 3 }),
      inactiveUsers(),
    ];
    for (const r of all) expect(Value.Check(RuleSchema, r), JSON.stringify(r)).toBe(true);
    const signedUpProUsers: Rule = { all: [recentSignups(), { trait: 'plan', op: 'equals', value: 'pro' }] };
    expect(Value.Check(RuleSchema, signedUpProUsers)).toBe(true);
    expect(ev(signedUpProUsers, { plan: 'pro', signedUpAt: daysAgo(1) })).toBe(true);
    expect(ev(signedUpProUsers, { plan: 'free', signedUpAt: daysAgo(1) })).toBe(false);
  });
});
