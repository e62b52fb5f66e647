import { describe, expect, it } from 'vitest';
import { evaluate, type Rule, type TraitCondition } from '../../src/rules/index.js';
import { DAY, NOW, daysAgo, rng, user } from './fixtures.js';

type Row = [label: string, rule: TraitCondition, traits: Record<string, unknown>, expected: boolean];

const run = (rows: Row[]) =>
  it.each(rows)('%s', (_label, rule, traits, expected) => {
    expect(evaluate(rule, user(traits), NOW)).toBe(expected);
  });

describe('string traits', () => {
  const t = { plan: 'pro', email: 'Ada@Acme.com' };
  run([
    ['equals same string', { trait: 'plan', op: 'equals', value: 'pro' }, t, true],
    ['equals is case-sensitive', { trait: 'plan', op: 'equals', value: 'Pro' }, t, false],
    ['equals other string', { trait: 'plan', op: 'equals', value: 'free' }, t, false],
    ['not_equals other string', { trait: 'plan', op: 'not_equals', value: 'free' }, t, true],
    ['not_equals same string', { trait: 'plan', op: 'not_equals', value: 'pro' }, t, false],
    ['not_equals differs only in case', { trait: 'plan', op: 'not_equals', value: 'PRO' }, t, true],
    ['contains substring, other case', { trait: 'email', op: 'contains', value: '@ACME.' }, t, true],
    ['contains absent substring', { trait: 'email', op: 'contains', value: '@globex' }, t, false],
    ['not_contains absent substring', { trait: 'email', op: 'not_contains', value: '@globex' }, t, true],
    ['not_contains present substring', { trait: 'email', op: 'not_contains', value: 'acme' }, t, false],
    ['in a listed value', { trait: 'plan', op: 'in', value: ['free', 'pro'] }, t, true],
    ['in is case-sensitive', { trait: 'plan', op: 'in', value: ['PRO', 'free'] }, t, false],
    ['not_in unlisted', { trait: 'plan', op: 'not_in', value: ['free', 'team'] }, t, true],
    ['not_in listed', { trait: 'plan', op: 'not_in', value: ['free', 'pro'] }, t, false],
    ['exists', { trait: 'plan', op: 'exists' }, t, true],
    ['not_exists of a present string', { trait: 'plan', op: 'not_exists' }, t, false],
    ['an empty string does not exist', { trait: 'plan', op: 'exists' }, { plan: '' }, false],
    ['an empty string is not_exists', { trait: 'plan', op: 'not_exists' }, { plan: '' }, true],
    ['a non-numeric string is never gt', { trait: 'plan', op: 'gt', value: 0 }, t, false],
    ['a non-numeric string is never lt', { trait: 'plan', op: 'lt', value: 1e9 }, t, false],
    ['a non-date string is never within_last_days', { trait: 'plan', op: 'within_last_days', value: 1e6 }, t, false],
    ['a non-date string is never more_than_days_ago', { trait: 'plan', op: 'more_than_days_ago', value: 0 }, t, false],
  ]);
});

