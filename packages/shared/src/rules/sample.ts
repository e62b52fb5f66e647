/**
 * 32-bit FNV-1a over the string's UTF-16 code units, finished with murmur3's fmix32 avalanche so
 * that nearby keys (`user-1`, `user-2`) land far apart. Unsigned. Same result in every JS engine.
 */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The user's stable position for a study, uniform in [0, 100). It depends only on
 * `${studyId}:${userKey}`, so it never changes between pages or sessions, and the studies a user
 * is sampled into are independent of each other.
 */
export const sampleBucket = (userKey: string, studyId: string): number =>
  hash32(studyId + ':' + userKey) / 42949672.96;

/** Whether the user is in the study's sample of `percent` % (0–100, fractions allowed). */
export const inSample = (userKey: string, studyId: string, percent: number): boolean =>
  sampleBucket(userKey, studyId) < percent;
