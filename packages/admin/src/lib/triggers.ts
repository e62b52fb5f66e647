// When, on the page, the intercept is shown: the study's `triggers` (see @beckon/shared/rules,
// `triggers.ts` and `url.ts`, for what they mean) as the editor's draft, with strings as the
// inputs hold them. The admin only edits this data; it never evaluates triggers.
import type { Trigger, UrlMatch, UrlTrigger } from '@beckon/shared/rules';
import type { FieldProblem } from './fields.js';

export interface UrlPatternDraft {
  /** Identifies the row while editing (list keys, saved order); not stored. */
  id: string;
  match: UrlMatch;
  pattern: string;
}

export interface EventDraft {
  id: string;
  event: string;
}

export interface TriggersDraft {
  /** Ask only on these pages (any one of them); none: every page. */
  pages: UrlPatternDraft[];
  /** Never ask on these pages (`exclude: true`). */
  excludedPages: UrlPatternDraft[];
  /** Seconds on the page first; '' = at once. */
  delaySeconds: string;
  /** From this page view of the visit on; '' = from the first. */
  pageViews: string;
  /** Right after any one of these tracked events. */
  events: EventDraft[];
  exitIntent: boolean;
  /**
   * The draft keys (row ids, `delay`, `pageViews`, `exitIntent`) in the order of the stored
   * triggers, so that saving an untouched study writes back the very same list.
   */
  storedOrder: string[];
}

// The limits of TriggerSchema in @beckon/shared/rules/schemas.ts (TypeBox stays out of the
// admin bundle, so they are restated here; the server checks them again).
export const MAX_TRIGGERS = 10;
export const MAX_PATTERN_LENGTH = 500;
export const MAX_EVENT_LENGTH = 100;
const MAX_DELAY_SECONDS = 3600;
const MAX_PAGE_VIEWS = 1000;

export const MATCH_LABELS: Record<UrlMatch, string> = {
  glob: 'Matches (* = anything)',
  exact: 'Is exactly',
  contains: 'URL contains',
};

const DELAY = 'delay';
const PAGE_VIEWS = 'pageViews';
const EXIT_INTENT = 'exitIntent';

let rowCount = 0;
/** Unique within the page; rows are never saved with their id. */
const rowId = (prefix: string) => `${prefix}${++rowCount}`;

export function newUrlPattern(pattern = '', match: UrlMatch = 'glob'): UrlPatternDraft {
  return { id: rowId('url'), match, pattern };
}

export function newEvent(event = ''): EventDraft {
  return { id: rowId('event'), event };
}

export function emptyTriggers(): TriggersDraft {
  return { pages: [], excludedPages: [], delaySeconds: '', pageViews: '', events: [], exitIntent: false, storedOrder: [] };
}

/**
 * The draft a study's triggers are edited with. Several delays (or page-view minimums) are
 * alternatives, so they are held as the smallest one: the same condition, one input.
 */
export function draftFromTriggers(triggers: readonly Trigger[] | null | undefined): TriggersDraft {
  const draft = emptyTriggers();
  const seen = (key: string) => {
    if (!draft.storedOrder.includes(key)) draft.storedOrder.push(key);
  };
  let delay: number | undefined;
  let pageViews: number | undefined;
  for (const trigger of triggers ?? []) {
    switch (trigger.kind) {
      case 'url': {
        const row = newUrlPattern(trigger.pattern, trigger.match);
        (trigger.exclude ? draft.excludedPages : draft.pages).push(row);
        seen(row.id);
        break;
      }
      case 'event': {
        const row = newEvent(trigger.event);
        draft.events.push(row);
        seen(row.id);
        break;
      }
      case 'delay':
        delay = Math.min(delay ?? Infinity, trigger.seconds);
        seen(DELAY);
        break;
      case 'page_views':
        pageViews = Math.min(pageViews ?? Infinity, trigger.atLeast);
        seen(PAGE_VIEWS);
        break;
      case 'exit_intent':
        draft.exitIntent = true;
        seen(EXIT_INTENT);
        break;
    }
  }
  if (delay !== undefined) draft.delaySeconds = String(delay);
  if (pageViews !== undefined) draft.pageViews = String(pageViews);
  return draft;
}