describe('number traits', () => {
  const t = { seats: 10 };
  run([
    ['equals same number', { trait: 'seats', op: 'equals', value: 10 }, t, true],
    ['equals other number', { trait: 'seats', op: 'equals', value: 11 }, t, false],
    ['equals a numeric-string rule value', { trait: 'seats', op: 'equals', value: '10' }, t, true],
    ['not_equals other number', { trait: 'seats', op: 'not_equals', value: 11 }, t, true],
    ['not_equals same number', { trait: 'seats', op: 'not_equals', value: 10 }, t, false],
    ['gt below', { trait: 'seats', op: 'gt', value: 9 }, t, true],
    ['gt equal is false', { trait: 'seats', op: 'gt', value: 10 }, t, false],
    ['gte equal', { trait: 'seats', op: 'gte', value: 10 }, t, true],
    ['gte above is false', { trait: 'seats', op: 'gte', value: 10.5 }, t, false],
    ['lt above', { trait: 'seats', op: 'lt', value: 11 }, t, true],
    ['lt equal is false', { trait: 'seats', op: 'lt', value: 10 }, t, false],
    ['lte equal', { trait: 'seats', op: 'lte', value: 10 }, t, true],
    ['lte below is false', { trait: 'seats', op: 'lte', value: 9.99 }, t, false],
    ['negative and fractional numbers', { trait: 'seats', op: 'gt', value: -0.5 }, { seats: 0 }, true],
    ['in listed numbers', { trait: 'seats', op: 'in', value: [5, 10] }, t, true],
    ['in unlisted numbers', { trait: 'seats', op: 'in', value: [5, 11] }, t, false],
    ['not_in unlisted numbers', { trait: 'seats', op: 'not_in', value: [5, 11] }, t, true],
    ['contains reads a number as its decimal text', { trait: 'seats', op: 'contains', value: '1' }, t, true],
    ['contains a digit it lacks', { trait: 'seats', op: 'contains', value: '2' }, t, false],
    ['zero exists', { trait: 'seats', op: 'exists' }, { seats: 0 }, true],
    ['NaN does not exist', { trait: 'seats', op: 'exists' }, { seats: NaN }, false],
    ['numeric string trait compares as a number (gt)', { trait: 'seats', op: 'gt', value: 9 }, { seats: '10' }, true],
    ['numeric string trait compares as a number, not as text', { trait: 'seats', op: 'lt', value: 9 }, { seats: '10' }, false],
    ['numeric string trait equals a number', { trait: 'seats', op: 'equals', value: 10 }, { seats: ' 10 ' }, true],
    ['a partly numeric string is not a number', { trait: 'seats', op: 'gt', value: 9 }, { seats: '10 seats' }, false],
    ['an empty string is not zero', { trait: 'seats', op: 'equals', value: 0 }, { seats: '' }, false],
    ['a blank string is not zero', { trait: 'seats', op: 'lte', value: 0 }, { seats: '  ' }, false],
    ['a boolean is not a number', { trait: 'seats', op: 'gte', value: 1 }, { seats: true }, false],
    ['a list of numbers: any item compares', { trait: 'seats', op: 'gt', value: 9 }, { seats: [10] }, true],
    ['Infinity compares as a number', { trait: 'seats', op: 'gt', value: 1e308 }, { seats: Infinity }, true],
  ]);
});

describe('boolean traits', () => {
  const t = { beta: true, admin: false };
  run([
    ['equals true', { trait: 'beta', op: 'equals', value: true }, t, true],
    ['equals false on a true trait', { trait: 'beta', op: 'equals', value: false }, t, false],
    ['equals false on a false trait', { trait: 'admin', op: 'equals', value: false }, t, true],
    ['not_equals true on a false trait', { trait: 'admin', op: 'not_equals', value: true }, t, true],
    ['not_equals true on a true trait', { trait: 'beta', op: 'not_equals', value: true }, t, false],
    ['a "true" string equals true', { trait: 'beta', op: 'equals', value: true }, { beta: 'true' }, true],
    ['a "false" string equals false', { trait: 'beta', op: 'equals', value: false }, { beta: 'false' }, true],
    ['1 is not true', { trait: 'beta', op: 'equals', value: true }, { beta: 1 }, false],
    ['"yes" is not true', { trait: 'beta', op: 'equals', value: true }, { beta: 'yes' }, false],
    ['a boolean is not the string "true"', { trait: 'beta', op: 'equals', value: 'true' }, t, false],
    ['in [true]', { trait: 'beta', op: 'in', value: [true] }, t, true],
    ['in [false]', { trait: 'beta', op: 'in', value: [false] }, t, false],
    ['false exists', { trait: 'admin', op: 'exists' }, t, true],
    ['false is not not_exists', { trait: 'admin', op: 'not_exists' }, t, false],
    ['a boolean never contains', { trait: 'beta', op: 'contains', value: 'true' }, t, false],
    ['a boolean is never gt', { trait: 'beta', op: 'gt', value: 0 }, t, false],
  ]);
});

