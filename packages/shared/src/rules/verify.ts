import type { Rule, UserProfile } from './types.js';
import { checkTrait, fail } from './evaluate.js';

/**
 * For the server's re-check at opt-in and booking, which knows the user's traits (signed, when the
 * workspace requires identity verification) but not their tracked events (those live in the
 * browser and cannot be verified). False only when the traits alone rule the user out, whatever
 * the events: event conditions count as unknown, combined with three-valued (Kleene) logic, so
 * `{ all: [plan = pro, exported ≥ 5] }` is refused for a free user and allowed for a pro user.
 * A rule this code does not understand is refused, as in `evaluate`.
 */
export function mayMatch(rule: Rule | null | undefined, user: UserProfile, now: Date | number): boolean {
  if (rule == null) return true;
  try {
    return kleene(rule, user, +now) > 0;
  } catch {
    return false;
  }
}

/** 1 true, 0 false, 0.5 unknown; and = min, or = max, not = 1 − x. */
function kleene(rule: Rule, user: UserProfile, now: number): number {
  if ('all' in rule) return Math.min(1, ...rule.all.map((r) => kleene(r, user, now)));
  if ('any' in rule) return Math.max(0, ...rule.any.map((r) => kleene(r, user, now)));
  if ('not' in rule) return 1 - kleene(rule.not, user, now);
  if ('event' in rule) return 0.5;
  if ('trait' in rule) return checkTrait(rule, user.traits, now) ? 1 : 0;
  return fail();
}