/** Paths of the editor's controls; client problems name them, server errors are mapped onto them. */
export const triggerPaths = {
  section: 'triggers',
  pages: 'triggers.pages',
  excludedPages: 'triggers.excludedPages',
  events: 'triggers.events',
  pattern: (list: 'pages' | 'excludedPages', i: number) => `triggers.${list}.${i}.pattern`,
  match: (list: 'pages' | 'excludedPages', i: number) => `triggers.${list}.${i}.match`,
  event: (i: number) => `triggers.events.${i}`,
  delay: 'triggers.delay',
  pageViews: 'triggers.pageViews',
  exitIntent: 'triggers.exitIntent',
} as const;

/** One draft entry as it will be saved: its trigger, or why it cannot be. */
interface Entry {
  key: string;
  /** The control that shows this entry's problems. */
  path: string;
  /** For URL rows: the match select, for server errors about `match`. */
  matchPath?: string;
  result: Trigger | FieldProblem;
}

const isTrigger = (result: Trigger | FieldProblem): result is Trigger => 'kind' in result;

function numberIn(text: string, path: string, message: string, min: number, max: number, whole: boolean): number | FieldProblem {
  const value = Number(text.trim());
  const ok = Number.isFinite(value) && value >= min && value <= max && (!whole || Number.isInteger(value));
  return ok ? value : { field: path, message };
}

function urlEntries(draft: TriggersDraft, list: 'pages' | 'excludedPages'): Entry[] {
  const exclude = list === 'excludedPages';
  return draft[list].map((row, i) => {
    const path = triggerPaths.pattern(list, i);
    const name = `Page ${i + 1} ${exclude ? 'never to ask on' : 'to ask on'}`;
    const pattern = row.pattern.trim();
    const trigger: UrlTrigger = { kind: 'url', match: row.match, pattern, ...(exclude ? { exclude: true } : {}) };
    const result: Trigger | FieldProblem = !pattern
      ? { field: path, message: `${name}: enter an address, e.g. ${exclude ? '/checkout*' : '/pricing'}, or remove the row` }
      : pattern.length > MAX_PATTERN_LENGTH
        ? { field: path, message: `${name}: at most ${MAX_PATTERN_LENGTH} characters` }
        : trigger;
    return { key: row.id, path, matchPath: triggerPaths.match(list, i), result };
  });
}

/** Every entry, in the order the editor shows them. */
function entriesOnScreen(draft: TriggersDraft): Entry[] {
  const entries = [...urlEntries(draft, 'pages'), ...urlEntries(draft, 'excludedPages')];
  if (draft.delaySeconds.trim()) {
    const seconds = numberIn(draft.delaySeconds, triggerPaths.delay, `Time on the page must be a number of seconds from 0 to ${MAX_DELAY_SECONDS}`, 0, MAX_DELAY_SECONDS, false);
    entries.push({ key: DELAY, path: triggerPaths.delay, result: typeof seconds === 'number' ? { kind: 'delay', seconds } : seconds });
  }
  if (draft.pageViews.trim()) {
    const atLeast = numberIn(draft.pageViews, triggerPaths.pageViews, `Page views must be a whole number from 1 to ${MAX_PAGE_VIEWS}`, 1, MAX_PAGE_VIEWS, true);
    entries.push({ key: PAGE_VIEWS, path: triggerPaths.pageViews, result: typeof atLeast === 'number' ? { kind: 'page_views', atLeast } : atLeast });
  }
  draft.events.forEach((row, i) => {
    const path = triggerPaths.event(i);
    const event = row.event.trim();
    const result: Trigger | FieldProblem = !event
      ? { field: path, message: `Event ${i + 1}: enter its name, e.g. report_exported, or remove the row` }
      : event.length > MAX_EVENT_LENGTH
        ? { field: path, message: `Event ${i + 1}: at most ${MAX_EVENT_LENGTH} characters` }
        : { kind: 'event', event };
    entries.push({ key: row.id, path, result });
  });
  if (draft.exitIntent) entries.push({ key: EXIT_INTENT, path: triggerPaths.exitIntent, result: { kind: 'exit_intent' } });
  return entries;
}

