import type { EventCondition, EventHistory, Rule, TraitCondition, UserProfile } from './types.js';
import { own } from './own.js';
import { DAY_MS, toTime } from './time.js';

/**
 * Whether `user` matches `rule` at `now`. Pure: the same answer in the widget and on the server.
 *
 * - A null or absent rule matches everyone.
 * - Missing traits (absent, null or undefined) and traits of a type the condition cannot read make
 *   every positive operator false; each `not_*` operator is the exact negation of its positive
 *   twin, so `not_equals`, `not_contains`, `not_in` and `not_exists` are true for them.
 * - A rule this code does not understand (unknown operator, malformed group) makes the whole rule
 *   false rather than throwing, so an older loader never shows a study to the wrong people.
 *
 * Coercion is led by the rule's value: see the condition types in `types.ts`.
 */
export function evaluate(rule: Rule | null | undefined, user: UserProfile, now: Date | number): boolean {
  try {
    return rule == null || check(rule, user, +now);
  } catch {
    return false;
  }
}

/** @internal Throws: the rule is not understood. */
export function fail(): never {
  throw 0;
}

const check = (rule: Rule, user: UserProfile, now: number): boolean =>
  'all' in rule
    ? rule.all.every((r) => check(r, user, now))
    : 'any' in rule
      ? rule.any.some((r) => check(r, user, now))
      : 'not' in rule
        ? !check(rule.not, user, now)
        : 'event' in rule
          ? checkEvent(rule, user.events, now)
          : 'trait' in rule
            ? checkTrait(rule, user.traits, now)
            : fail();

/** @internal */
export function checkTrait(c: TraitCondition, traits: Record<string, unknown>, now: number): boolean {
  const v = own(traits, c.trait);
  let op: string = c.op;
  const negate = op.startsWith('not_');
  if (negate) op = op.slice(4);
  return (
    (op == 'exists'
      ? !(v == null || v === '' || (Array.isArray(v) && !v.length) || v !== v)
      : test(op, (c as { value: unknown }).value, v, now)) != negate
  );
}

/** A number, or NaN: numbers as they are, numeric strings as numbers; nothing else. */
const num = (v: unknown): number => (typeof v == 'number' ? v : typeof v == 'string' && v.trim() ? +v : NaN);

/** A string, or undefined: strings as they are, finite numbers as their decimal form. */
const str = (v: unknown): string | undefined =>
  typeof v == 'string' ? v : typeof v == 'number' && isFinite(v) ? '' + v : undefined;

/** Whether trait value `have` equals rule value `want`, coerced to `want`'s type. */
function eq(want: unknown, have: unknown): boolean {
  if (typeof want == 'number') return num(have) === want;
  if (typeof want == 'boolean') return have === want || have === '' + want;
  if (typeof want != 'string') return fail();
  const t = toTime(want);
  return str(have) === want || (t === t && toTime(have) === t);
}

function test(op: string, want: any, have: unknown, now: number, inList?: boolean): boolean {
  // A list matches when any element does; `contains` on a list means "has this item".
  // A malformed rule value (`in` without an array, `contains` without a string) throws here.
  if (Array.isArray(have)) return have.some((h) => test(op, want, h, now, true));
  if (op == 'equals') return eq(want, have);
  if (op == 'in') return want.some((w: unknown) => eq(w, have));
  if (op == 'contains') {
    const w = (want as string).toLowerCase();
    const s = str(have)?.toLowerCase();
    return s != null && (inList ? s == w : s.includes(w));
  }
  let a = toTime(have);
  let b: number;
  if (op == 'within_last_days') return a >= now - want * DAY_MS;
  if (op == 'more_than_days_ago') return a < now - want * DAY_MS;
  // gt / gte / lt / lte: numbers when the value is a number, else instants (the value is ISO).
  if (typeof want == 'number') (a = num(have)), (b = want);
  else b = toTime(want);
  return b !== b ? fail() : op == 'gt' ? a > b : op == 'gte' ? a >= b : op == 'lt' ? a < b : op == 'lte' ? a <= b : fail();
}

function checkEvent(c: EventCondition, events: EventHistory[] | undefined, now: number): boolean {
  const e = events?.find((x) => x.name === c.event);
  const since = now - c.withinDays! * DAY_MS;
  // Histories without timestamps still know the last time.
  return (
    (!e
      ? 0
      : c.withinDays == null
        ? e.count
        : e.timestamps?.filter((t) => toTime(t) >= since).length || +(toTime(e.lastAt) >= since)) >= (c.atLeast ?? 1)
  );
}
