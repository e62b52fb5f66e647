import { describe, expect, it } from 'vitest';
import {
  decide,
  forecastWeek,
  newPacingState,
  observe,
  rankStudies,
  ratesOf,
  stickyDraw,
  weekFrame,
  weekGoal,
  DEFAULT_PRIORS,
  type PacingConfig,
  type PacingState,
} from '../../src/pacing/index.js';

const NY = 'America/New_York';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (iso: string) => Date.parse(iso);

// Weeks in New York (Monday 00:00 EST = 05:00Z): an ordinary one, the spring-forward one
// (Sunday 2026-03-08 02:00 → 03:00) and the fall-back one (Sunday 2026-11-01 02:00 → 01:00).
const ORDINARY = at('2026-02-02T05:00:00Z');
const SPRING = at('2026-03-02T05:00:00Z');
const FALL = at('2026-10-26T04:00:00Z');

const config = (over: Partial<PacingConfig> = {}): PacingConfig => ({ studyId: 'study-1', timeZone: NY, weeklyTarget: 3, seed: 7, ...over });

interface Script {
  /** A visit every `every` minutes from `from` to `to`. */
  from: number;
  to: number;
  every?: number;
  /** Every n-th intercept shown is accepted, screened in and booked at once. */
  bookEvery?: number;
  freeSlots?: number;
}

/** Plays scripted traffic through observe → decide; returns what happened. */
function play(state: PacingState, cfg: PacingConfig, script: Script) {
  const shown: number[] = [];
  const bookedAt: number[] = [];
  let free = script.freeSlots ?? 100;
  let i = 0;
  for (let t = script.from; t < script.to; t += (script.every ?? 10) * MINUTE, i++) {
    observe(state, cfg, { kind: 'eligible', at: t });
    const decision = decide(state, cfg, { visitorId: `v${i}`, now: t, capacity: { freeSlots: free, pending: 0 } });
    if (!decision.show) continue;
    shown.push(t);
    observe(state, cfg, { kind: 'shown', at: t });
    if (shown.length % (script.bookEvery ?? 10) === 0) {
      for (const kind of ['optedIn', 'screenedIn', 'booked'] as const) observe(state, cfg, { kind, at: t });
      bookedAt.push(t);
      free--;
    }
  }
  return { shown, bookedAt };
}

/** A study that has run `weeks` steady weeks (a visit every 10 minutes, one booking per 10 shown). */
function seasoned(cfg: PacingConfig, weeks: number, start = ORDINARY - weeks * 7 * 24 * HOUR): PacingState {
  const state = newPacingState(cfg, start);
  play(state, cfg, { from: start, to: start + weeks * 7 * 24 * HOUR });
  return state;
}