describe('date traits', () => {
  const t = { signedUpAt: daysAgo(3), lastSeenAt: daysAgo(45), renewsAt: daysAgo(-10) };
  run([
    ['within_last_days: 3 days ago is within 14', { trait: 'signedUpAt', op: 'within_last_days', value: 14 }, t, true],
    ['within_last_days: 3 days ago is not within 2', { trait: 'signedUpAt', op: 'within_last_days', value: 2 }, t, false],
    ['within_last_days: exactly N days ago is within', { trait: 'd', op: 'within_last_days', value: 14 }, { d: daysAgo(14) }, true],
    ['within_last_days: N days and 1 ms ago is not', { trait: 'd', op: 'within_last_days', value: 14 }, { d: new Date(NOW - 14 * DAY - 1).toISOString() }, false],
    ['within_last_days: a future date is within (clock skew)', { trait: 'renewsAt', op: 'within_last_days', value: 1 }, t, true],
    ['within_last_days: fractional days', { trait: 'd', op: 'within_last_days', value: 0.5 }, { d: daysAgo(0.25) }, true],
    ['more_than_days_ago: 45 days ago is more than 30', { trait: 'lastSeenAt', op: 'more_than_days_ago', value: 30 }, t, true],
    ['more_than_days_ago: 45 days ago is not more than 60', { trait: 'lastSeenAt', op: 'more_than_days_ago', value: 60 }, t, false],
    ['more_than_days_ago: exactly N days ago is not more', { trait: 'd', op: 'more_than_days_ago', value: 30 }, { d: daysAgo(30) }, false],
    ['more_than_days_ago: N days and 1 ms ago is', { trait: 'd', op: 'more_than_days_ago', value: 30 }, { d: new Date(NOW - 30 * DAY - 1).toISOString() }, true],
    ['more_than_days_ago: a future date is not', { trait: 'renewsAt', op: 'more_than_days_ago', value: 0 }, t, false],
    ['gt an ISO date: later', { trait: 'signedUpAt', op: 'gt', value: '2026-03-01' }, t, true],
    ['gt an ISO date: earlier', { trait: 'lastSeenAt', op: 'gt', value: '2026-03-01' }, t, false],
    ['lt an ISO date', { trait: 'lastSeenAt', op: 'lt', value: '2026-03-01T00:00:00Z' }, t, true],
    ['gte the same instant written with an offset', { trait: 'd', op: 'gte', value: '2026-03-29T14:00:00+02:00' }, { d: '2026-03-29T12:00:00Z' }, true],
    ['gt the same instant is false', { trait: 'd', op: 'gt', value: '2026-03-29T14:00:00+02:00' }, { d: '2026-03-29T12:00:00Z' }, false],
    ['lte compares instants, not text', { trait: 'd', op: 'lte', value: '2026-03-29T12:30:00+01:00' }, { d: '2026-03-29T11:00:00Z' }, true],
    ['lt compares instants, not text (offset makes it later)', { trait: 'd', op: 'lt', value: '2026-03-29T12:30:00+01:00' }, { d: '2026-03-29T11:31:00Z' }, false],
    ['equals the same instant written differently', { trait: 'd', op: 'equals', value: '2026-03-29T12:00:00.000Z' }, { d: '2026-03-29T14:00:00+02:00' }, true],
    ['equals another instant', { trait: 'd', op: 'equals', value: '2026-03-29T12:00:01Z' }, { d: '2026-03-29T12:00:00Z' }, false],
    ['not_equals the same instant written differently', { trait: 'd', op: 'not_equals', value: '2026-03-29T12:00:00Z' }, { d: '2026-03-29 12:00:00+00' }, false],
    ['a date without offset is UTC', { trait: 'd', op: 'equals', value: '2026-03-29T12:00:00Z' }, { d: '2026-03-29T12:00:00' }, true],
    ['a date-only value is midnight UTC', { trait: 'd', op: 'equals', value: '2026-03-29T00:00:00Z' }, { d: '2026-03-29' }, true],
    ['epoch milliseconds are dates', { trait: 'd', op: 'within_last_days', value: 14 }, { d: NOW - 3 * DAY }, true],
    ['epoch seconds are dates', { trait: 'd', op: 'within_last_days', value: 14 }, { d: (NOW - 3 * DAY) / 1000 }, true],
    ['epoch seconds 20 days ago are not within 14', { trait: 'd', op: 'within_last_days', value: 14 }, { d: (NOW - 20 * DAY) / 1000 }, false],
    ['Date objects are dates', { trait: 'd', op: 'more_than_days_ago', value: 30 }, { d: new Date(NOW - 31 * DAY) }, true],
    ['an invalid Date object is no date', { trait: 'd', op: 'within_last_days', value: 1e6 }, { d: new Date('nope') }, false],
    ['a string Date.parse would accept is no date', { trait: 'd', op: 'within_last_days', value: 1e6 }, { d: '5' }, false],
    ['a free-form date string is no date', { trait: 'd', op: 'more_than_days_ago', value: 0 }, { d: 'March 1, 2020' }, false],
    ['a boolean is no date', { trait: 'd', op: 'more_than_days_ago', value: 0 }, { d: true }, false],
    ['an ISO date trait never gt a number', { trait: 'signedUpAt', op: 'gt', value: 0 }, t, false],
    ['Postgres text timestamps are read', { trait: 'd', op: 'within_last_days', value: 1 }, { d: '2026-03-29 01:02:03.123456+00' }, true],
    ['microsecond fractions are truncated to ms', { trait: 'd', op: 'equals', value: '2026-03-29T01:02:03.123Z' }, { d: '2026-03-29T01:02:03.123999Z' }, true],
  ]);
});

