/**
 * The targeting-rule language: who is eligible (rules), when they are asked (triggers), sampling,
 * and which single study a page view shows. Pure, no I/O: the widget loader and the server run the
 * same code.
 *
 * Bundle size: every module here except `schemas.ts` is free of dependencies. `schemas.ts` (TypeBox,
 * for the server and the admin app) is re-exported below, but its calls are all marked pure, so a
 * bundle that uses only the evaluator functions drops it and TypeBox entirely
 * (checked by `test/rules/bundle.test.ts`).
 */
export type * from './types.js';
export { DAY_MS, toTime } from './time.js';
export { evaluate } from './evaluate.js';
export { recordEvent, EVENT_TIMESTAMP_CAP, EVENT_NAME_CAP } from './events.js';
export { mayMatch } from './verify.js';
export { presets, recentSignups, recentlyChurned, superstars, inactiveUsers } from './presets.js';
export { matchesUrl, glob } from './url.js';
export { triggerSatisfied, triggersSatisfied } from './triggers.js';
export { hash32, sampleBucket, inSample } from './sample.js';
export type { PrecheckContext } from './suppression.js';
export { precheck, markShown, snoozeStudy, optOut, DEFAULT_RECONTACT_DAYS } from './suppression.js';
export { pickStudy, whyNot } from './pick.js';
export { overlapExample } from './overlap.js';
export * from './schemas.js';
