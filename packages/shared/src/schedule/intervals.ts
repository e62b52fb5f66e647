import { toEpochMs, toIsoUtc } from './instants.js';
import type { TimeInterval } from './types.js';

/** A half-open stretch of time [start, end) in epoch milliseconds. */
export interface Span {
  start: number;
  end: number;
}

export function spansOverlap(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Sorts and merges spans, dropping empty ones. Touching spans merge too: with half-open spans
 * that changes no overlap answer, and it keeps the list short.
 */
export function mergeSpans(spans: Iterable<Span>): Span[] {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/**
 * `intervals` with the time of `cut` taken out: an interval that covers it keeps its parts before
 * and after, one inside it goes. The intervals need not be sorted or disjoint; empty parts drop.
 */
export function subtractInterval(intervals: readonly TimeInterval[], cut: TimeInterval): TimeInterval[] {
  const from = toEpochMs(cut.start);
  const to = toEpochMs(cut.end);
  return intervals.flatMap((interval) => {
    const start = toEpochMs(interval.start);
    const end = toEpochMs(interval.end);
    if (end <= from || start >= to) return [interval];
    const parts: TimeInterval[] = [];
    if (start < from) parts.push({ start: interval.start, end: toIsoUtc(from) });
    if (end > to) parts.push({ start: toIsoUtc(to), end: interval.end });
    return parts;
  });
}

/** Whether `span` overlaps any of `merged` (sorted, disjoint, as from mergeSpans). */
export function overlapsAny(merged: readonly Span[], span: Span): boolean {
  const candidate = merged[firstEndingAfter(merged, span.start)];
  return candidate !== undefined && spansOverlap(candidate, span);
}

/** Index of the first span whose end is after `instant` (ends increase in a merged list). */
function firstEndingAfter(merged: readonly Span[], instant: number): number {
  let low = 0;
  let high = merged.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (merged[middle]!.end <= instant) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the last span starting at or before `instant`, or −1 (spans sorted by start). */
export function lastStartingAtOrBefore(sorted: readonly Span[], instant: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]!.start <= instant) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