describe('list traits', () => {
  const t = { roles: ['admin', 'Billing'], scores: ['3', '12'], visits: [daysAgo(40), daysAgo(2)] };
  run([
    ['contains is membership, case-insensitive', { trait: 'roles', op: 'contains', value: 'billing' }, t, true],
    ['contains is not substring of an item', { trait: 'roles', op: 'contains', value: 'bill' }, t, false],
    ['contains an absent item', { trait: 'roles', op: 'contains', value: 'owner' }, t, false],
    ['not_contains an absent item', { trait: 'roles', op: 'not_contains', value: 'owner' }, t, true],
    ['not_contains a present item', { trait: 'roles', op: 'not_contains', value: 'ADMIN' }, t, false],
    ['equals: any item equals', { trait: 'roles', op: 'equals', value: 'admin' }, t, true],
    ['equals is case-sensitive per item', { trait: 'roles', op: 'equals', value: 'billing' }, t, false],
    ['not_equals: no item equals', { trait: 'roles', op: 'not_equals', value: 'owner' }, t, true],
    ['not_equals: an item equals', { trait: 'roles', op: 'not_equals', value: 'admin' }, t, false],
    ['in: lists overlap', { trait: 'roles', op: 'in', value: ['owner', 'admin'] }, t, true],
    ['in: lists do not overlap', { trait: 'roles', op: 'in', value: ['owner', 'viewer'] }, t, false],
    ['not_in: lists do not overlap', { trait: 'roles', op: 'not_in', value: ['owner'] }, t, true],
    ['not_in: lists overlap', { trait: 'roles', op: 'not_in', value: ['Billing'] }, t, false],
    ['gt: any item above', { trait: 'scores', op: 'gt', value: 10 }, t, true],
    ['gt: no item above', { trait: 'scores', op: 'gt', value: 12 }, t, false],
    ['within_last_days: any date within', { trait: 'visits', op: 'within_last_days', value: 7 }, t, true],
    ['more_than_days_ago: any date before', { trait: 'visits', op: 'more_than_days_ago', value: 30 }, t, true],
    ['more_than_days_ago: no date before', { trait: 'visits', op: 'more_than_days_ago', value: 60 }, t, false],
    ['exists: a non-empty list', { trait: 'roles', op: 'exists' }, t, true],
    ['exists: an empty list does not', { trait: 'roles', op: 'exists' }, { roles: [] }, false],
    ['not_exists: an empty list', { trait: 'roles', op: 'not_exists' }, { roles: [] }, true],
    ['an empty list contains nothing', { trait: 'roles', op: 'contains', value: 'admin' }, { roles: [] }, false],
    ['an empty list is not_in anything', { trait: 'roles', op: 'not_in', value: ['admin'] }, { roles: [] }, true],
  ]);
});

