// When not to ask: capacity, "Don't ask me again", "Not now", the recontact window and sampling,
// the checks that need neither the page nor the user's traits; and the state the UI keeps for them.
import type { PickContext, StudyCandidate, SuppressionState } from './types.js';
import { own } from './own.js';
import { inSample } from './sample.js';
import { DAY_MS, toTime } from './time.js';

/** The workspace-wide recontact window when the configuration does not say. */
export const DEFAULT_RECONTACT_DAYS = 30;

/** What `precheck` needs: neither the page nor the user's profile. */
export type PrecheckContext = Pick<PickContext, 'userKey' | 'now' | 'suppression' | 'recontactDays'>;

/**
 * `whyNot`'s first checks, those that need neither the page nor the user's traits and events:
 * 1 capacity, 2 opt-out, 3 snooze, 4 recontact window, 5 sampling (the order and numbering of
 * `whyNot`'s reasons), or 0: still a candidate. The loader runs only these before fetching the rest of the decision,
 * so a visitor no study could be shown to never downloads the rules.
 */
export function precheck(study: StudyCandidate, ctx: PrecheckContext): number {
  const now = +ctx.now;
  const sup = ctx.suppression ?? {};
  if (!study.bookable) return 1;
  if (sup.optedOut) return 2;
  if (now < toTime(own(sup.snoozedUntil, study.id))) return 3;
  if (now - toTime(sup.lastShownAt) < (study.recontactDays ?? ctx.recontactDays ?? DEFAULT_RECONTACT_DAYS) * DAY_MS) return 4;
  return inSample(ctx.userKey, study.id, study.samplingPercent ?? 100) ? 0 : 5;
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
