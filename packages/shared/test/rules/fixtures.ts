import type { UserProfile } from '../../src/rules/index.js';

/** The fixed "now" of every rules test: Sunday 29 March 2026, 12:00 UTC (a DST change in Europe). */
export const NOW = Date.parse('2026-03-29T12:00:00Z');
export const DAY = 86_400_000;

/** An ISO instant `days` days before NOW (negative: after). */
export const daysAgo = (days: number): string => new Date(NOW - days * DAY).toISOString();

export const user = (traits: Record<string, unknown>, events?: UserProfile['events']): UserProfile =>
  events ? { traits, events } : { traits };

/** A small deterministic PRNG (mulberry32) for property-style tests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
