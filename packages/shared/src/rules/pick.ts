import type { PickContext, SkipReason, StudyCandidate } from './types.js';
import { evaluate } from './evaluate.js';
import { precheck } from './suppression.js';
import { triggersSatisfied } from './triggers.js';

const REASONS: (SkipReason | null)[] = [null, 'capacity', 'opted_out', 'snoozed', 'recontact', 'sample', 'triggers', 'rules'];

/**
 * Why `study` is not to be shown now, or null when it may be. Checks run cheapest first:
 * capacity, permanent opt-out, "Not now" snooze, recontact window (days since the user was last
 * shown any intercept; the study's own window overrides the workspace's), sampling, triggers,
 * targeting rules. A malformed study is skipped as 'rules'.
 */
export const whyNot = (study: StudyCandidate, ctx: PickContext): SkipReason | null => REASONS[skip(study, ctx)]!;

/** `whyNot` as an index into REASONS (0: may be shown), so that the loader ships no reason names. */
function skip(study: StudyCandidate, ctx: PickContext): number {
  const before = precheck(study, ctx);
  if (before) return before;
  try {
    if (!triggersSatisfied(study.triggers, ctx.session)) return 6;
  } catch {
    return 6;
  }
  return evaluate(study.targeting, ctx.user, ctx.now) ? 0 : 7;
}

/**
 * The one study to show on this page view, or undefined: among the studies `whyNot` lets through,
 * the highest priority; equal priorities go to the smallest id, so the choice is stable.
 */
export function pickStudy<S extends StudyCandidate>(studies: readonly S[], ctx: PickContext): S | undefined {
  let best: S | undefined;
  for (const s of studies) {
    if (best && (s.priority < best.priority || (s.priority == best.priority && s.id > best.id))) continue;
    if (!skip(s, ctx)) best = s;
  }
  return best;
}