describe('missing and wrong-typed traits', () => {
  const conditions: TraitCondition[] = [
    { trait: 'x', op: 'equals', value: 'a' },
    { trait: 'x', op: 'equals', value: 1 },
    { trait: 'x', op: 'equals', value: true },
    { trait: 'x', op: 'contains', value: 'a' },
    { trait: 'x', op: 'in', value: ['a', 1, true] },
    { trait: 'x', op: 'gt', value: -1e9 },
    { trait: 'x', op: 'gte', value: -1e9 },
    { trait: 'x', op: 'lt', value: 1e9 },
    { trait: 'x', op: 'lte', value: 1e9 },
    { trait: 'x', op: 'gt', value: '1970-01-01' },
    { trait: 'x', op: 'lt', value: '2999-01-01' },
    { trait: 'x', op: 'within_last_days', value: 1e6 },
    { trait: 'x', op: 'more_than_days_ago', value: 0 },
    { trait: 'x', op: 'exists' },
  ];
  const negate = (c: TraitCondition): TraitCondition => ({ ...c, op: c.op === 'exists' ? 'not_exists' : `not_${c.op}` }) as TraitCondition;
  const positives = conditions;
  const negatives = conditions.filter((c) => ['equals', 'contains', 'in', 'exists'].includes(c.op)).map(negate);
  const absent: [string, Record<string, unknown>][] = [
    ['absent', {}],
    ['undefined', { x: undefined }],
    ['null', { x: null }],
  ];
  const wrong: [string, Record<string, unknown>][] = [
    ['an object', { x: { a: 1 } }],
    ['a function', { x: () => 'a' }],
    ['a symbol', { x: Symbol('a') }],
    ['a list of objects', { x: [{ a: 1 }, null] }],
  ];

  for (const [label, traits] of absent) {
    it(`a ${label} trait makes every positive operator false`, () => {
      for (const c of positives) expect(evaluate(c, user(traits), NOW), `${c.op} ${JSON.stringify(c)}`).toBe(false);
    });
    it(`a ${label} trait makes not_equals, not_contains, not_in and not_exists true`, () => {
      for (const c of negatives) expect(evaluate(c, user(traits), NOW), c.op).toBe(true);
    });
  }
  for (const [label, traits] of wrong) {
    it(`${label} makes every value operator false and its negation true`, () => {
      for (const c of positives.filter((p) => p.op !== 'exists')) expect(evaluate(c, user(traits), NOW), c.op).toBe(false);
      for (const c of negatives.filter((n) => n.op !== 'not_exists')) expect(evaluate(c, user(traits), NOW), c.op).toBe(true);
    });
  }

  it('reads only own properties: Object.prototype members are not traits', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(evaluate({ trait: name, op: 'exists' }, user({}), NOW), name).toBe(false);
      expect(evaluate({ trait: name, op: 'not_exists' }, user({}), NOW), name).toBe(true);
    }
    const traits = JSON.parse('{"__proto__": "pro"}') as Record<string, unknown>;
    expect(evaluate({ trait: '__proto__', op: 'equals', value: 'pro' }, user(traits), NOW)).toBe(true);
  });

  it('works on traits objects without a prototype', () => {
    const traits = Object.assign(Object.create(null) as Record<string, unknown>, { plan: 'pro' });
    expect(evaluate({ trait: 'plan', op: 'equals', value: 'pro' }, user(traits), NOW)).toBe(true);
  });
});

