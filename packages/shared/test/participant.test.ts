// What participants read: incentive words that follow the amount, zone names people know, waking hours (named zones, a DST change).
import { describe, expect, it } from 'vitest';
import { incentiveText, isWakingSlot, participantTitle, zoneLabel } from '../src/participant.js';

describe('incentiveText', () => {
  it('follows the amount, whatever figure the copy was written with', () => {
    expect(incentiveText({ amountCents: 4000, currency: 'USD', description: 'a $25 Amazon gift card' }, 'en-US')).toBe('a $40 Amazon gift card');
    expect(incentiveText({ amountCents: 4000, currency: 'USD', description: 'a {amount} gift card' }, 'en-US')).toBe('a $40 gift card');
    expect(incentiveText({ amountCents: 1250, currency: 'EUR', description: 'a 10 EUR voucher' }, 'en-GB')).toBe('a €12.50 voucher');
    expect(incentiveText({ amountCents: 5000, currency: 'GBP', description: 'an Amazon voucher' }, 'en-GB')).toBe('an Amazon voucher (£50)');
    expect(incentiveText({ description: 'early access to the beta' })).toBe('early access to the beta');
  });
});

describe('participantTitle', () => {
  it('is the public title, or a neutral one: never the internal name', () => {
    expect(participantTitle({ publicTitle: 'Your first week', durationMinutes: 20 }, 'Acme')).toBe('Your first week');
    expect(participantTitle({ publicTitle: null, durationMinutes: 30 }, 'Acme')).toBe('A 30-minute conversation with Acme');
  });
});

describe('zoneLabel', () => {
  it('names zones as people do', () => {
    expect(zoneLabel('America/Los_Angeles')).toBe('Los Angeles (PT)');
    expect(zoneLabel('America/New_York')).toBe('New York (ET)');
    expect(zoneLabel('Europe/Berlin')).toBe('Berlin (Central European Time)');
    expect(zoneLabel('UTC')).toBe('UTC');
  });
});

describe('isWakingSlot', () => {
  it('keeps 07:00–21:00 local, across the spring DST change in Los Angeles', () => {
    const zone = 'America/Los_Angeles';
    // 2026-03-08: clocks go from 02:00 PST to 03:00 PDT.
    expect(isWakingSlot({ start: '2026-03-08T14:00:00Z', end: '2026-03-08T14:30:00Z' }, zone)).toBe(true); // 07:00 PDT
    expect(isWakingSlot({ start: '2026-03-08T13:30:00Z', end: '2026-03-08T14:00:00Z' }, zone)).toBe(false); // 06:30 PDT
    expect(isWakingSlot({ start: '2026-03-07T15:00:00Z', end: '2026-03-07T15:30:00Z' }, zone)).toBe(true); // 07:00 PST
    expect(isWakingSlot({ start: '2026-03-09T03:30:00Z', end: '2026-03-09T04:00:00Z' }, zone)).toBe(true); // 20:30–21:00 PDT
    expect(isWakingSlot({ start: '2026-03-09T03:45:00Z', end: '2026-03-09T04:15:00Z' }, zone)).toBe(false); // ends 21:15
    expect(isWakingSlot({ start: '2026-03-09T08:00:00Z', end: '2026-03-09T08:30:00Z' }, zone)).toBe(false); // 01:00
  });
});
