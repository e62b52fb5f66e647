// The picker groups slots by day with Intl (no Temporal polyfill in the UI chunk); the server's
// `days` come from shared/schedule's groupSlotsByDay. Both must agree, across zones and DST.
import { describe, expect, it } from 'vitest';
import { groupSlotsByDay } from '@beckon/shared/schedule';
import { dayOf, groupByDay, rangeLabel } from '../src/ui/time.js';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Kiritimati', 'America/St_Johns'];

/** Every 37 minutes around the 2026 spring and autumn DST changes of Europe and North America. */
function slots(): { start: string; end: string }[] {
  const out = [];
  for (const around of ['2026-03-08T00:00:00Z', '2026-03-29T00:00:00Z', '2026-10-25T00:00:00Z', '2026-11-01T00:00:00Z']) {
    for (let m = -36 * 60; m < 36 * 60; m += 37) {
      const start = Date.parse(around) + m * 60_000;
      out.push({ start: new Date(start).toISOString().replace('.000Z', 'Z'), end: new Date(start + 20 * 60_000).toISOString().replace('.000Z', 'Z') });
    }
  }
  return out.reverse();
}

describe('grouping slots by local day', () => {
  it.each(ZONES)('agrees with shared/schedule groupSlotsByDay in %s', (zone) => {
    const all = slots();
    expect(groupByDay(all, zone)).toEqual(groupSlotsByDay(all, zone));
  });

  it('names the local date across the date line and DST', () => {
    expect(dayOf('2026-03-29T00:30:00Z', 'Europe/Berlin')).toBe('2026-03-29');
    expect(dayOf('2026-03-28T23:30:00Z', 'Europe/Berlin')).toBe('2026-03-29');
    expect(dayOf('2026-03-28T22:30:00Z', 'Europe/Berlin')).toBe('2026-03-28');
    expect(dayOf('2026-06-01T10:00:00Z', 'Pacific/Kiritimati')).toBe('2026-06-02');
    expect(dayOf('2026-06-01T10:00:00Z', 'Pacific/Pago_Pago')).toBe('2026-05-31');
  });

  it('labels a slot in the chosen zone', () => {
    const slot = { start: '2026-03-30T07:00:00Z', end: '2026-03-30T07:20:00Z' };
    expect(rangeLabel(slot, 'Europe/Berlin', 'en-US')).toBe('Monday, March 30, 9:00 AM – 9:20 AM');
    expect(rangeLabel(slot, 'America/New_York', 'en-US')).toBe('Monday, March 30, 3:00 AM – 3:20 AM');
  });
});