describe('pacing: weeks in the workspace zone', () => {
  it('cuts an ordinary week into 168 hours from Monday 00:00 local', () => {
    const frame = weekFrame(at('2026-02-04T15:00:00Z'), NY);
    expect(frame.key).toBe('2026-02-02');
    expect(frame.start).toBe(ORDINARY);
    expect(frame.hourStarts).toHaveLength(168);
    expect(frame.end - frame.start).toBe(168 * HOUR);
  });

  it('has 167 real hours in the spring-forward week and 169 in the fall-back week', () => {
    const spring = weekFrame(at('2026-03-08T12:00:00Z'), NY);
    expect(spring.key).toBe('2026-03-02');
    expect(spring.hourStarts).toHaveLength(167);
    expect(spring.occurrences[6 * 24 + 2]).toBe(0); // Sunday 02:00 never happens
    expect(spring.end).toBe(at('2026-03-09T04:00:00Z')); // next Monday 00:00 EDT
    const fall = weekFrame(at('2026-11-01T12:00:00Z'), NY);
    expect(fall.hourStarts).toHaveLength(169);
    expect(fall.occurrences[6 * 24 + 1]).toBe(2); // Sunday 01:00 happens twice
    expect(fall.end - fall.start).toBe(169 * HOUR);
    // Europe/Berlin springs forward on the last Sunday of March.
    expect(weekFrame(at('2026-03-25T12:00:00Z'), 'Europe/Berlin').hourStarts).toHaveLength(167);
  });

  it('counts a Sunday-night visit in its own week, however the offset changed', () => {
    const cfg = config();
    const state = newPacingState(cfg, SPRING);
    observe(state, cfg, { kind: 'eligible', at: at('2026-03-09T03:30:00Z') }); // Sunday 23:30 EDT
    expect(state.week.key).toBe('2026-03-02');
    expect(state.week.hourly[6 * 24 + 23]).toBe(1);
    observe(state, cfg, { kind: 'eligible', at: at('2026-03-09T04:30:00Z') }); // Monday 00:30 EDT
    expect(state.week.key).toBe('2026-03-09');
    // The closed week observed 167 real hours: none in the skipped hour.
    expect(state.history.hours.reduce((a, b) => a + b, 0)).toBeCloseTo(167, 6);
    expect(state.history.hours[6 * 24 + 2]).toBe(0);
  });

  it('paces a DST week to its target like any other', () => {
    for (const start of [SPRING, FALL]) {
      const cfg = config();
      const state = seasoned(cfg, 3, start - 3 * 7 * 24 * HOUR);
      const frame = weekFrame(start, NY);
      const { bookedAt } = play(state, cfg, { from: start, to: frame.end });
      expect(bookedAt).toHaveLength(3);
      expect(bookedAt[2]).toBeGreaterThan(start + 48 * HOUR); // not done by Tuesday night
    }
  });
});

