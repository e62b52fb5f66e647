// Two live studies whose segments share visitors: the admin app warns, and says which one a
// visitor who matches both is asked for (the higher priority; equal priorities by id, as the
// widget's pickStudy decides).
import { overlapExample } from '@beckon/shared/rules';
import type { Study } from '@beckon/shared/api';

export interface Overlap {
  other: Pick<Study, 'id' | 'name' | 'priority'>;
  /** Traits of a visitor both studies would ask, e.g. { plan: 'pro' }. */
  example: Record<string, unknown>;
  /** Whether this study is the one such a visitor is asked for. */
  wins: boolean;
}

const winsOver = (a: Pick<Study, 'id' | 'priority'>, b: Pick<Study, 'id' | 'priority'>) => a.priority > b.priority || (a.priority == b.priority && a.id < b.id);

/** For each live study, the other live studies that target some of the same visitors. */
export function liveOverlaps(studies: readonly Study[], now = Date.now()): Map<string, Overlap[]> {
  const live = studies.filter((study) => study.status === 'live');
  const found = new Map<string, Overlap[]>(live.map((study) => [study.id, []]));
  live.forEach((a, i) => {
    for (const b of live.slice(i + 1)) {
      const example = overlapExample(a.targeting, b.targeting, now);
      if (!example) continue;
      found.get(a.id)!.push({ other: b, example, wins: winsOver(a, b) });
      found.get(b.id)!.push({ other: a, example, wins: winsOver(b, a) });
    }
  });
  return found;
}

/** "plan = pro, signedUpAt = 2026-03-22": an example visitor in words; "anyone" without traits. */
export function describeExample(example: Record<string, unknown>): string {
  const parts = Object.entries(example)
    .filter(([, value]) => value != null && value !== '')
    .map(([trait, value]) => `${trait} = ${typeof value == 'string' && /^\d{4}-\d\d-\d\dT/.test(value) ? value.slice(0, 10) : String(value)}`);
  return parts.length ? parts.join(', ') : 'anyone';
}
