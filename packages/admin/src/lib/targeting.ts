// Targeting as a choice of segment preset. The presets themselves (and so the rule JSON shape)
// come from @beckon/shared/rules, the same code the widget evaluates; anything that is not a
// recognisable preset is edited as raw JSON.
import { inactiveUsers, recentlyChurned, recentSignups, superstars } from '@beckon/shared/rules';
import type { Rule } from '@beckon/shared/rules';
import type { FieldProblem } from './fields.js';

export type PresetKind = 'everyone' | 'recentSignups' | 'recentlyChurned' | 'superstars' | 'inactiveUsers' | 'custom';

export interface TargetingDraft {
  preset: PresetKind;
  /** For the day-based presets. */
  days: string;
  /** The trait the day-based presets read (signedUpAt, canceledAt, lastSeenAt by default). */
  trait: string;
  /** superstars: by a usage-count trait or by a tracked event. */
  superstarsBy: 'trait' | 'event';
  countTrait: string;
  event: string;
  atLeast: string;
  withinDays: string;
  /** custom: the rule as JSON text. */
  json: string;
}

export const PRESETS: { kind: PresetKind; label: string; hint: string }[] = [
  { kind: 'everyone', label: 'Everyone', hint: 'Every identified or anonymous visitor can be asked.' },
  { kind: 'recentSignups', label: 'Recent sign-ups', hint: 'Why did they sign up, what triggered it?' },
  { kind: 'recentlyChurned', label: 'Recently churned', hint: 'Why did they leave?' },
  { kind: 'superstars', label: 'Superstars', hint: 'Your heaviest users: what makes it work for them?' },
  { kind: 'inactiveUsers', label: 'Inactive users', hint: 'People who stopped coming back.' },
  { kind: 'custom', label: 'Custom rule (JSON)', hint: 'Any rule in the targeting-rule language.' },
];

export const DEFAULT_DAYS: Record<'recentSignups' | 'recentlyChurned' | 'inactiveUsers', { days: number; trait: string }> = {
  recentSignups: { days: 14, trait: 'signedUpAt' },
  recentlyChurned: { days: 30, trait: 'canceledAt' },
  inactiveUsers: { days: 30, trait: 'lastSeenAt' },
};

export function emptyTargeting(): TargetingDraft {
  return { preset: 'everyone', days: '14', trait: 'signedUpAt', superstarsBy: 'event', countTrait: '', event: '', atLeast: '10', withinDays: '30', json: '' };
}

/** Switching preset: reset the day count and trait to that preset's defaults. */
export function withPreset(draft: TargetingDraft, preset: PresetKind): TargetingDraft {
  const next = { ...draft, preset };
  if (preset === 'recentSignups' || preset === 'recentlyChurned' || preset === 'inactiveUsers') {
    next.days = String(DEFAULT_DAYS[preset].days);
    next.trait = DEFAULT_DAYS[preset].trait;
  }
  if (preset === 'custom' && !draft.json.trim()) {
    const current = ruleFromDraft(draft);
    next.json = 'rule' in current && current.rule ? JSON.stringify(current.rule, null, 2) : '';
  }
  return next;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The draft a stored rule is edited with: its preset when it is one, else custom JSON. */
export function draftFromRule(rule: unknown): TargetingDraft {
  const draft = emptyTargeting();
  if (rule === null || rule === undefined) return draft;
  if (isObject(rule)) {
    const keys = Object.keys(rule).sort().join(',');
    if (keys === 'op,trait,value' && typeof rule.trait === 'string' && typeof rule.value === 'number' && Number.isInteger(rule.value)) {
      const days = String(rule.value);
      if (rule.op === 'within_last_days' && rule.trait === DEFAULT_DAYS.recentSignups.trait) return { ...draft, preset: 'recentSignups', days, trait: rule.trait };
      if (rule.op === 'within_last_days' && rule.trait === DEFAULT_DAYS.recentlyChurned.trait) return { ...draft, preset: 'recentlyChurned', days, trait: rule.trait };
      if (rule.op === 'more_than_days_ago') return { ...draft, preset: 'inactiveUsers', days, trait: rule.trait };
      if (rule.op === 'gte') return { ...draft, preset: 'superstars', superstarsBy: 'trait', countTrait: rule.trait, atLeast: days };
    }
    if (typeof rule.event === 'string' && Object.keys(rule).every((k) => k === 'event' || k === 'atLeast' || k === 'withinDays')) {
      const atLeast = rule.atLeast ?? 1;
      if (typeof atLeast === 'number' && (rule.withinDays === undefined || typeof rule.withinDays === 'number')) {
        return {
          ...draft,
          preset: 'superstars',
          superstarsBy: 'event',
          event: rule.event,
          atLeast: String(atLeast),
          withinDays: rule.withinDays === undefined ? '' : String(rule.withinDays),
        };
      }
    }
  }
  return { ...draft, preset: 'custom', json: JSON.stringify(rule, null, 2) };
}

function wholeNumber(text: string, field: string, label: string, min: number, max: number): number | FieldProblem {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value)) return { field, message: `${label} must be a whole number` };
  if (value < min || value > max) return { field, message: `${label} must be between ${min} and ${max}` };
  return value;
}
const isProblem = (value: unknown): value is FieldProblem => isObject(value) && typeof value.message === 'string';

