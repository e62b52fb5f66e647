// The participant pages name zones from a generated table (naming all of them through Intl costs
// the server about 25 MB for good): it must say what zoneLabel says today, for every zone.
import { describe, expect, it } from 'vitest';
import { ZONE_LABELS } from '../../src/routes/pages/zone-labels.js';
import { currentZoneLabels } from '../../src/routes/pages/zone-labels-generate.js';

describe('the zone label table', () => {
  it('names every zone Node knows as zoneLabel does (else run src/routes/pages/zone-labels-generate.ts)', () => {
    const current = currentZoneLabels();
    expect(Object.keys(current).length).toBeGreaterThan(400);
    expect(ZONE_LABELS).toEqual(current);
    expect(ZONE_LABELS['America/Los_Angeles']).toBe('Los Angeles (PT)');
  });
});
