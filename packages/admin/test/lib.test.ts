import { describe, expect, it } from 'vitest';
import type { Availability, Study } from '@beckon/shared/api';
import { availabilityFromDraft, copyDay, draftFromAvailability, flatIndex } from '../src/lib/availability.js';
import { fieldOfError, humanMessage, resolveField } from '../src/lib/fields.js';
import { formatPercent, funnelRows } from '../src/lib/funnel.js';
import { draftFromStudy, emptyStudyDraft, newQuestion, studyFromDraft } from '../src/lib/study-form.js';
import { addDays, dateRange, describeMinutes, formatSlot, localDate, startOfDay } from '../src/lib/time.js';

describe('time in a zone', () => {
  it('finds local midnight across DST changes', () => {
    expect(startOfDay('2026-03-29', 'Europe/Berlin')).toBe('2026-03-28T23:00:00Z'); // the spring-forward day starts in CET
    expect(startOfDay('2026-03-30', 'Europe/Berlin')).toBe('2026-03-29T22:00:00Z');
    expect(startOfDay('2026-11-01', 'America/New_York')).toBe('2026-11-01T04:00:00Z'); // fall back later that night
    expect(startOfDay('2026-11-02', 'America/New_York')).toBe('2026-11-02T05:00:00Z');
    expect(startOfDay('2026-06-01', 'Asia/Kathmandu')).toBe('2026-05-31T18:15:00Z');
    // Chile skips midnight: 2026-09-06 starts at 01:00 local (-03), the instant of the jump
    expect(startOfDay('2026-09-06', 'America/Santiago')).toBe('2026-09-06T04:00:00Z');
  });

  it('makes an inclusive date range half-open', () => {
    expect(dateRange('2026-03-01', '2026-03-31', 'Europe/Berlin')).toEqual({ from: '2026-02-28T23:00:00Z', to: '2026-03-31T22:00:00Z' });
  });

  it('reads the local date and adds days over month ends', () => {
    expect(localDate('2026-03-28T23:30:00Z', 'Europe/Berlin')).toBe('2026-03-29');
    expect(localDate('2026-03-28T23:30:00Z', 'America/Los_Angeles')).toBe('2026-03-28');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('formats a slot in the zone asked for', () => {
    expect(formatSlot('2026-03-30T08:00:00Z', '2026-03-30T08:20:00Z', 'Europe/Berlin', 'en-GB')).toBe('Mon, 30 Mar 2026, 10:00–10:20');
    expect(formatSlot('2026-03-30T08:00:00Z', '2026-03-30T08:20:00Z', 'America/New_York', 'en-GB')).toBe('Mon, 30 Mar 2026, 04:00–04:20');
    expect(describeMinutes(240)).toBe('4 h');
    expect(describeMinutes(90)).toBe('1 h 30 min');
    expect(describeMinutes(2880)).toBe('2 days');
  });
});

describe('funnel', () => {
  it('orders the six steps, fills gaps with 0 and computes conversions', () => {
    const rows = funnelRows([
      { step: 'booked', count: 6 },
      { step: 'eligible', count: 1200 },
      { step: 'shown', count: 400 },
      { step: 'opted_in', count: 40 },
      { step: 'qualified', count: 30 },
    ]);
    expect(rows.map((r) => r.step)).toEqual(['eligible', 'shown', 'opted_in', 'qualified', 'booked', 'attended']);
    expect(rows.map((r) => formatPercent(r.fromPrevious))).toEqual(['—', '33%', '10%', '75%', '20%', '0%']);
    expect(rows.map((r) => formatPercent(r.ofFirst))).toEqual(['100%', '33%', '3.3%', '2.5%', '0.5%', '0%']);
    expect(funnelRows([]).every((r) => r.count === 0 && r.ofFirst === null)).toBe(true);
  });
});

describe('field errors', () => {
  const paths = ['name', 'hostIds', 'intercept.title', 'screener', 'screener.questions.0', 'screener.questions.0.prompt'];
  it('puts an error on the deepest control it names', () => {
    expect(resolveField('intercept.title', paths)).toBe('intercept.title');
    expect(resolveField('hostIds.0', paths)).toBe('hostIds');
    expect(resolveField('screener.questions.0.options.1.label', paths)).toBe('screener.questions.0');
    expect(resolveField('screener.questions.0.prompt', paths)).toBe('screener.questions.0.prompt');
    expect(resolveField('intercept', paths)).toBeUndefined();
    expect(resolveField('names', paths)).toBeUndefined();
  });
  it('maps field-less conflict codes to their field and softens schema wording', () => {
    expect(fieldOfError({ code: 'email_taken' })).toBe('email');
    expect(fieldOfError({ code: 'invalid_request', field: 'slug' })).toBe('slug');
    expect(humanMessage({ field: 'name', message: 'name must NOT have fewer than 1 characters' }, 'Name')).toBe('Name is required');
  });
});

describe('availability draft', () => {
  const availability: Availability = {
    timeZone: 'Asia/Kathmandu',
    weekly: [
      { weekday: 5, start: '20:00', end: '24:00' },
      { weekday: 1, start: '13:00', end: '17:30' },
      { weekday: 1, start: '09:00', end: '12:00' },
    ],
    overrides: [{ date: '2026-03-02', intervals: [] }],
    bufferBeforeMinutes: 5,
    bufferAfterMinutes: 10,
    minimumNoticeMinutes: 240,
    bookingWindowDays: 14,
    maxPerDay: 2,
    maxPerWeek: null,
  };

  it('round-trips, with 24:00 shown as 00:00 and weekly hours sent weekday by weekday', () => {
    const draft = draftFromAvailability(availability);
    expect(draft.weekly[0]).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:30' },
    ]);
    expect(draft.weekly[4]).toEqual([{ start: '20:00', end: '00:00' }]);
    expect(flatIndex(draft.weekly, 4, 0)).toBe(2);
    const result = availabilityFromDraft(draft);
    expect(result).toEqual({
      body: {
        ...availability,
        weekly: [
          { weekday: 1, start: '09:00', end: '12:00' },
          { weekday: 1, start: '13:00', end: '17:30' },
          { weekday: 5, start: '20:00', end: '24:00' },
        ],
      },
    });
  });

  it('names the flat weekly index the server would name', () => {
    const draft = draftFromAvailability(availability);
    draft.weekly[4] = [{ start: '18:00', end: '17:00' }];
    draft.maxPerWeek = 'lots';
    expect(availabilityFromDraft(draft)).toEqual({
      problems: [
        { field: 'weekly.2.end', message: 'Friday: the end must be after the start' },
        { field: 'maxPerWeek', message: 'Weekly cap must be a whole number' },
      ],
    });
  });

  it('copies a day', () => {
    const weekly = copyDay([[{ start: '09:00', end: '12:00' }], [], [], [], [], [], []], 0, [1, 2]);
    expect(weekly[2]).toEqual([{ start: '09:00', end: '12:00' }]);
    expect(weekly[3]).toEqual([]);
  });
});