/** The rule to save (null: everyone), or the problem with the draft, named by its field. */
export function ruleFromDraft(draft: TargetingDraft): { rule: Rule | null } | { problem: FieldProblem } {
  switch (draft.preset) {
    case 'everyone':
      return { rule: null };
    case 'recentSignups':
    case 'recentlyChurned':
    case 'inactiveUsers': {
      const days = wholeNumber(draft.days, 'targeting.days', 'Days', 1, 3650);
      if (isProblem(days)) return { problem: days };
      const trait = draft.trait.trim() || DEFAULT_DAYS[draft.preset].trait;
      const make = { recentSignups, recentlyChurned, inactiveUsers }[draft.preset];
      return { rule: make({ days, trait }) };
    }
    case 'superstars': {
      const atLeast = wholeNumber(draft.atLeast, 'targeting.atLeast', 'At least', 1, 1_000_000);
      if (isProblem(atLeast)) return { problem: atLeast };
      if (draft.superstarsBy === 'trait') {
        const trait = draft.countTrait.trim();
        if (!trait) return { problem: { field: 'targeting.countTrait', message: 'Name the usage-count trait, e.g. reportsCreated' } };
        return { rule: superstars({ trait, atLeast }) };
      }
      const event = draft.event.trim();
      if (!event) return { problem: { field: 'targeting.event', message: 'Name the tracked event, e.g. report_exported' } };
      if (draft.withinDays.trim() === '') return { rule: superstars({ event, atLeast }) };
      const withinDays = wholeNumber(draft.withinDays, 'targeting.withinDays', 'Within days', 1, 3650);
      if (isProblem(withinDays)) return { problem: withinDays };
      return { rule: superstars({ event, atLeast, withinDays }) };
    }
    case 'custom': {
      const text = draft.json.trim();
      if (!text || text === 'null') return { rule: null };
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        return { problem: { field: 'targeting.json', message: `Not valid JSON: ${(error as Error).message}` } };
      }
      const problem = checkRule(value, 'rule');
      if (problem) return { problem: { field: 'targeting.json', message: problem } };
      return { rule: value as Rule };
    }
  }
}

const TRAIT_OPS: Record<string, 'none' | 'scalar' | 'string' | 'list' | 'numberOrDate' | 'days'> = {
  exists: 'none',
  not_exists: 'none',
  equals: 'scalar',
  not_equals: 'scalar',
  contains: 'string',
  not_contains: 'string',
  in: 'list',
  not_in: 'list',
  gt: 'numberOrDate',
  gte: 'numberOrDate',
  lt: 'numberOrDate',
  lte: 'numberOrDate',
  within_last_days: 'days',
  more_than_days_ago: 'days',
};
const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** A shape check of a rule in the language of `@beckon/shared/rules` types; the first problem, or null. */
export function checkRule(value: unknown, at: string, depth = 0): string | null {
  if (depth > 20) return `${at} is nested too deeply`;
  if (!isObject(value)) return `${at} must be an object such as {"trait": "plan", "op": "equals", "value": "pro"}`;
  if ('all' in value || 'any' in value) {
    const key = 'all' in value ? 'all' : 'any';
    const list = value[key];
    if (!Array.isArray(list)) return `${at}.${key} must be a list of rules`;
    for (let i = 0; i < list.length; i++) {
      const problem = checkRule(list[i], `${at}.${key}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if ('not' in value) return checkRule(value.not, `${at}.not`, depth + 1);
  if ('event' in value) {
    if (typeof value.event !== 'string' || !value.event) return `${at}.event must be an event name`;
    for (const key of ['atLeast', 'withinDays'] as const) {
      if (value[key] !== undefined && !(typeof value[key] === 'number' && value[key] >= 0)) return `${at}.${key} must be a number`;
    }
    return null;
  }
  if ('trait' in value) {
    if (typeof value.trait !== 'string' || !value.trait) return `${at}.trait must be a trait name`;
    const kind = typeof value.op === 'string' ? TRAIT_OPS[value.op] : undefined;
    if (!kind) return `${at}.op must be one of ${Object.keys(TRAIT_OPS).join(', ')}`;
    const v = value.value;
    const ok =
      kind === 'none' ||
      (kind === 'scalar' && isScalar(v)) ||
      (kind === 'string' && typeof v === 'string') ||
      (kind === 'list' && Array.isArray(v) && v.every(isScalar)) ||
      (kind === 'numberOrDate' && (typeof v === 'number' || typeof v === 'string')) ||
      (kind === 'days' && typeof v === 'number' && v >= 0);
    return ok ? null : `${at}.value does not fit op "${String(value.op)}"`;
  }
  return `${at} must have "trait", "event", "all", "any" or "not"`;
}

/** One line saying who the rule selects, for the studies list and the editor. */
export function describeTargeting(rule: unknown): string {
  const draft = draftFromRule(rule);
  switch (draft.preset) {
    case 'everyone':
      return 'Everyone';
    case 'recentSignups':
      return `Signed up in the last ${draft.days} days`;
    case 'recentlyChurned':
      return `Churned in the last ${draft.days} days`;
    case 'inactiveUsers':
      return `Inactive for more than ${draft.days} days${draft.trait !== DEFAULT_DAYS.inactiveUsers.trait ? ` (${draft.trait})` : ''}`;
    case 'superstars':
      return draft.superstarsBy === 'trait'
        ? `Superstars: ${draft.countTrait} ≥ ${draft.atLeast}`
        : `Superstars: ${draft.event} ×${draft.atLeast}${draft.withinDays ? ` in ${draft.withinDays} days` : ''}`;
    case 'custom':
      return 'Custom rule';
  }
}
