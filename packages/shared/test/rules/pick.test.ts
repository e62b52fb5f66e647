import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RECONTACT_DAYS,
  markShown,
  optOut,
  pickStudy,
  precheck,
  sampleBucket,
  snoozeStudy,
  whyNot,
  type PickContext,
  type StudyCandidate,
  type SuppressionState,
} from '../../src/rules/index.js';
import { DAY, NOW, daysAgo } from './fixtures.js';

const ctx = (over: Partial<PickContext> = {}): PickContext => ({
  user: { userId: 'u1', traits: { plan: 'pro', signedUpAt: daysAgo(3) } },
  session: { url: 'https://app.example.com/dashboard', pageViews: 1, secondsOnPage: 30, exitIntent: false },
  userKey: 'u1',
  now: NOW,
  ...over,
});
const study = (id: string, over: Partial<StudyCandidate> = {}): StudyCandidate => ({ id, priority: 0, bookable: true, ...over });

describe('pickStudy', () => {
  it('returns nothing when there is nothing', () => {
    expect(pickStudy([], ctx())).toBeUndefined();
  });
  it('shows the highest priority among eligible studies', () => {
    const studies = [study('a', { priority: 1 }), study('b', { priority: 5 }), study('c', { priority: 3 })];
    expect(pickStudy(studies, ctx())?.id).toBe('b');
    expect(pickStudy([...studies].reverse(), ctx())?.id).toBe('b');
  });
  it('handles negative priorities', () => {
    expect(pickStudy([study('a', { priority: -5 }), study('b', { priority: -2 })], ctx())?.id).toBe('b');
  });
  it('breaks ties by the smallest id, whatever the order', () => {
    const studies = [study('m'), study('c'), study('x')];
    expect(pickStudy(studies, ctx())?.id).toBe('c');
    expect(pickStudy([...studies].reverse(), ctx())?.id).toBe('c');
  });
  it('skips a higher-priority study that is not eligible', () => {
    const studies = [
      study('churn', { priority: 9, targeting: { trait: 'canceledAt', op: 'within_last_days', value: 30 } }),
      study('signup', { priority: 1, targeting: { trait: 'signedUpAt', op: 'within_last_days', value: 14 } }),
    ];
    expect(pickStudy(studies, ctx())?.id).toBe('signup');
    expect(whyNot(studies[0]!, ctx())).toBe('rules');
  });
  it('never shows a study without capacity, however high its priority', () => {
    const studies = [study('full', { priority: 100, bookable: false }), study('open', { priority: 1 })];
    expect(pickStudy(studies, ctx())?.id).toBe('open');
    expect(pickStudy([study('full', { bookable: false })], ctx())).toBeUndefined();
    expect(whyNot(studies[0]!, ctx())).toBe('capacity');
  });
  it('requires the triggers', () => {
    const s = study('pricing', { triggers: [{ kind: 'url', match: 'exact', pattern: '/pricing' }] });
    expect(pickStudy([s], ctx())).toBeUndefined();
    expect(whyNot(s, ctx())).toBe('triggers');
    const onPricing = ctx({ session: { ...ctx().session, url: 'https://app.example.com/pricing' } });
    expect(pickStudy([s], onPricing)?.id).toBe('pricing');
  });
  it('requires the user to be in the sample', () => {
    const id = 'sampled-study';
    const b = sampleBucket('u1', id);
    expect(whyNot(study(id, { samplingPercent: b + 0.01 }), ctx())).toBeNull();
    expect(whyNot(study(id, { samplingPercent: b }), ctx())).toBe('sample');
    expect(whyNot(study(id, { samplingPercent: 0 }), ctx())).toBe('sample');
    expect(whyNot(study(id), ctx())).toBeNull(); // absent: 100 %
  });
  it('does not show to someone who opted out, ever', () => {
    const c = ctx({ suppression: { optedOut: true } });
    expect(pickStudy([study('a'), study('b', { priority: 4 })], c)).toBeUndefined();
    expect(whyNot(study('a'), c)).toBe('opted_out');
  });
  it('hides a snoozed study until its date, and only that study', () => {
    const suppression: SuppressionState = { snoozedUntil: { a: new Date(NOW + DAY).toISOString() } };
    const studies = [study('a', { priority: 2 }), study('b', { priority: 1 })];
    expect(pickStudy(studies, ctx({ suppression }))?.id).toBe('b');
    expect(whyNot(studies[0]!, ctx({ suppression }))).toBe('snoozed');
    expect(pickStudy(studies, ctx({ suppression, now: NOW + DAY }))?.id).toBe('a');
    expect(pickStudy(studies, ctx({ suppression: { snoozedUntil: { a: NOW - 1 } } }))?.id).toBe('a');
  });
  it(`keeps a recontact window (default ${DEFAULT_RECONTACT_DAYS} days) since the last intercept of any study`, () => {
    const studies = [study('a')];
    const shown = (days: number) => ctx({ suppression: { lastShownAt: daysAgo(days) } });
    expect(pickStudy(studies, shown(29))).toBeUndefined();
    expect(whyNot(studies[0]!, shown(29))).toBe('recontact');
    expect(pickStudy(studies, shown(30))?.id).toBe('a');
    expect(pickStudy(studies, shown(31))?.id).toBe('a');
    // A last-shown time in the future (clock skew) suppresses until the window after it has passed.
    expect(pickStudy(studies, ctx({ suppression: { lastShownAt: NOW + 1000 } }))).toBeUndefined();
    expect(pickStudy(studies, ctx({ suppression: { lastShownAt: NOW + 40 * DAY } }))).toBeUndefined();
  });
  it('takes the workspace recontact window, and a study may override it', () => {
    const c = (days: number) => ctx({ recontactDays: 7, suppression: { lastShownAt: daysAgo(days) } });
    expect(pickStudy([study('a')], c(6))).toBeUndefined();
    expect(pickStudy([study('a')], c(8))?.id).toBe('a');
    expect(pickStudy([study('a', { recontactDays: 10 })], c(8))).toBeUndefined();
    expect(pickStudy([study('a', { recontactDays: 0 })], c(0.001))?.id).toBe('a');
    expect(pickStudy([study('a', { recontactDays: null })], c(6))).toBeUndefined();
  });
  it('reports reasons in check order', () => {
    const everythingWrong = study('z', {
      bookable: false,
      samplingPercent: 0,
      triggers: [{ kind: 'exit_intent' }],
      targeting: { trait: 'plan', op: 'equals', value: 'free' },
    });
    const sup: SuppressionState = { optedOut: true, snoozedUntil: { z: NOW + DAY }, lastShownAt: NOW };
    expect(whyNot(everythingWrong, ctx({ suppression: sup }))).toBe('capacity');
    expect(whyNot({ ...everythingWrong, bookable: true }, ctx({ suppression: sup }))).toBe('opted_out');
    expect(whyNot({ ...everythingWrong, bookable: true }, ctx({ suppression: { ...sup, optedOut: false } }))).toBe('snoozed');
    expect(whyNot({ ...everythingWrong, bookable: true }, ctx({ suppression: { lastShownAt: NOW } }))).toBe('recontact');
    expect(whyNot({ ...everythingWrong, bookable: true }, ctx())).toBe('sample');
    expect(whyNot({ ...everythingWrong, bookable: true, samplingPercent: 100 }, ctx())).toBe('triggers');
    expect(whyNot({ ...everythingWrong, bookable: true, samplingPercent: 100, triggers: [] }, ctx())).toBe('rules');
  });
  it('precheck (what the loader runs before fetching the rules) agrees with whyNot on its five checks and ignores the rest', () => {
    const everythingWrong = study('z', { bookable: false, samplingPercent: 0, triggers: [{ kind: 'exit_intent' }], targeting: { trait: 'plan', op: 'equals', value: 'free' } });
    const sup: SuppressionState = { optedOut: true, snoozedUntil: { z: NOW + DAY }, lastShownAt: NOW };
    const cases: [StudyCandidate, PickContext][] = [
      [everythingWrong, ctx({ suppression: sup })],
      [{ ...everythingWrong, bookable: true }, ctx({ suppression: sup })],
      [{ ...everythingWrong, bookable: true }, ctx({ suppression: { ...sup, optedOut: false } })],
      [{ ...everythingWrong, bookable: true }, ctx({ suppression: { lastShownAt: NOW } })],
      [{ ...everythingWrong, bookable: true }, ctx()],
    ];
    const reasons = ['capacity', 'opted_out', 'snoozed', 'recontact', 'sample'];
    cases.forEach(([s, c], i) => {
      expect(whyNot(s, c)).toBe(reasons[i]);
      expect(precheck(s, { userKey: c.userKey, now: c.now, suppression: c.suppression })).toBe(i + 1);
    });
    // Triggers and targeting that fail are for pickStudy: the study is still a candidate here.
    expect(precheck({ ...everythingWrong, bookable: true, samplingPercent: 100 }, { userKey: 'u1', now: NOW })).toBe(0);
  });
  it('uses event history and traits from the context', () => {
    const superstar = study('s', { targeting: { event: 'report_exported', atLeast: 3, withinDays: 30 } });
    expect(pickStudy([superstar], ctx())).toBeUndefined();
    const events = [{ name: 'report_exported', count: 3, timestamps: [NOW - DAY, NOW - 2 * DAY, NOW - 3 * DAY] }];
    expect(pickStudy([superstar], ctx({ user: { traits: {}, events } }))?.id).toBe('s');
  });
  it('a malformed trigger skips that study instead of throwing', () => {
    const broken = study('broken', { priority: 9, triggers: [{ kind: 'url' } as never] });
    expect(() => pickStudy([broken, study('ok')], ctx())).not.toThrow();
    expect(pickStudy([broken, study('ok')], ctx())?.id).toBe('ok');
  });
  it('returns the caller’s own study object (with its copy and incentive)', () => {
    const s = { ...study('a'), title: 'Got 20 minutes?' };
    expect(pickStudy([s], ctx())).toBe(s);
  });
  it('a snooze keyed like an Object.prototype member does not leak', () => {
    expect(whyNot(study('constructor'), ctx({ suppression: { snoozedUntil: {} } }))).toBeNull();
  });
});

