import { describe, expect, it } from 'vitest';
import { hash32, inSample, sampleBucket } from '../../src/rules/index.js';

const ids = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

describe('hash32', () => {
  it('is FNV-1a 32 with an fmix32 finish, pinned so buckets never move between releases', () => {
    // Changing these would move every user to another bucket: do not, or do it knowingly.
    expect(hash32('')).toBe(0xab3e7c0b);
    expect(hash32('a')).toBe(0x1a80b1b3);
    expect(hash32('study-1:user-1')).toBe(0x98dc4b85);
    expect(hash32('é')).toBe(0xbaf79669);
    expect(sampleBucket('user-1', 'study-1')).toBeCloseTo((0x98dc4b85 / 2 ** 32) * 100, 10);
  });
  it('spreads nearby keys', () => {
    expect(hash32('user-1')).not.toBe(hash32('user-2'));
    expect(Math.abs(hash32('user-1') - hash32('user-2'))).toBeGreaterThan(1000);
  });
});

describe('inSample', () => {
  it('is stable: same user, same study, same answer, every time', () => {
    for (const id of ids.slice(0, 200)) {
      const first = inSample(id, 'study-1', 37);
      for (let i = 0; i < 3; i++) expect(inSample(id, 'study-1', 37)).toBe(first);
    }
  });
  it('0 % takes nobody, 100 % takes everybody', () => {
    expect(ids.some((id) => inSample(id, 's', 0))).toBe(false);
    expect(ids.every((id) => inSample(id, 's', 100))).toBe(true);
    expect(ids.some((id) => inSample(id, 's', NaN))).toBe(false);
  });
  it('grows monotonically: whoever is in at p % stays in at any higher %', () => {
    for (const id of ids.slice(0, 2000)) {
      const b = sampleBucket(id, 'study-9');
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(100);
      expect(inSample(id, 'study-9', 10)).toBe(b < 10);
      if (inSample(id, 'study-9', 10)) expect(inSample(id, 'study-9', 25)).toBe(true);
    }
  });
  it('takes about p % of 10k synthetic ids', () => {
    for (const [p, lo, hi] of [
      [1, 60, 140],
      [10, 880, 1120],
      [50, 4850, 5150],
      [0.5, 25, 80],
    ] as const) {
      const n = ids.filter((id) => inSample(id, 'study-abc', p)).length;
      expect(n, `${p} %`).toBeGreaterThanOrEqual(lo);
      expect(n, `${p} %`).toBeLessThanOrEqual(hi);
    }
  });
  it('buckets are uniform: each decile holds about a tenth (chi-square)', () => {
    const counts = Array<number>(10).fill(0);
    for (const id of ids) counts[Math.floor(sampleBucket(id, 'f7c1b3e2-5d0e-4c1f-9a2b-3c4d5e6f7a8b') / 10)]!++;
    const expected = ids.length / 10;
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: p = 0.001 at 27.9. A broken hash (e.g. using only the last char) scores in the thousands.
    expect(chi2).toBeLessThan(27.9);
    for (const c of counts) expect(Math.abs(c - expected)).toBeLessThan(150);
  });
  it('studies sample independently: two 10 % studies share about 1 % of users', () => {
    const a = new Set(ids.filter((id) => inSample(id, 'study-a', 10)));
    const both = ids.filter((id) => a.has(id) && inSample(id, 'study-b', 10)).length;
    expect(both).toBeGreaterThan(50);
    expect(both).toBeLessThan(160);
  });
});
