// The decision chunk: triggers, targeting rules and the pick between studies. The loader fetches
// it only once a study passes `precheck` for this visitor (bookable, not snoozed or opted out,
// outside the recontact window, in the sample), so most page views never download it.
export { pickStudy, triggersSatisfied } from '@beckon/shared/rules';
