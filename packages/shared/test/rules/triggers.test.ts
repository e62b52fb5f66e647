import { describe, expect, it } from 'vitest';
import { triggerSatisfied, triggersSatisfied, type SessionState, type Trigger } from '../../src/rules/index.js';

const session = (over: Partial<SessionState> = {}): SessionState => ({
  url: 'https://app.example.com/pricing?plan=team',
  pageViews: 1,
  secondsOnPage: 0,
  exitIntent: false,
  ...over,
});

describe('triggerSatisfied', () => {
  it('url: exact, contains and glob', () => {
    expect(triggerSatisfied({ kind: 'url', match: 'exact', pattern: '/pricing' }, session())).toBe(true);
    expect(triggerSatisfied({ kind: 'url', match: 'exact', pattern: '/plans' }, session())).toBe(false);
    expect(triggerSatisfied({ kind: 'url', match: 'contains', pattern: 'plan=team' }, session())).toBe(true);
    expect(triggerSatisfied({ kind: 'url', match: 'glob', pattern: '/pri*' }, session())).toBe(true);
    expect(triggerSatisfied({ kind: 'url', match: 'glob', pattern: '/settings/*' }, session())).toBe(false);
  });
  it('url with exclude holds where the page does not match', () => {
    expect(triggerSatisfied({ kind: 'url', match: 'glob', pattern: '/checkout*', exclude: true }, session())).toBe(true);
    expect(triggerSatisfied({ kind: 'url', match: 'glob', pattern: '/pricing', exclude: true }, session())).toBe(false);
  });
  it('event: the last event tracked on this page', () => {
    const t: Trigger = { kind: 'event', event: 'report_exported' };
    expect(triggerSatisfied(t, session())).toBe(false);
    expect(triggerSatisfied(t, session({ lastEvent: 'report_exported' }))).toBe(true);
    expect(triggerSatisfied(t, session({ lastEvent: 'report_viewed' }))).toBe(false);
    expect(triggerSatisfied(t, session({ lastEvent: 'Report_Exported' }))).toBe(false);
  });
  it('delay: seconds on the page, inclusive', () => {
    const t: Trigger = { kind: 'delay', seconds: 10 };
    expect(triggerSatisfied(t, session({ secondsOnPage: 9.9 }))).toBe(false);
    expect(triggerSatisfied(t, session({ secondsOnPage: 10 }))).toBe(true);
    expect(triggerSatisfied({ kind: 'delay', seconds: 0 }, session())).toBe(true);
  });
  it('page_views: from the Nth page view of the session on', () => {
    const t: Trigger = { kind: 'page_views', atLeast: 3 };
    expect(triggerSatisfied(t, session({ pageViews: 2 }))).toBe(false);
    expect(triggerSatisfied(t, session({ pageViews: 3 }))).toBe(true);
    expect(triggerSatisfied(t, session({ pageViews: 7 }))).toBe(true);
  });
  it('exit_intent', () => {
    expect(triggerSatisfied({ kind: 'exit_intent' }, session())).toBe(false);
    expect(triggerSatisfied({ kind: 'exit_intent' }, session({ exitIntent: true }))).toBe(true);
  });
  it('an unknown kind never holds', () => {
    expect(triggerSatisfied({ kind: 'scroll_depth', percent: 50 } as unknown as Trigger, session())).toBe(false);
  });
});

describe('triggersSatisfied', () => {
  const pricing: Trigger = { kind: 'url', match: 'exact', pattern: '/pricing' };
  const plans: Trigger = { kind: 'url', match: 'exact', pattern: '/plans' };
  const delay: Trigger = { kind: 'delay', seconds: 5 };

  it('no triggers: any page, at once', () => {
    expect(triggersSatisfied([], session())).toBe(true);
    expect(triggersSatisfied(null, session())).toBe(true);
    expect(triggersSatisfied(undefined, session())).toBe(true);
  });
  it('the same kind: any of them', () => {
    expect(triggersSatisfied([plans, pricing], session())).toBe(true);
    expect(triggersSatisfied([plans, pricing], session({ url: 'https://app.example.com/plans' }))).toBe(true);
    expect(triggersSatisfied([plans, pricing], session({ url: 'https://app.example.com/home' }))).toBe(false);
  });
  it('different kinds: all of them', () => {
    expect(triggersSatisfied([pricing, delay], session({ secondsOnPage: 2 }))).toBe(false);
    expect(triggersSatisfied([pricing, delay], session({ secondsOnPage: 5 }))).toBe(true);
    expect(triggersSatisfied([pricing, delay], session({ secondsOnPage: 5, url: 'https://app.example.com/' }))).toBe(false);
    const three: Trigger[] = [pricing, plans, delay, { kind: 'page_views', atLeast: 2 }];
    expect(triggersSatisfied(three, session({ secondsOnPage: 6, pageViews: 1 }))).toBe(false);
    expect(triggersSatisfied(three, session({ secondsOnPage: 6, pageViews: 2 }))).toBe(true);
  });
  it('exclusions veto, and alone allow every other page', () => {
    const noCheckout: Trigger = { kind: 'url', match: 'glob', pattern: '/checkout/*', exclude: true };
    expect(triggersSatisfied([noCheckout], session())).toBe(true);
    expect(triggersSatisfied([noCheckout], session({ url: 'https://app.example.com/checkout/pay' }))).toBe(false);
    const appButNotBilling: Trigger[] = [
      { kind: 'url', match: 'glob', pattern: '/app/*' },
      { kind: 'url', match: 'glob', pattern: '/app/billing*', exclude: true },
    ];
    expect(triggersSatisfied(appButNotBilling, session({ url: 'https://x.test/app/reports' }))).toBe(true);
    expect(triggersSatisfied(appButNotBilling, session({ url: 'https://x.test/app/billing/invoices' }))).toBe(false);
    expect(triggersSatisfied(appButNotBilling, session({ url: 'https://x.test/home' }))).toBe(false);
  });
  it('a study with a trigger kind this code does not know never shows', () => {
    expect(triggersSatisfied([pricing, { kind: 'scroll_depth' } as unknown as Trigger], session())).toBe(false);
  });
});