describe('pacing: decisions', () => {
  it('reaches the target on steady traffic, spread over the week, then stops', () => {
    const cfg = config();
    const state = seasoned(cfg, 4);
    const { shown, bookedAt } = play(state, cfg, { from: ORDINARY, to: ORDINARY + 7 * 24 * HOUR });
    expect(bookedAt).toHaveLength(3);
    expect(shown.filter((t) => t > bookedAt[2]!)).toHaveLength(0);
    const monday = shown.filter((t) => t < ORDINARY + 24 * HOUR).length;
    expect(monday).toBeLessThan(144 / 2); // not every Monday visitor
    expect(bookedAt[2]).toBeGreaterThan(ORDINARY + 2 * 24 * HOUR);
    expect(decide(state, cfg, { visitorId: 'late', now: ORDINARY + 6 * 24 * HOUR, capacity: { freeSlots: 5, pending: 0 } }).reason).toBe('target_met');
  });

  it('never invites when no slot could be booked', () => {
    const cfg = config();
    const state = seasoned(cfg, 2);
    const { shown } = play(state, cfg, { from: ORDINARY, to: ORDINARY + 7 * 24 * HOUR, freeSlots: 0 });
    expect(shown).toHaveLength(0);
    const now = ORDINARY + 5 * 24 * HOUR;
    expect(decide(state, cfg, { visitorId: 'x', now, capacity: { freeSlots: 0, pending: 0 } })).toMatchObject({ show: false, reason: 'no_capacity' });
    // The last free slot is promised to an invitation in flight.
    expect(decide(state, cfg, { visitorId: 'x', now, capacity: { freeSlots: 1, pending: 1 } })).toMatchObject({ show: false, reason: 'no_capacity' });
  });

  it('stops at two of two slots even when the target is three', () => {
    const cfg = config();
    const state = seasoned(cfg, 2);
    const { bookedAt } = play(state, cfg, { from: ORDINARY, to: ORDINARY + 7 * 24 * HOUR, freeSlots: 2 });
    expect(bookedAt).toHaveLength(2);
  });

  it('raises the show probability as a deficit grows late in the week', () => {
    const cfg = config();
    const state = seasoned(cfg, 4);
    const probabilities = [1, 3, 4].map((day) => {
      const copy = structuredClone(state);
      const now = ORDINARY + day * 24 * HOUR + 10 * HOUR;
      for (let t = ORDINARY; t < now; t += 10 * MINUTE) observe(copy, cfg, { kind: 'eligible', at: t });
      return decide(copy, cfg, { visitorId: 'v', now, capacity: { freeSlots: 5, pending: 0 } }).probability;
    });
    expect(probabilities[1]!).toBeGreaterThan(probabilities[0]!);
    expect(probabilities[2]!).toBeGreaterThan(probabilities[1]!);
    // Saturday, past the finish line and still short: everyone.
    const copy = structuredClone(state);
    const saturday = ORDINARY + 5 * 24 * HOUR + 12 * HOUR;
    for (let t = ORDINARY; t < saturday; t += 10 * MINUTE) observe(copy, cfg, { kind: 'eligible', at: t });
    expect(decide(copy, cfg, { visitorId: 'v', now: saturday, capacity: { freeSlots: 5, pending: 0 } }).probability).toBe(1);
  });

  it('does not pace a week too thin to afford it', () => {
    const cfg = config({ weeklyTarget: 3 });
    // A visit every 4 hours, one booking per 10 shown: about 4 bookings a week if everyone is asked.
    const start = ORDINARY - 4 * 7 * 24 * HOUR;
    const state = newPacingState(cfg, start);
    play(state, cfg, { from: start, to: ORDINARY, every: 240 });
    const monday = ORDINARY + 10 * HOUR;
    for (let t = ORDINARY; t < monday; t += 240 * MINUTE) observe(state, cfg, { kind: 'eligible', at: t });
    expect(decide(state, cfg, { visitorId: 'v', now: monday, capacity: { freeSlots: 5, pending: 0 } }).probability).toBe(1);
    // The same study with twenty times the traffic is paced.
    const busy = seasoned(cfg, 4);
    for (let t = ORDINARY; t < monday; t += 10 * MINUTE) observe(busy, cfg, { kind: 'eligible', at: t });
    expect(decide(busy, cfg, { visitorId: 'v', now: monday, capacity: { freeSlots: 5, pending: 0 } }).probability).toBeLessThan(0.5);
  });

  it('starts a new study mid-week from its priors and this week’s own traffic', () => {
    const cfg = config({ priors: { weeklyVisits: 100 } });
    const wednesday = ORDINARY + 2 * 24 * HOUR;
    const state = newPacingState(cfg, wednesday);
    const { bookedAt } = play(state, cfg, { from: wednesday, to: ORDINARY + 7 * 24 * HOUR });
    expect(bookedAt).toHaveLength(3);
    // Only the hours it saw count as observed.
    observe(state, cfg, { kind: 'eligible', at: ORDINARY + 7 * 24 * HOUR });
    expect(state.history.hours.reduce((a, b) => a + b, 0)).toBeCloseTo(5 * 24, 6);
  });

  it('counts invitations in flight towards the target', () => {
    const cfg = config({ weeklyTarget: 1 });
    const state = seasoned(cfg, 2);
    const now = ORDINARY + 3 * 24 * HOUR;
    expect(decide(state, cfg, { visitorId: 'v', now, capacity: { freeSlots: 5, pending: 0 } }).reason).toBe('paced');
    expect(decide(state, cfg, { visitorId: 'v', now, capacity: { freeSlots: 5, pending: 3 } }).reason).toBe('target_met');
  });

  it('gives a visitor the same decision within the sticky bucket', () => {
    const cfg = config();
    const state = seasoned(cfg, 2);
    const bucketStart = ORDINARY + 3 * 24 * HOUR; // the hour-long buckets align with UTC hours
    const draws = [0, 10, 30, 59].map((m) => stickyDraw(cfg, 'visitor-42', bucketStart + m * MINUTE));
    expect(new Set(draws).size).toBe(1);
    const decisions = [0, 10, 30, 59].map((m) => decide(state, cfg, { visitorId: 'visitor-42', now: bucketStart + m * MINUTE, capacity: { freeSlots: 5, pending: 0 } }).show);
    expect(new Set(decisions).size).toBe(1);
    // A new bucket, another study or another seed is a new draw.
    expect(stickyDraw(cfg, 'visitor-42', bucketStart + HOUR)).not.toBe(draws[0]);
    expect(stickyDraw({ ...cfg, studyId: 'study-2' }, 'visitor-42', bucketStart)).not.toBe(draws[0]);
    expect(stickyDraw({ ...cfg, seed: 8 }, 'visitor-42', bucketStart)).not.toBe(draws[0]);
    expect(stickyDraw({ ...cfg, stickyMinutes: 24 * 60 }, 'visitor-42', bucketStart + 5 * HOUR)).toBe(stickyDraw({ ...cfg, stickyMinutes: 24 * 60 }, 'visitor-42', bucketStart));
  });

  it('reproduces every decision from the same seed, and not from another', () => {
    const run = (seed: number) => {
      const cfg = config({ seed });
      return play(newPacingState(cfg, ORDINARY), cfg, { from: ORDINARY, to: ORDINARY + 7 * 24 * HOUR }).shown;
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('decides the same from its state after a JSON round trip', () => {
    const cfg = config();
    const state = seasoned(cfg, 3);
    const copy = JSON.parse(JSON.stringify(state)) as PacingState;
    for (let i = 0; i < 50; i++) {
      const input = { visitorId: `v${i}`, now: ORDINARY + i * 2 * HOUR, capacity: { freeSlots: 4, pending: 0 } };
      expect(decide(copy, cfg, input)).toEqual(decide(state, cfg, input));
    }
  });

  it('learns the study’s rates, starting from the priors', () => {
    const cfg = config();
    const fresh = ratesOf(newPacingState(cfg, ORDINARY), DEFAULT_PRIORS);
    expect(fresh.optIn.mean).toBeCloseTo(DEFAULT_PRIORS.optIn.mean, 6);
    const state = seasoned(cfg, 6); // one in ten shown books
    const learned = ratesOf(state, DEFAULT_PRIORS);
    expect(learned.optIn.mean).toBeGreaterThan(0.08);
    expect(learned.screenIn.mean).toBeGreaterThan(0.85);
    // An attendance marked after its week closed still teaches the no-show rate.
    const before = state.funnel.noShow;
    observe(state, cfg, { kind: 'noShow', at: ORDINARY - 8 * 24 * HOUR, count: 2 }); // the state is in the week before ORDINARY
    expect(state.funnel.noShow).toBe(before + 2);
  });

  it('books for the expected no-shows on top of the target when asked', () => {
    const state = newPacingState(config(), ORDINARY);
    expect(weekGoal(state, config(), ORDINARY)).toBe(3);
    expect(weekGoal(state, config({ noShowMargin: 1 }), ORDINARY)).toBe(4); // 3 / (1 − 0.2) = 3.75
    const cfg = config({ noShowMargin: 1 });
    observe(state, cfg, { kind: 'noShow', at: ORDINARY, count: 40 });
    observe(state, cfg, { kind: 'attended', at: ORDINARY, count: 60 });
    // The goal holds for the week; from the next one it counts this week's 37 % no-shows: 3 / 0.63 = 4.8.
    expect(weekGoal(state, cfg, ORDINARY + 3 * 24 * HOUR)).toBe(4);
    expect(weekGoal(state, cfg, ORDINARY + 7 * 24 * HOUR)).toBe(5);
  });
});

describe('pacing: forecast', () => {
  it('is on track on a steady Monday and once the target is met', () => {
    const cfg = config();
    const state = seasoned(cfg, 4);
    const monday = ORDINARY + 9 * HOUR;
    for (let t = ORDINARY; t < monday; t += 10 * MINUTE) observe(state, cfg, { kind: 'eligible', at: t });
    const forecast = forecastWeek(state, cfg, monday, { freeSlots: 6, pending: 0 });
    expect(forecast).toMatchObject({ weekKey: '2026-02-02', goal: 3, booked: 0, status: 'on_track' });
    expect(forecast.reason).toBeUndefined();
    expect(forecast.chance).toBeGreaterThan(0.8);
    expect(forecast.low).toBeLessThanOrEqual(forecast.expected + 1e-6);
    expect(forecast.high).toBeGreaterThanOrEqual(forecast.expected - 1e-6);
    observe(state, cfg, { kind: 'booked', at: monday, count: 3 });
    expect(forecastWeek(state, cfg, monday, { freeSlots: 3, pending: 0 })).toMatchObject({ status: 'on_track', expected: 3, chance: 1 });
  });

  it('says will_miss, no_capacity when the free slots cannot hold the bookings still needed', () => {
    const cfg = config();
    const state = seasoned(cfg, 4);
    const forecast = forecastWeek(state, cfg, ORDINARY + 2 * 24 * HOUR, { freeSlots: 1, pending: 0 });
    expect(forecast).toMatchObject({ status: 'will_miss', reason: 'no_capacity', chance: 0 });
    expect(forecast.high).toBeLessThanOrEqual(1);
  });

  it('blames the opt-in rate when visitors keep saying no', () => {
    const cfg = config();
    const start = ORDINARY - 4 * 7 * 24 * HOUR;
    const state = newPacingState(cfg, start);
    // Four weeks at 1 booking per 150 shown: the study now shows to everyone and still falls short.
    play(state, cfg, { from: start, to: ORDINARY, bookEvery: 150 });
    const thursday = ORDINARY + 3 * 24 * HOUR + 12 * HOUR;
    play(state, cfg, { from: ORDINARY, to: thursday, bookEvery: 1000 });
    const forecast = forecastWeek(state, cfg, thursday, { freeSlots: 6, pending: 0 });
    expect(['at_risk', 'will_miss']).toContain(forecast.status);
    expect(forecast.reason).toBe('low_opt_in');
    expect(forecast.rates.optIn).toBeLessThan(0.02);
  });

  it('blames the traffic when this week’s visitors dry up', () => {
    const cfg = config();
    const state = seasoned(cfg, 4);
    const thursday = ORDINARY + 3 * 24 * HOUR + 12 * HOUR;
    // A visit every 4 hours instead of every 10 minutes, and nothing booked.
    for (let t = ORDINARY; t < thursday; t += 4 * HOUR) observe(state, cfg, { kind: 'eligible', at: t });
    const forecast = forecastWeek(state, cfg, thursday, { freeSlots: 6, pending: 0 });
    expect(forecast.status).toBe('will_miss');
    expect(forecast.reason).toBe('low_traffic');
    expect(forecast.rates.visitsLeft).toBeLessThan(50); // steady traffic would bring about 500
  });

  it('blames the screener when it turns most people away', () => {
    const cfg = config();
    const state = seasoned(cfg, 4);
    observe(state, cfg, { kind: 'screenedOut', at: ORDINARY, count: 400 });
    const friday = ORDINARY + 4 * 24 * HOUR + 12 * HOUR;
    for (let t = ORDINARY; t < friday; t += 10 * MINUTE) observe(state, cfg, { kind: 'eligible', at: t });
    const forecast = forecastWeek(state, cfg, friday, { freeSlots: 6, pending: 0 });
    expect(forecast.status).not.toBe('on_track');
    expect(forecast.reason).toBe('high_screen_out');
  });
});

describe('pacing: several studies want the same visitor', () => {
  it('ranks by priority, then by distance from target, studies that can no longer make it last', () => {
    const ranked = rankStudies([
      { studyId: 'a', priority: 0, urgency: 0.2 },
      { studyId: 'b', priority: 0, urgency: 0.9 },
      { studyId: 'c', priority: 1, urgency: 0.1 },
      { studyId: 'd', priority: 0, urgency: 3 },
      { studyId: 'e', priority: 0, urgency: 0.2 },
    ]);
    expect(ranked.map((c) => c.studyId)).toEqual(['c', 'b', 'a', 'e', 'd']);
  });

  it('makes a study further behind more urgent', () => {
    const cfg = config();
    const state = seasoned(cfg, 3);
    const now = ORDINARY + 3 * 24 * HOUR;
    for (let t = ORDINARY; t < now; t += 10 * MINUTE) observe(state, cfg, { kind: 'eligible', at: t });
    const behind = decide(state, cfg, { visitorId: 'v', now, capacity: { freeSlots: 9, pending: 0 } });
    observe(state, cfg, { kind: 'booked', at: now, count: 2 });
    const ahead = decide(state, cfg, { visitorId: 'v', now, capacity: { freeSlots: 9, pending: 0 } });
    expect(behind.urgency).toBeGreaterThan(ahead.urgency);
  });
});