describe('suppression helpers', () => {
  it('markShown starts the recontact window', () => {
    const s = markShown({}, NOW);
    expect(s).toEqual({ lastShownAt: '2026-03-29T12:00:00.000Z' });
    expect(pickStudy([study('a')], ctx({ suppression: s, now: NOW + 29 * DAY }))).toBeUndefined();
    expect(pickStudy([study('a')], ctx({ suppression: s, now: NOW + 30 * DAY }))?.id).toBe('a');
  });
  it('snoozeStudy hides one study for N days and keeps other snoozes', () => {
    const s1 = snoozeStudy({}, 'a', 14, NOW);
    const s2 = snoozeStudy(s1, 'b', 1, new Date(NOW));
    expect(s2.snoozedUntil).toEqual({ a: new Date(NOW + 14 * DAY).toISOString(), b: new Date(NOW + DAY).toISOString() });
    expect(s1.snoozedUntil).toEqual({ a: new Date(NOW + 14 * DAY).toISOString() });
    expect(whyNot(study('a'), ctx({ suppression: s2, now: NOW + 13 * DAY }))).toBe('snoozed');
    expect(whyNot(study('a'), ctx({ suppression: s2, now: NOW + 14 * DAY }))).toBeNull();
  });
  it('optOut is permanent and keeps the rest', () => {
    const s = optOut(markShown({}, NOW));
    expect(s).toEqual({ lastShownAt: '2026-03-29T12:00:00.000Z', optedOut: true });
    expect(whyNot(study('a'), ctx({ suppression: s, now: NOW + 3650 * DAY }))).toBe('opted_out');
  });
  it('the state survives a JSON round trip', () => {
    const s = snoozeStudy(markShown({}, NOW - 40 * DAY), 'a', 7, NOW);
    const back = JSON.parse(JSON.stringify(s)) as SuppressionState;
    expect(whyNot(study('a'), ctx({ suppression: back }))).toBe('snoozed');
    expect(whyNot(study('b'), ctx({ suppression: back }))).toBeNull();
  });
});
