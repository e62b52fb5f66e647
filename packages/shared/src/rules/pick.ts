import type { PickContext, SkipReason, StudyCandidate, SuppressionState } from './types.js';
import { evaluate } from './evaluate.js';
import { inSample } from './sample.js';
import { DAY_MS, toTime } from './time.js';
import { triggersSatisfied } from './triggers.js';

/** The workspace-wide recontact window when the configuration does not say. */
export const DEFAULT_RECONTACT_DAYS = 30;

/**
 * Why `study` is not to be shown now, or null when it may be. Checks run cheapest first:
 * capacity, permanent opt-out, "Not now" snooze, recontact window (days since the user was last
 * shown any intercept; the study's own window overrides the workspace's), sampling, triggers,
 * targeting rules. A malformed study is skipped as 'rules'.
 */
export function whyNot(study: StudyCandidate, ctx: PickContext): SkipReason | null {
  const now = +ctx.now;
  const sup = ctx.suppression ?? {};
  if (!study.bookable) return 'capacity';
  if (sup.optedOut) return 'opted_out';
  const snoozes = sup.snoozedUntil;
  if (snoozes && Object.prototype.hasOwnProperty.call(snoozes, study.id) && now < toTime(snoozes[study.id])) return 'snoozed';
  const days = study.recontactDays ?? ctx.recontactDays ?? DEFAULT_RECONTACT_DAYS;
  if (now - toTime(sup.lastShownAt) < days * DAY_MS) return 'recontact';
  if (!inSample(ctx.userKey, study.id, study.samplingPercent ?? 100)) return 'sample';
  try {
    if (!triggersSatisfied(study.triggers, ctx.session)) return 'triggers';
  } catch {
    return 'triggers';
  }
  return evaluate(study.targeting, ctx.user, now) ? null : 'rules';
}

/**
 * The one study to show on this page view, or undefined: among the studies `whyNot` lets through,
 * the highest priority; equal priorities go to the smallest id, so the choice is stable.
 */
export function pickStudy<S extends StudyCandidate>(studies: readonly S[], ctx: PickContext): S | undefined {
  let best: S | undefined;
  for (const s of studies) {
    if (best && (s.priority < best.priority || (s.priority == best.priority && s.id > best.id))) continue;
    if (whyNot(s, ctx) == null) best = s;
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
