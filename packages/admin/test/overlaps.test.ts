import type { Study } from '@beckon/shared/api';
import { describe, expect, it } from 'vitest';
import { describeExample, liveOverlaps } from '../src/lib/overlaps.js';

const study = (id: string, over: Partial<Study>): Study => ({ id, name: id, status: 'live', priority: 0, targeting: null, ...over }) as Study;
const NOW = Date.parse('2026-03-29T08:00:00Z');

describe('liveOverlaps', () => {
  it('warns about live studies that share visitors and says which one priority picks', () => {
    const studies = [
      study('pro-users', { priority: 5, targeting: { trait: 'plan', op: 'equals', value: 'pro' } }),
      study('everyone', { priority: 1 }),
      study('free-users', { priority: 9, targeting: { trait: 'plan', op: 'equals', value: 'free' } }),
      study('draft', { status: 'draft' }),
    ];
    const found = liveOverlaps(studies, NOW);
    expect(found.get('pro-users')!.map((o) => [o.other.id, o.wins])).toEqual([['everyone', true]]);
    expect(found.get('everyone')!.map((o) => [o.other.id, o.wins])).toEqual([['pro-users', false], ['free-users', false]]);
    expect(found.get('free-users')!.map((o) => o.other.id)).toEqual(['everyone']); // pro and free never meet
    expect(found.has('draft')).toBe(false);
    expect(describeExample(found.get('pro-users')![0]!.example)).toBe('plan = pro');
    expect(describeExample({})).toBe('anyone');
  });
});

import { ago, originSightings } from '../src/lib/workspace-form.js';

describe('originSightings', () => {
  it('shows each allowed origin with when it was seen, and the refused ones that asked', () => {
    const now = Date.parse('2026-03-29T08:00:00Z');
    const seen = { 'https://app.acme.test': '2026-03-29T07:55:00Z', 'https://staging.acme.test': '2026-03-29T07:59:30Z' };
    const result = originSightings(['https://app.acme.test', 'https://www.acme.test', ' '], seen);
    expect(result.allowed).toEqual([{ origin: 'https://app.acme.test', at: '2026-03-29T07:55:00Z' }, { origin: 'https://www.acme.test', at: undefined }]);
    expect(result.refused).toEqual([{ origin: 'https://staging.acme.test', at: '2026-03-29T07:59:30Z' }]);
    expect(ago('2026-03-29T07:55:00Z', now)).toBe('5 minutes ago');
    expect(ago('2026-03-29T07:59:30Z', now)).toBe('just now');
    expect(ago('2026-03-26T08:00:00Z', now)).toBe('3 days ago');
  });
});
