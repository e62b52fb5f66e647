import type { EventCondition, RelativeDateCondition, CompareCondition } from './types.js';

/** Signed up in the last `days` days (default 14): `signedUpAt` within_last_days. */
export const recentSignups = ({ days = 14, trait = 'signedUpAt' }: { days?: number; trait?: string } = {}): RelativeDateCondition => ({
  trait,
  op: 'within_last_days',
  value: days,
});

/** Canceled in the last `days` days (default 30): `canceledAt` within_last_days. */
export const recentlyChurned = ({ days = 30, trait = 'canceledAt' }: { days?: number; trait?: string } = {}): RelativeDateCondition => ({
  trait,
  op: 'within_last_days',
  value: days,
});

/**
 * The heaviest users: a usage-count trait of at least `atLeast` (`{ trait: 'reportsCreated',
 * atLeast: 50 }`), or a tracked event done at least `atLeast` times, optionally within the last
 * `withinDays` days (`{ event: 'report_exported', atLeast: 20, withinDays: 30 }`).
 */
export function superstars(
  o: { trait: string; atLeast: number } | { event: string; atLeast: number; withinDays?: number },
): CompareCondition | EventCondition {
  if ('trait' in o) return { trait: o.trait, op: 'gte', value: o.atLeast };
  return o.withinDays == null ? { event: o.event, atLeast: o.atLeast } : { event: o.event, atLeast: o.atLeast, withinDays: o.withinDays };
}

/** Not seen for more than `days` days (default 30): `lastSeenAt` more_than_days_ago. */
export const inactiveUsers = ({ days = 30, trait = 'lastSeenAt' }: { days?: number; trait?: string } = {}): RelativeDateCondition => ({
  trait,
  op: 'more_than_days_ago',
  value: days,
});

/** The segment presets the admin app offers, each a function returning a plain rule. */
export const presets = { recentSignups, recentlyChurned, superstars, inactiveUsers };
