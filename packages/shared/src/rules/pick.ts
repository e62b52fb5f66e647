import type { PickContext, SkipReason, StudyCandidate, SuppressionState } from './types.js';
import { evaluate, own } from './evaluate.js';
import { inSample } from './sample.js';
import { DAY_MS, toTime } from './time.js';
import { triggersSatisfied } from './triggers.js';

/** The workspace-wide recontact window when the configuration does not say. */
export const DEFAULT_RECONTACT_DAYS = 30;

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
  const now = +ctx.now;
  const sup = ctx.suppression ?? {};
  if (!study.bookable) return 1;
  if (sup.optedOut) return 2;
  if (now < toTime(own(sup.snoozedUntil, study.id))) return 3;
  if (now - toTime(sup.lastShownAt) < (study.recontactDays ?? ctx.recontactDays ?? DEFAULT_RECONTACT_DAYS) * DAY_MS) return 4;
  if (!inSample(ctx.userKey, study.id, study.samplingPercent ?? 100)) return 5;
  try {
    if (!triggersSatisfied(study.triggers, ctx.session)) return 6;
  } catch {
    return 6;
  }
  return evaluate(study.targeting, ctx.user, now) ? 0 : 7;
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

const iso = (at: Date | number) => new Date(+at).toISOString();

/** The state after an intercept was shown at `at` (starts the recontact window). */
export const markShown = (s: SuppressionState, at: Date | number): SuppressionState => ({ ...s, lastShownAt: iso(at) });

/** The state after "Not now" on `studyId` at `at`: that study stays hidden for `days` days. */
export const snoozeStudy = (s: SuppressionState, studyId: string, days: number, at: Date | number): SuppressionState => ({
  ...s,
  snoozedUntil: { ...s.snoozedUntil, [studyId]: iso(+at + days * DAY_MS) },
});

/** The state after "Don't ask me again". */
export const optOut = (s: SuppressionState): SuppressionState => ({ ...s, optedOut: true });
