import type { Study } from '@beckon/shared/api';
import type { Trigger } from '@beckon/shared/rules';
import { describe, expect, it } from 'vitest';
import { draftFromStudy, emptyStudyDraft, problemOfSaveError, studyFromDraft } from '../src/lib/study-form.js';
import {
  describeTriggers,
  draftFromTriggers,
  emptyTriggers,
  newEvent,
  newUrlPattern,
  triggerCount,
  triggerProblemForDraft,
  triggersFromDraft,
  type TriggersDraft,
} from '../src/lib/triggers.js';

const EVERY_KIND: Trigger[] = [
  { kind: 'url', match: 'glob', pattern: '/app/*' },
  { kind: 'url', match: 'exact', pattern: '/pricing' },
  { kind: 'url', match: 'contains', pattern: 'utm_campaign=beta', exclude: true },
  { kind: 'delay', seconds: 10 },
  { kind: 'page_views', atLeast: 3 },
  { kind: 'event', event: 'report_exported' },
  { kind: 'event', event: 'dashboard_shared' },
  { kind: 'exit_intent' },
];

const saved = (draft: TriggersDraft) => {
  const result = triggersFromDraft(draft);
  expect(result.problems).toEqual([]);
  return result.triggers;
};

describe('triggers draft', () => {
  it('reads every kind into its own control', () => {
    const draft = draftFromTriggers(EVERY_KIND);
    expect(draft.pages.map(({ match, pattern }) => ({ match, pattern }))).toEqual([
      { match: 'glob', pattern: '/app/*' },
      { match: 'exact', pattern: '/pricing' },
    ]);
    expect(draft.excludedPages.map(({ match, pattern }) => ({ match, pattern }))).toEqual([{ match: 'contains', pattern: 'utm_campaign=beta' }]);
    expect(draft).toMatchObject({ delaySeconds: '10', pageViews: '3', exitIntent: true });
    expect(draft.events.map((e) => e.event)).toEqual(['report_exported', 'dashboard_shared']);
  });

  it('round-trips every kind unchanged, and none as none', () => {
    expect(saved(draftFromTriggers(EVERY_KIND))).toEqual(EVERY_KIND);
    expect(saved(draftFromTriggers([]))).toEqual([]);
    expect(saved(draftFromTriggers(null))).toEqual([]);
    expect(saved(emptyTriggers())).toEqual([]);
  });

  it('keeps the stored order of a list written through the API, and adds new entries after it', () => {
    const stored: Trigger[] = [
      { kind: 'delay', seconds: 2.5 },
      { kind: 'url', match: 'glob', pattern: '/checkout*', exclude: true },
      { kind: 'event', event: 'signup_done' },
      { kind: 'url', match: 'glob', pattern: '/welcome' },
      { kind: 'exit_intent' },
    ];
    const draft = draftFromTriggers(stored);
    expect(saved(draft)).toEqual(stored);

    const edited: TriggersDraft = { ...draft, pages: [...draft.pages, newUrlPattern('/plans')], pageViews: '2' };
    expect(saved(edited)).toEqual([...stored, { kind: 'url', match: 'glob', pattern: '/plans' }, { kind: 'page_views', atLeast: 2 }]);
    expect(saved({ ...draft, delaySeconds: '', exitIntent: false })).toEqual(stored.slice(1, 4));
  });

  it('holds several delays or page-view minimums (alternatives) as the smallest', () => {
    const draft = draftFromTriggers([
      { kind: 'delay', seconds: 30 },
      { kind: 'page_views', atLeast: 4 },
      { kind: 'delay', seconds: 5 },
      { kind: 'page_views', atLeast: 2 },
    ]);
    expect(draft).toMatchObject({ delaySeconds: '5', pageViews: '2' });
    expect(saved(draft)).toEqual([
      { kind: 'delay', seconds: 5 },
      { kind: 'page_views', atLeast: 2 },
    ]);
  });

  it('builds new entries from the inputs: trimmed, empty numbers meaning no condition, 0 seconds kept', () => {
    const draft: TriggersDraft = {
      ...emptyTriggers(),
      pages: [newUrlPattern(' /pricing '), newUrlPattern('beta', 'contains')],
      excludedPages: [newUrlPattern('/checkout*')],
      events: [newEvent(' report_exported ')],
      delaySeconds: ' 0 ',
      pageViews: '',
    };
    expect(saved(draft)).toEqual([
      { kind: 'url', match: 'glob', pattern: '/pricing' },
      { kind: 'url', match: 'contains', pattern: 'beta' },
      { kind: 'url', match: 'glob', pattern: '/checkout*', exclude: true },
      { kind: 'delay', seconds: 0 },
      { kind: 'event', event: 'report_exported' },
    ]);
    expect(triggerCount(draft)).toBe(5);
  });

  it('names the control of each problem, in screen order, and still returns the valid triggers', () => {
    const draft: TriggersDraft = {
      ...emptyTriggers(),
      pages: [newUrlPattern('/ok'), newUrlPattern('  ')],
      excludedPages: [newUrlPattern('')],
      delaySeconds: 'soon',
      pageViews: '2.5',
      events: [newEvent(''), newEvent('x'.repeat(101))],
    };
    const result = triggersFromDraft(draft);
    expect(result.problems).toEqual([
      { field: 'triggers.pages.1.pattern', message: 'Page 2 to ask on: enter an address, e.g. /pricing, or remove the row' },
      { field: 'triggers.excludedPages.0.pattern', message: 'Page 1 never to ask on: enter an address, e.g. /checkout*, or remove the row' },
      { field: 'triggers.delay', message: 'Time on the page must be a number of seconds from 0 to 3600' },
      { field: 'triggers.pageViews', message: 'Page views must be a whole number from 1 to 1000' },
      { field: 'triggers.events.0', message: 'Event 1: enter its name, e.g. report_exported, or remove the row' },
      { field: 'triggers.events.1', message: 'Event 2: at most 100 characters' },
    ]);
    expect(result.triggers).toEqual([{ kind: 'url', match: 'glob', pattern: '/ok' }]);
    expect(triggersFromDraft({ ...emptyTriggers(), delaySeconds: '3601', pageViews: '0' }).problems.map((p) => p.field)).toEqual(['triggers.delay', 'triggers.pageViews']);
    expect(triggersFromDraft({ ...emptyTriggers(), excludedPages: [newUrlPattern(`/${'x'.repeat(500)}`)] }).problems).toEqual([
      { field: 'triggers.excludedPages.0.pattern', message: 'Page 1 never to ask on: at most 500 characters' },
    ]);
  });

  it('refuses more than the schema’s 10 triggers on the section', () => {
    const draft: TriggersDraft = { ...emptyTriggers(), pages: Array.from({ length: 11 }, (_, i) => newUrlPattern(`/p${i}`)) };
    expect(triggersFromDraft(draft).problems).toEqual([{ field: 'triggers', message: 'At most 10 conditions: remove some pages or events' }]);
  });

  it('moves a server error about triggers.N to the control of that entry', () => {
    const draft = draftFromTriggers([
      { kind: 'delay', seconds: 10 },
      { kind: 'url', match: 'glob', pattern: '/a' },
      { kind: 'url', match: 'glob', pattern: '/b', exclude: true },
      { kind: 'event', event: 'e' },
      { kind: 'exit_intent' },
    ]);
    const moved = (field: string) => triggerProblemForDraft({ field, message: `${field} does not match any of the allowed forms` }, draft);
    expect(moved('triggers.0')).toEqual({ field: 'triggers.delay', message: 'triggers.delay does not match any of the allowed forms' });
    expect(moved('triggers.1.pattern')).toMatchObject({ field: 'triggers.pages.0.pattern' });
    expect(moved('triggers.2.match')).toMatchObject({ field: 'triggers.excludedPages.0.match' });
    expect(moved('triggers.3')).toMatchObject({ field: 'triggers.events.0' });
    expect(moved('triggers.4')).toMatchObject({ field: 'triggers.exitIntent' });
    // Not an entry of this draft, or not about triggers: left as the server said it.
    expect(moved('triggers.9')).toEqual({ field: 'triggers.9', message: 'triggers.9 does not match any of the allowed forms' });
    expect(moved('triggers')).toMatchObject({ field: 'triggers' });
    expect(triggerProblemForDraft({ field: 'slug', message: 'taken' }, draft)).toEqual({ field: 'slug', message: 'taken' });
    expect(triggerProblemForDraft({ message: 'down' }, draft)).toEqual({ message: 'down' });
  });

  it('says the result in a line', () => {
    expect(describeTriggers([])).toBe('On any page, at once');
    expect(
      describeTriggers([
        { kind: 'url', match: 'exact', pattern: '/pricing' },
        { kind: 'url', match: 'glob', pattern: '/plans' },
        { kind: 'delay', seconds: 10 },
        { kind: 'url', match: 'glob', pattern: '/checkout*', exclude: true },
      ]),
    ).toBe('On /pricing or /plans, after 10 s, never on /checkout*');
    expect(describeTriggers(EVERY_KIND)).toBe(
      'On /app/* or /pricing, from the 3rd page view of a visit, after 10 s, right after report_exported or dashboard_shared, when they are about to leave (desktop), never on URLs containing “utm_campaign=beta”',
    );
    expect(describeTriggers([{ kind: 'url', match: 'glob', pattern: '/admin*', exclude: true }])).toBe('On any page, at once, never on /admin*');
    expect(describeTriggers([{ kind: 'page_views', atLeast: 11 }])).toBe('On any page, from the 11th page view of a visit');
    expect(describeTriggers([{ kind: 'page_views', atLeast: 22 }])).toBe('On any page, from the 22nd page view of a visit');
  });
});