describe('rules this code does not understand', () => {
  const u = user({ plan: 'pro', seats: 3 });
  it('an unknown operator makes the whole rule false, even under not', () => {
    const bad = { trait: 'plan', op: 'matches_regex', value: '.*' } as unknown as Rule;
    expect(evaluate(bad, u, NOW)).toBe(false);
    expect(evaluate({ not: bad }, u, NOW)).toBe(false);
    expect(evaluate({ any: [{ trait: 'plan', op: 'exists' }, bad] }, u, NOW)).toBe(true); // short-circuits before it
    expect(evaluate({ any: [bad, { trait: 'plan', op: 'exists' }] }, u, NOW)).toBe(false);
    const numeric = { trait: 'seats', op: 'between', value: 3 } as unknown as Rule;
    expect(evaluate({ not: numeric }, u, NOW)).toBe(false);
    const dated = { trait: 'seats', op: 'before', value: '2026-01-01' } as unknown as Rule;
    expect(evaluate({ not: dated }, u, NOW)).toBe(false);
  });
  it('an unknown rule shape is false', () => {
    expect(evaluate({ where: 'plan = pro' } as unknown as Rule, u, NOW)).toBe(false);
    expect(evaluate({ not: { xor: [] } } as unknown as Rule, u, NOW)).toBe(false);
    expect(evaluate('plan' as unknown as Rule, u, NOW)).toBe(false);
    expect(evaluate({ all: 'x' } as unknown as Rule, u, NOW)).toBe(false);
  });
  it('malformed values are false, even under not', () => {
    const bad: unknown[] = [
      { trait: 'plan', op: 'in', value: 'pro' },
      { trait: 'plan', op: 'contains', value: 5 },
      { trait: 'seats', op: 'gt', value: 'three' },
      { trait: 'plan', op: 'equals', value: { a: 1 } },
    ];
    for (const b of bad) {
      expect(evaluate({ not: b as Rule }, u, NOW), JSON.stringify(b)).toBe(false);
      expect(evaluate(b as Rule, u, NOW), JSON.stringify(b)).toBe(false);
    }
  });
  it('a rule nested past the stack limit is false, not an exception', () => {
    let deep: Rule = { trait: 'plan', op: 'exists' };
    for (let i = 0; i < 1_000_001; i++) deep = { not: deep }; // odd: false whether or not it overflows
    expect(() => evaluate(deep, u, NOW)).not.toThrow();
    expect(evaluate(deep, u, NOW)).toBe(false);
  });
  it('no rule (null or undefined) matches everyone', () => {
    expect(evaluate(null, u, NOW)).toBe(true);
    expect(evaluate(undefined, user({}), NOW)).toBe(true);
  });
  it('accepts now as a Date or a number', () => {
    const rule: Rule = { trait: 'd', op: 'within_last_days', value: 1 };
    const u2 = user({ d: '2026-03-29T00:00:00Z' });
    expect(evaluate(rule, u2, new Date(NOW))).toBe(true);
    expect(evaluate(rule, u2, NOW + 2 * DAY)).toBe(false);
  });
});

