// The preview's sample visitor and verdict: the inputs a segment reads, a matching visitor to
// start from, and the evaluator's answer in words, for the rules the presets make and a custom one.
import type { Rule } from '@beckon/shared/rules';
import { describe, expect, it } from 'vitest';
import { frameSrc, ruleInputs, sampleVisitor, verdict, type SampleVisitor } from '../src/lib/preview.js';

const NOW = Date.parse('2026-06-15T12:00:00Z');
const draft = (targeting: Rule | null, extra: { status?: string; samplingPercent?: number; id?: string } = {}) => ({ status: 'live', samplingPercent: 100, targeting, ...extra });
const visitor = (traits: Record<string, string>, events: Record<string, string> = {}): SampleVisitor => ({ userId: 'u-1', traits, events });

describe('the preview verdict', () => {
  const custom: Rule = { all: [{ trait: 'plan', op: 'in', value: ['pro', 'team'] }, { any: [{ trait: 'seats', op: 'gte', value: 10 }, { event: 'report_exported', atLeast: 3, withinDays: 30 }] }] };

  it('names the traits and events a rule reads, and starts from a visitor it lets in', () => {
    expect(ruleInputs(custom)).toEqual({ traits: ['plan', 'seats'], events: ['report_exported'] });
    expect(ruleInputs(null)).toEqual({ traits: [], events: [] });
    const churned: Rule = { trait: 'canceledAt', op: 'within_last_days', value: 45 };
    const sample = sampleVisitor(churned, NOW);
    expect(sample.traits.canceledAt).toMatch(/^2026-05-2\d$/); // a day, not an instant
    expect(verdict(draft(churned), sample, NOW).invited).toBe(true);
    expect(verdict(draft(custom), sampleVisitor(custom, NOW), NOW).invited).toBe(true);
    // A one-day window: the day alone would fall outside it, so the instant stays.
    const today: Rule = { trait: 'signedUpAt', op: 'within_last_days', value: 1 };
    expect(verdict(draft(today), sampleVisitor(today, NOW), NOW).invited).toBe(true);
  });

  it('says why, in words, from the same evaluator the widget runs', () => {
    expect(verdict(draft(custom), visitor({ plan: 'pro', seats: '12' }), NOW).summary).toBe('This visitor would be invited: plan is one of “pro”, “team” (“pro”); seats is at least 10 (“12”).');
    expect(verdict(draft(custom), visitor({ plan: 'free', seats: '12' }), NOW).summary).toBe('This visitor would not be invited, because plan must be one of “pro”, “team” (it is “free”).');
    expect(verdict(draft(custom), visitor({ plan: 'team' }, { report_exported: '1' }), NOW).summary).toBe(
      'This visitor would not be invited, because seats must be at least 10 (it is not given); must have done “report_exported” at least 3 times in the last 30 days (done 1 time).',
    );
    expect(verdict(draft(custom), visitor({ plan: 'team' }, { report_exported: '3' }), NOW).invited).toBe(true);
    const notStaff: Rule = { not: { trait: 'email', op: 'contains', value: '@acme.com' } };
    expect(verdict(draft(notStaff), visitor({ email: 'kim@acme.com' }), NOW).summary).toBe('This visitor would not be invited, because not so: email contains “@acme.com” (“kim@acme.com”).');
    expect(verdict(draft(null), visitor({}), NOW).summary).toBe('This visitor would be invited: the segment is everyone.');
  });

  it('adds what else decides: a study not live invites nobody; the sample, once the study has an id', () => {
    expect(verdict(draft(null, { status: 'draft' }), visitor({}), NOW).notes).toEqual(['The study is a draft: the widget invites nobody until it is live.']);
    const sampled = [...Array(40).keys()].map((i) => verdict(draft(null, { samplingPercent: 50, id: '7b0c8e4e-1d2f-4c3a-9b8e-5f6a7b8c9d0e' }), { ...visitor({}), userId: `u-${i}` }, NOW));
    expect(new Set(sampled.map((v) => v.invited))).toEqual(new Set([true, false]));
    expect(sampled.find((v) => !v.invited)!.summary).toMatch(/^This visitor matches the segment \(the segment is everyone\) but would not be invited: they are outside the sample\.$/);
    expect(verdict(draft(null, { samplingPercent: 50 }), visitor({}), NOW).notes[0]).toMatch(/^Sampling: 50% of the visitors who match are asked/);
  });

  it('puts the sample in the frame address fragment, blank traits left out', () => {
    expect(frameSrc('/preview/abc', { userId: ' u-1 ', traits: { plan: 'pro', seats: ' ' }, events: {} })).toBe(`/preview/abc#${encodeURIComponent('{"userId":"u-1","traits":{"plan":"pro"}}')}`);
  });
});