describe('triggers in the study draft', () => {
  const base = { ...emptyStudyDraft(), name: 'Pricing talks', hostIds: ['h1'] };

  it('saves the triggers with the study and loads them back unchanged', () => {
    const result = studyFromDraft({ ...base, triggers: draftFromTriggers(EVERY_KIND) });
    if (!('body' in result)) throw new Error(JSON.stringify(result));
    expect(result.body.triggers).toEqual(EVERY_KIND);
    const study = { ...result.body, id: 's1', slug: 'pricing', bookingUrl: 'http://x/b/pricing', createdAt: '', updatedAt: '' } as unknown as Study;
    const again = studyFromDraft(draftFromStudy(study));
    expect(again).toEqual({ body: { ...result.body, slug: 'pricing' } });
    expect(studyFromDraft(base)).toMatchObject({ body: { triggers: [] } });
  });

  it('reports trigger problems with the study’s, and puts a server error on the trigger’s control', () => {
    const draft = { ...base, triggers: { ...emptyTriggers(), pageViews: 'lots' } };
    expect(studyFromDraft(draft)).toEqual({ problems: [{ field: 'triggers.pageViews', message: 'Page views must be a whole number from 1 to 1000' }] });
    const withDelay = { ...base, triggers: draftFromTriggers([{ kind: 'delay', seconds: 5 }]) };
    expect(problemOfSaveError({ code: 'invalid_request', field: 'triggers.0.seconds', message: 'triggers.0.seconds must be <= 3600' }, withDelay)).toEqual({
      field: 'triggers.delay',
      message: 'triggers.delay must be <= 3600',
    });
    expect(problemOfSaveError({ code: 'slug_taken', message: 'Another study already uses this slug' }, withDelay)).toEqual({
      field: 'slug',
      message: 'Another study already uses this slug',
    });
  });
});