describe('groups', () => {
  const T: Rule = { trait: 'plan', op: 'equals', value: 'pro' };
  const F: Rule = { trait: 'plan', op: 'equals', value: 'free' };
  const u = user({ plan: 'pro' });
  const ev = (r: Rule) => evaluate(r, u, NOW);

  it('all, any and not', () => {
    expect(ev({ all: [T, T] })).toBe(true);
    expect(ev({ all: [T, F] })).toBe(false);
    expect(ev({ any: [F, T] })).toBe(true);
    expect(ev({ any: [F, F] })).toBe(false);
    expect(ev({ not: T })).toBe(false);
    expect(ev({ not: F })).toBe(true);
  });
  it('empty groups: all is true, any is false', () => {
    expect(ev({ all: [] })).toBe(true);
    expect(ev({ any: [] })).toBe(false);
  });
  it('nested groups', () => {
    // pro AND (free OR NOT free) AND NOT (any of [free])
    expect(ev({ all: [T, { any: [F, { not: F }] }, { not: { any: [F] } }] })).toBe(true);
    expect(ev({ any: [{ all: [T, F] }, { all: [F, T] }, { not: { all: [T] } }] })).toBe(false);
    expect(ev({ not: { not: { not: T } } })).toBe(false);
  });

  // Property-style: random trees over leaves of known truth agree with a reference evaluator.
  type Tree = boolean | { all: Tree[] } | { any: Tree[] } | { not: Tree };
  const reference = (t: Tree): boolean =>
    typeof t === 'boolean' ? t : 'all' in t ? t.all.every(reference) : 'any' in t ? t.any.some(reference) : !reference(t.not);
  const leaves = {
    true: [
      T,
      { trait: 'seats', op: 'gt', value: 2 },
      { trait: 'roles', op: 'contains', value: 'ADMIN' },
      { trait: 'signedUpAt', op: 'within_last_days', value: 14 },
      { trait: 'missing', op: 'not_exists' },
      { event: 'export', atLeast: 2 },
    ] as Rule[],
    false: [
      F,
      { trait: 'seats', op: 'lt', value: 2 },
      { trait: 'roles', op: 'in', value: ['owner'] },
      { trait: 'signedUpAt', op: 'more_than_days_ago', value: 14 },
      { trait: 'missing', op: 'exists' },
      { event: 'export', atLeast: 3 },
    ] as Rule[],
  };
  const profile = user({ plan: 'pro', seats: 3, roles: ['admin'], signedUpAt: daysAgo(1) }, [{ name: 'export', count: 2 }]);

  it('random nestings agree with a reference evaluator (2000 trees)', () => {
    const rand = rng(42);
    const pick = <X>(xs: X[]): X => xs[Math.floor(rand() * xs.length)]!;
    const gen = (depth: number): [Tree, Rule] => {
      const r = rand();
      if (depth === 0 || r < 0.3) {
        const b = rand() < 0.5;
        return [b, pick(leaves[b ? 'true' : 'false'])];
      }
      if (r < 0.45) {
        const [t, rule] = gen(depth - 1);
        return [{ not: t }, { not: rule }];
      }
      const kids = Array.from({ length: Math.floor(rand() * 4) }, () => gen(depth - 1));
      const key = r < 0.72 ? 'all' : 'any';
      return key === 'all'
        ? [{ all: kids.map((k) => k[0]) }, { all: kids.map((k) => k[1]) }]
        : [{ any: kids.map((k) => k[0]) }, { any: kids.map((k) => k[1]) }];
    };
    let trues = 0;
    for (let i = 0; i < 2000; i++) {
      const [tree, rule] = gen(5);
      const want = reference(tree);
      trues += want ? 1 : 0;
      expect(evaluate(rule, profile, NOW), JSON.stringify(rule)).toBe(want);
    }
    // The generator exercises both outcomes.
    expect(trues).toBeGreaterThan(300);
    expect(trues).toBeLessThan(1700);
  });

  it("De Morgan: not(all(xs)) equals any(not x), not(any(xs)) equals all(not x)", () => {
    const rand = rng(7);
    const all = [...leaves.true, ...leaves.false];
    for (let i = 0; i < 500; i++) {
      const xs = all.filter(() => rand() < 0.3);
      const nots = xs.map((x) => ({ not: x }));
      expect(evaluate({ not: { all: xs } }, profile, NOW)).toBe(evaluate({ any: nots }, profile, NOW));
      expect(evaluate({ not: { any: xs } }, profile, NOW)).toBe(evaluate({ all: nots }, profile, NOW));
    }
  });

  it('each not_* operator is the negation of its positive twin, on any value', () => {
    const values: unknown[] = [undefined, null, '', 'pro', 'PRO', 0, 3, '3', true, false, [], ['pro'], ['a', 'pro'], { a: 1 }, daysAgo(2)];
    const pairs: [TraitCondition, TraitCondition][] = [
      [{ trait: 'x', op: 'equals', value: 'pro' }, { trait: 'x', op: 'not_equals', value: 'pro' }],
      [{ trait: 'x', op: 'equals', value: 3 }, { trait: 'x', op: 'not_equals', value: 3 }],
      [{ trait: 'x', op: 'contains', value: 'pr' }, { trait: 'x', op: 'not_contains', value: 'pr' }],
      [{ trait: 'x', op: 'in', value: ['pro', 3, true] }, { trait: 'x', op: 'not_in', value: ['pro', 3, true] }],
      [{ trait: 'x', op: 'exists' }, { trait: 'x', op: 'not_exists' }],
    ];
    for (const v of values)
      for (const [pos, neg] of pairs) {
        const u2 = user({ x: v });
        expect(evaluate(neg, u2, NOW), `${neg.op} on ${JSON.stringify(v)}`).toBe(!evaluate(pos, u2, NOW));
      }
  });

  it('within_last_days and more_than_days_ago split every valid date', () => {
    const rand = rng(3);
    for (let i = 0; i < 500; i++) {
      const d = new Date(NOW + (rand() - 0.8) * 400 * DAY).toISOString();
      const n = Math.floor(rand() * 200);
      const within = evaluate({ trait: 'd', op: 'within_last_days', value: n }, user({ d }), NOW);
      const older = evaluate({ trait: 'd', op: 'more_than_days_ago', value: n }, user({ d }), NOW);
      expect(within, `${d} / ${n}`).toBe(!older);
    }
  });
});

