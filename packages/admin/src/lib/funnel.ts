import { FUNNEL_STEPS, type FunnelStepName } from '@beckon/shared/vocabulary';
import type { FunnelStep } from '../types.js';

export const STEP_LABELS: Record<FunnelStepName, string> = {
  eligible: 'Eligible',
  shown: 'Shown the invitation',
  opted_in: 'Opted in',
  qualified: 'Qualified (passed the screener)',
  booked: 'Booked',
  attended: 'Attended',
};

export interface FunnelRow {
  step: FunnelStepName;
  label: string;
  count: number;
  /** count ÷ previous step's count, as a percentage; null for the first step or a previous step of 0. */
  fromPrevious: number | null;
  /** count ÷ the first step's count; null when the first step is 0. */
  ofFirst: number | null;
}

/** The six steps in order (a step the server omitted counts 0), with conversion percentages. */
export function funnelRows(steps: readonly FunnelStep[]): FunnelRow[] {
  const counts = new Map<FunnelStepName, number>(steps.map((s) => [s.step, s.count]));
  const first = counts.get(FUNNEL_STEPS[0]) ?? 0;
  let previous: number | null = null;
  return FUNNEL_STEPS.map((step) => {
    const count = counts.get(step) ?? 0;
    const row: FunnelRow = {
      step,
      label: STEP_LABELS[step],
      count,
      fromPrevious: previous === null || previous === 0 ? null : (count / previous) * 100,
      ofFirst: first === 0 ? null : (count / first) * 100,
    };
    previous = count;
    return row;
  });
}

/** '42%', '3.5%', '0.04%', or '—' when there is nothing to divide by. */
export function formatPercent(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (value === 0) return '0%';
  if (value >= 10) return `${Math.round(value)}%`;
  if (value >= 1) return `${Math.round(value * 10) / 10}%`;
  return `${Number(value.toPrecision(1))}%`;
}
