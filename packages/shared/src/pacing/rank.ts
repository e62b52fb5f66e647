// When several studies want the same visitor: which one gets the intercept.

export interface RankCandidate {
  studyId: string;
  /** Higher first, as in pickStudy. */
  priority: number;
  /** `Decision.urgency`: bookings still needed over what the rest of the week could bring. */
  urgency: number;
}

/**
 * The candidates in the order to offer them: priority first; within a priority the study furthest
 * from its target relative to its remaining traffic (a study past 1 cannot make it anyway, so it
 * ranks after the ones that still can); then the smaller id, so the order is stable. Pass only
 * the studies whose decision said show.
 */
export function rankStudies<C extends RankCandidate>(candidates: readonly C[]): C[] {
  const score = (c: C) => (c.urgency > 1 ? -c.urgency : c.urgency);
  return [...candidates].sort((a, b) => b.priority - a.priority || score(b) - score(a) || (a.studyId < b.studyId ? -1 : a.studyId > b.studyId ? 1 : 0));
}
