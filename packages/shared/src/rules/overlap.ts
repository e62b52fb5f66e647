import type { Rule, TraitCondition } from './types.js';
import { DAY_MS } from './time.js';
import { mayMatch } from './verify.js';

type Traits = Record<string, unknown>;

/** Trait values that make one condition true (or, negated, false), as candidates to try. */
function witnesses(c: TraitCondition, now: number, negated: boolean): Traits[] {
  const value = (c as { value?: unknown }).value;
  const positive = c.op.startsWith('not_') === negated;
  const op = c.op.replace(/^not_/, '');
  const at = (days: number) => new Date(now - days * DAY_MS).toISOString();
  const other = (v: unknown) => (typeof v == 'number' ? v + 1 : `${String(v)}~other`);
  const list = Array.isArray(value) ? value : [value];
  const pick = (yes: unknown[], no: unknown[]) => (positive ? yes : no).map((v) => ({ [c.trait]: v }));
  switch (op) {
    case 'exists':
      return pick(['x'], [null]);
    case 'equals':
      return pick([value], [other(value)]);
    case 'contains':
      return pick([`~${String(value)}~`], ['']);
    case 'in':
      return pick(list, [other(list[0])]);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const up = op.startsWith('g') === positive;
      if (typeof value == 'number') return [{ [c.trait]: value + (up ? 1 : -1) }];
      const t = Date.parse(String(value));
      return Number.isNaN(t) ? [] : [{ [c.trait]: new Date(t + (up ? DAY_MS : -DAY_MS)).toISOString() }];
    }
    case 'within_last_days':
      return pick([at(Number(value) / 2)], [at(Number(value) + 1)]);
    case 'more_than_days_ago':
      return pick([at(Number(value) + 1)], [at(Number(value) / 2)]);
    default:
      return [];
  }
}

/** Trait sets that may make `rule` true (or false, negated): candidates, each checked by the caller. */
function candidates(rule: Rule, now: number, negated = false): Traits[] {
  if ('not' in rule) return candidates(rule.not, now, !negated);
  if ('trait' in rule) return witnesses(rule, now, negated);
  if ('event' in rule) return [{}];
  const parts = 'all' in rule ? rule.all : rule.any;
  const each = parts.map((r) => candidates(r, now, negated));
  // all (or a negated any) needs every part at once: merge one candidate of each part.
  if ('all' in rule !== negated) return each.reduce<Traits[]>((sets, options) => sets.flatMap((set) => (options.length ? options : [{}]).map((o) => ({ ...set, ...o }))).slice(0, 64), [{}]);
  return each.flat();
}

/**
 * A user's traits that two studies' targeting both let through (tracked events counted as unknown,
 * as `mayMatch` does), or undefined when none is found: two live studies overlap when one exists,
 * and then only priority decides which of them a visitor is asked for. No rule (everyone) overlaps
 * any rule that can match. A heuristic that finds a concrete example; it never claims an overlap
 * it cannot show.
 */
export function overlapExample(a: Rule | null | undefined, b: Rule | null | undefined, now: Date | number): Traits | undefined {
  const at = +now;
  const fromA = a ? candidates(a, at) : [{}];
  const fromB = b ? candidates(b, at) : [{}];
  for (const x of fromA) {
    for (const y of fromB) {
      for (const traits of [{ ...x, ...y }, { ...y, ...x }]) {
        if (mayMatch(a, { traits }, at) && mayMatch(b, { traits }, at)) return traits;
      }
    }
  }
  return undefined;
}