describe('event conditions', () => {
  const events = [
    { name: 'report_exported', count: 7, lastAt: NOW - 1 * DAY, timestamps: [daysAgo(60), daysAgo(40), NOW - 20 * DAY, NOW - 5 * DAY, NOW - 1 * DAY] },
    { name: 'invited_teammate', count: 1, lastAt: daysAgo(3) },
    { name: 'old_habit', count: 40, lastAt: daysAgo(90) },
  ];
  const u = user({}, events);
  const ev = (r: Rule) => evaluate(r, u, NOW);

  it('done at least once by default', () => {
    expect(ev({ event: 'report_exported' })).toBe(true);
    expect(ev({ event: 'never_done' })).toBe(false);
  });
  it('atLeast counts the lifetime count', () => {
    expect(ev({ event: 'report_exported', atLeast: 7 })).toBe(true);
    expect(ev({ event: 'report_exported', atLeast: 8 })).toBe(false);
    expect(ev({ event: 'old_habit', atLeast: 40 })).toBe(true);
  });
  it('withinDays counts only timestamps in the window', () => {
    expect(ev({ event: 'report_exported', atLeast: 3, withinDays: 30 })).toBe(true); // 20, 5, 1 days ago
    expect(ev({ event: 'report_exported', atLeast: 4, withinDays: 30 })).toBe(false);
    expect(ev({ event: 'report_exported', atLeast: 2, withinDays: 7 })).toBe(true);
    expect(ev({ event: 'report_exported', atLeast: 3, withinDays: 7 })).toBe(false);
    expect(ev({ event: 'report_exported', withinDays: 0.5 })).toBe(false);
    expect(ev({ event: 'report_exported', atLeast: 5, withinDays: 365 })).toBe(true);
  });
  it('withinDays falls back to lastAt when no timestamps are kept', () => {
    expect(ev({ event: 'invited_teammate', withinDays: 7 })).toBe(true);
    expect(ev({ event: 'invited_teammate', withinDays: 2 })).toBe(false);
    expect(ev({ event: 'invited_teammate', atLeast: 2, withinDays: 7 })).toBe(false);
    expect(ev({ event: 'old_habit', withinDays: 30 })).toBe(false);
  });
  it('not done (in a window) via not', () => {
    expect(ev({ not: { event: 'never_done' } })).toBe(true);
    expect(ev({ not: { event: 'old_habit', withinDays: 30 } })).toBe(true);
    expect(ev({ not: { event: 'report_exported', withinDays: 30 } })).toBe(false);
  });
  it('a user without an event history has done nothing', () => {
    expect(evaluate({ event: 'report_exported' }, user({}), NOW)).toBe(false);
  });
  it('event names are exact', () => {
    expect(ev({ event: 'Report_Exported' })).toBe(false);
    expect(ev({ event: 'report' })).toBe(false);
  });
  it('combines with trait conditions', () => {
    const both = user({ plan: 'pro' }, events);
    const rule: Rule = { all: [{ trait: 'plan', op: 'equals', value: 'pro' }, { event: 'report_exported', atLeast: 3, withinDays: 30 }] };
    expect(evaluate(rule, both, NOW)).toBe(true);
    expect(evaluate(rule, user({ plan: 'free' }, events), NOW)).toBe(false);
  });
});