/** Every entry in the order the triggers are saved (entry N is the API's `triggers.N`). */
function entriesAsSaved(draft: TriggersDraft): Entry[] {
  // Stored entries keep their stored order; new ones follow in screen order (sort is stable).
  const rank = (key: string) => {
    const at = draft.storedOrder.indexOf(key);
    return at < 0 ? Infinity : at;
  };
  return entriesOnScreen(draft).sort((a, b) => rank(a.key) - rank(b.key));
}

/** How many triggers the draft makes (filled or not), to stop adding rows at the schema's limit. */
export function triggerCount(draft: TriggersDraft): number {
  return entriesOnScreen(draft).length;
}

/** The triggers to save (the valid ones, when there are problems) and every problem, by field. */
export function triggersFromDraft(draft: TriggersDraft): { triggers: Trigger[]; problems: FieldProblem[] } {
  const triggers = entriesAsSaved(draft)
    .map((e) => e.result)
    .filter(isTrigger);
  const entries = entriesOnScreen(draft);
  const problems = entries.map((e) => e.result).filter((r): r is FieldProblem => !isTrigger(r));
  if (entries.length > MAX_TRIGGERS) {
    problems.unshift({ field: triggerPaths.section, message: `At most ${MAX_TRIGGERS} conditions: remove some pages or events` });
  }
  return { triggers, problems };
}

/**
 * A server error about `triggers.N…` (the saved list's index) moved to the control of that entry,
 * its message re-worded with the new path so the form can name the control by its label.
 */
export function triggerProblemForDraft(problem: FieldProblem, draft: TriggersDraft): FieldProblem {
  const found = problem.field ? /^triggers\.(\d+)(?:\.(\w+))?/.exec(problem.field) : null;
  const entry = found ? entriesAsSaved(draft)[Number(found[1])] : undefined;
  if (!found || !entry) return problem;
  const field = found[2] === 'match' && entry.matchPath ? entry.matchPath : entry.path;
  const message = problem.message.startsWith(problem.field!) ? field + problem.message.slice(problem.field!.length) : problem.message;
  return { field, message };
}

const ordinal = (n: number) => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
};
const either = (items: string[]) => items.join(' or ');
const page = (t: UrlTrigger) => (t.match === 'contains' ? `URLs containing “${t.pattern}”` : t.pattern);

/** One line in plain English: "On /pricing or /plans, after 10 s, never on /checkout*". */
export function describeTriggers(triggers: readonly Trigger[] | null | undefined): string {
  const list = triggers ?? [];
  const urls = list.filter((t): t is UrlTrigger => t.kind === 'url');
  const pages = urls.filter((t) => !t.exclude);
  const excluded = urls.filter((t) => t.exclude);
  const delays = list.flatMap((t) => (t.kind === 'delay' ? [`${t.seconds} s`] : []));
  const views = list.flatMap((t) => (t.kind === 'page_views' ? [ordinal(t.atLeast)] : []));
  const events = list.flatMap((t) => (t.kind === 'event' ? [t.event] : []));
  const exitIntent = list.some((t) => t.kind === 'exit_intent');

  const parts = [pages.length > 0 ? `On ${either(pages.map(page))}` : 'On any page'];
  if (views.length > 0) parts.push(`from the ${either(views)} page view of a visit`);
  if (delays.length > 0) parts.push(`after ${either(delays)}`);
  if (events.length > 0) parts.push(`right after ${either(events)}`);
  if (exitIntent) parts.push('when they are about to leave (desktop)');
  if (parts.length === 1) parts.push('at once');
  if (excluded.length > 0) parts.push(`never on ${either(excluded.map(page))}`);
  return parts.join(', ');
}
