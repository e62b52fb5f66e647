// The tracked-event history the loader keeps for event rules: what the widget records, apart from
// the evaluator that reads it, so that the loader can record without shipping the rules.
import type { EventHistory } from './types.js';

/** How many recent timestamps `recordEvent` keeps per event name. */
export const EVENT_TIMESTAMP_CAP = 50;
/** How many distinct event names `recordEvent` keeps (the least recently done are dropped). */
export const EVENT_NAME_CAP = 100;

/**
 * The history after one more `name` event at `at`, for the loader to persist. Returns a new array
 * (most recently done event first) and leaves the input untouched. Counts `withinDays` exactly up
 * to `EVENT_TIMESTAMP_CAP` occurrences; `count` is the lifetime total.
 */
export function recordEvent(events: EventHistory[] | undefined, name: string, at: Date | number): EventHistory[] {
  const t = +at;
  const prev = events?.find((e) => e.name === name);
  const next: EventHistory = {
    name,
    count: (prev?.count ?? 0) + 1,
    lastAt: t,
    timestamps: [...(prev?.timestamps ?? []), t].slice(-EVENT_TIMESTAMP_CAP),
  };
  return [next, ...(events ?? []).filter((e) => e !== prev)].slice(0, EVENT_NAME_CAP);
}