describe('study draft', () => {
  it('requires a host and names the fields it misses', () => {
    const result = studyFromDraft({ ...emptyStudyDraft(), name: ' ' });
    expect(result).toEqual({
      problems: [
        { field: 'name', message: 'Name is required' },
        { field: 'hostIds', message: 'Choose at least one host who leads the interviews' },
      ],
    });
  });

  it('builds a full body and reads a study back into the same draft', () => {
    const q = newQuestion('single');
    q.prompt = 'How often do you export reports?';
    q.options = [
      { id: 'o1', label: 'Weekly', effect: 'qualify' },
      { id: 'o2', label: 'Never', effect: 'disqualify' },
    ];
    const draft = { ...emptyStudyDraft(), name: 'Why people export', hostIds: ['h1'], observerIds: ['h1', 'o1'], questions: [q], incentiveAmount: '25.50' };
    const result = studyFromDraft(draft);
    if (!('body' in result)) throw new Error(JSON.stringify(result));
    expect(result.body).toMatchObject({
      name: 'Why people export',
      hostIds: ['h1'],
      observerIds: ['o1'],
      incentive: { kind: 'gift_card', amountCents: 2550, currency: 'USD', description: 'a {amount} gift card' },
      weeklyQuota: 3,
      totalQuota: 25,
      targeting: null,
      screener: { questions: [{ id: q.id, kind: 'single', prompt: 'How often do you export reports?', required: true, options: q.options }] },
    });
    const study = { ...result.body, id: 's1', slug: 'why', bookingUrl: 'http://x/b/why', createdAt: '', updatedAt: '' } as unknown as Study;
    const back = draftFromStudy(study);
    expect(studyFromDraft(back)).toEqual({ body: { ...result.body, slug: 'why' } });
  });

  it('flags an unsafe slug before the server does', () => {
    const result = studyFromDraft({ ...emptyStudyDraft(), name: 'x', hostIds: ['h'], slug: 'Not A Slug!' });
    expect(result).toMatchObject({ problems: [{ field: 'slug' }] });
  });
});
