// JSON schema (as the OpenAPI document serves it) → fast-check arbitrary, for the route fuzzer.
//
// Three flavours per schema: `plain` values satisfy the schema with ordinary text, so requests
// reach the services and the database; `clean` values satisfy it too but carry hostile content (NUL and
// lone surrogates inside strings and object keys, numbers at their bounds, dates at the edge of
// what RFC 3339 allows, nested rules, deep JSON where the schema allows anything); `dirty` values
// additionally swap any node, now and then, for something the schema refuses (a wrong type, a
// number past int4/int8/JS-safe range, 1e309, -0, a 10,000-deep array, a huge array or string,
// an unknown or hostile key, a missing required property).
import fc from 'fast-check';

/** The subset of JSON schema the OpenAPI document uses. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  minProperties?: number;
  maxProperties?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  $ref?: string;
}

/**
 * Literal JSON text (or, in a URL, literal URL text) that JSON.stringify cannot produce: 1e309,
 * -0, 9223372036854775808, a 10,000-deep array. `label` is what failure messages show.
 */
export class Raw {
  constructor(
    readonly text: string,
    readonly label: string,
  ) {}
  [fc.toStringMethod](): string {
    return `⟨${this.label}⟩`;
  }
}

/** A query parameter sent several times (?from=a&from=b). */
export class Repeated {
  constructor(readonly values: unknown[]) {}
  [fc.toStringMethod](): string {
    return `⟨repeated ${this.values.map((v) => fc.stringify(v)).join(' & ')}⟩`;
  }
}

/** A property left out, a body not sent. */
export const ABSENT: unique symbol = Symbol('absent');

/** What the generator knows about the live workspace: real ids and slot starts. */
export interface Hints {
  uuids: string[];
  instants: string[];
  /** Values for a property by name, e.g. serverUrl always on the local stub. */
  byKey: Record<string, fc.Arbitrary<unknown>>;
  /** Resolves a $ref. */
  resolve: (ref: string) => JsonSchema;
}

type Mode = 'plain' | 'clean' | 'dirty';

interface Ctx {
  mode: Mode;
  dirty: boolean;
  refDepth: number;
  key: string | undefined;
  hints: Hints;
}

const MAX_REF_DEPTH = 2;

// ---------------------------------------------------------------------------------------------
// Hostile building blocks.

/** Single UTF-16 code units that break storage, parsing or rendering. */
const HOSTILE_UNITS = ['\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFFFE', '\uFEFF', '\u202E', '\u2028', '\u0085', '\r', '\n', '"', "'", '\\', '<', '>', '&', '%', '$', '{', '`', '\u0301', 'İ', 'ß'];

const unit = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...'abcdefXYZ0189 -_.@/:'.split('')) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_UNITS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

/** Strings whose code units include NUL and lone surrogates. */
export const hostileText = (minLength = 0, maxLength = 40) => fc.string({ unit, minLength, maxLength: Math.max(minLength, Math.min(maxLength, 40)) });

/** Ordinary text: letters, digits, punctuation, some non-ASCII, nothing PostgreSQL refuses. */
const plainUnit = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...'abcdefXYZ0189 -_.@/:'.split('')) }, { weight: 1, arbitrary: fc.constantFrom('é', 'ß', '日', '😀', '\t', '<', '&', '"') });
const plainText = (minLength = 0, maxLength = 40) => fc.string({ unit: plainUnit, minLength, maxLength: Math.max(minLength, Math.min(maxLength, 40)) });
const textFor = (ctx: Ctx, minLength: number, maxLength: number) => (ctx.mode === 'plain' ? plainText(minLength, maxLength) : hostileText(minLength, maxLength));

const deepArray = fc.integer({ min: 1_000, max: 10_000 }).map((n) => new Raw('['.repeat(n) + ']'.repeat(n), `array nested ${n} deep`));
const deepObject = fc.integer({ min: 1_000, max: 10_000 }).map((n) => new Raw('{"a":'.repeat(n) + '1' + '}'.repeat(n), `object nested ${n} deep`));
export const deepJson = fc.oneof(deepArray, deepObject);

const hugeArray = fc.integer({ min: 1_000, max: 20_000 }).map((n) => new Raw(`[${Array.from({ length: n }, () => '0').join(',')}]`, `array of ${n} zeros`));
const longString = fc
  .tuple(fc.integer({ min: 1_000, max: 60_000 }), fc.constantFrom('x', '\u0000', '\uD800', 'é', '𝔘'))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)).slice(0, n));

/** Numbers at and past the edges of int4, int8, JS-safe integers and doubles, as JSON text. */
const EXTREME_NUMBERS: (number | Raw)[] = [
  0,
  -1,
  0.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 53 - 1,
  2 ** 53,
  -(2 ** 53) - 1,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_VALUE,
  new Raw('-0', '-0'),
  new Raw('9223372036854775807', 'int8 max'),
  new Raw('9223372036854775808', 'int8 max + 1'),
  new Raw('-9223372036854775809', 'int8 min - 1'),
  new Raw('9007199254740993', '2^53 + 1'),
  new Raw('1e309', '1e309'),
  new Raw('-1e309', '-1e309'),
  new Raw('1e-400', '1e-400'),
  new Raw('123456789012345678901234567890', '30-digit integer'),
];
export const extremeNumber = fc.constantFrom(...EXTREME_NUMBERS);

/** Strings a careless Number(), Date or UUID parser mishandles. */
const NUMBERISH = ['NaN', '-NaN', 'Infinity', '-Infinity', '1e309', '-0', '0x10', '1_000', '', ' ', 'null', 'undefined', 'true', '[]', '{}', '[object Object]', '9223372036854775808', '-9223372036854775809', '٣'];

/** Instants outside what PostgreSQL or JavaScript dates can hold, and malformed ones. */
const HOSTILE_INSTANTS = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '1970-01-01T00:00:00Z',
  '1970-01-01T00:16:40Z', // 1e6 ms
  '9999-12-31T23:59:59.999Z',
  '10000-01-01T00:00:00Z',
  '99999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00.000Z', // 8.64e15 ms, the last JS date
  '+275760-09-13T00:00:00.001Z', // one past it
  '-271821-04-20T00:00:00.000Z', // the first JS date
  '-004714-11-23T00:00:00Z', // before PostgreSQL's first timestamp
  '+294277-01-01T00:00:00Z', // after its last
  '2026-02-30T10:00:00Z',
  '2026-13-01T10:00:00Z',
  '2026-03-29T24:00:00Z',
  '2026-03-29T10:00:60Z',
  '2026-03-29T02:30:00+14:00',
  '2026-03-29T02:30:00-12:59',
  '2026-03-29T10:00:00.123456789Z',
  '2026-03-29t10:00:00z',
  '2026-03-29 10:00:00Z',
  '2026-03-29',
  '1000000',
  '-1000000',
  '8640000000000001',
];
const RFC3339_EDGE_INSTANTS = HOSTILE_INSTANTS.filter((value) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value));

const ODD_TIME_ZONES = ['UTC', 'Etc/UTC', 'Etc/GMT+12', 'Etc/GMT-14', 'US/Pacific', 'Asia/Calcutta', 'Europe/Kiev', 'America/Argentina/ComodRivadavia', 'Antarctica/Troll', 'Pacific/Kiritimati', 'Pacific/Chatham', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'EST5EDT', 'GMT'];
const HOSTILE_TIME_ZONES = ['Mars/Olympus_Mons', '+14:00', '-00:00', 'utc', 'europe/berlin', '../../etc/passwd', 'Europe/Berlin\u0000', 'Etc/GMT+15', 'Factory', 'local', ''];

const NOT_UUIDS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '{00000000-0000-4000-8000-000000000000}',
  '00000000000040008000000000000000',
  '00000000-0000-4000-8000-00000000000g',
  '00000000-0000-4000-8000-0000000000000',
  '0',
  '-1',
  'NaN',
  '1e309',
  'null',
  '..',
  '\u0000',
  '\uD800',
  'ａ',
];

/** A value of any wrong type, or an extreme of the right one. */
function anyHostile(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, '', 'x', [], {}, [null], { '': null }, { __proto__: null, constructor: 1 }) },
    { weight: 2, arbitrary: extremeNumber },
    { weight: 2, arbitrary: fc.constantFrom(...NUMBERISH, ...NOT_UUIDS, ...HOSTILE_INSTANTS, ...HOSTILE_TIME_ZONES) },
    { weight: 2, arbitrary: hostileText(1, 40) },
    { weight: 1, arbitrary: longString },
    { weight: 2, arbitrary: deepJson },
    { weight: 1, arbitrary: hugeArray },
  );
}

/** Keys that break storage, prototype handling or property lookups. */
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', ' ', '\u0000', '\uD800', 'a\u0000b', '$where', 'a.b', '0', 'x'.repeat(2_000)),
  hostileText(1, 20),
);

// ---------------------------------------------------------------------------------------------
// The generator.

function containsRef(schema: JsonSchema): boolean {
  return JSON.stringify(schema).includes('"$ref"');
}

function alternativesOf(schema: JsonSchema): JsonSchema[] | undefined {
  if (schema.anyOf) return schema.anyOf;
  if (schema.oneOf) return schema.oneOf;
  if (Array.isArray(schema.type)) return schema.type.map((type) => ({ ...schema, type }));
  if (schema.nullable) return [{ ...schema, nullable: false }, { type: 'null' }];
  return undefined;
}

function withDirt(ctx: Ctx, clean: fc.Arbitrary<unknown>, schemaHostile: fc.Arbitrary<unknown>[] = []): fc.Arbitrary<unknown> {
  if (!ctx.dirty) return clean;
  return fc.oneof({ weight: 10, arbitrary: clean }, { weight: 1, arbitrary: fc.oneof(anyHostile(), ...schemaHostile) });
}

function stringArbitrary(schema: JsonSchema, ctx: Ctx): fc.Arbitrary<unknown> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 10_000;
  const fits = (value: string) => [...value].length >= min && [...value].length <= max;
  let clean: fc.Arbitrary<string>;
  switch (schema.format) {
    case 'uuid':
      clean = ctx.hints.uuids.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ctx.hints.uuids) }, { weight: 1, arbitrary: fc.uuid() }) : fc.uuid();
      break;
    case 'date-time':
      clean = fc.oneof(
        { weight: 3, arbitrary: ctx.hints.instants.length ? fc.constantFrom(...ctx.hints.instants) : fc.constant('2026-03-29T08:00:00Z') },
        { weight: ctx.mode === 'plain' ? 1 : 2, arbitrary: fc.date({ min: new Date(ctx.mode === 'plain' ? '2020-01-01T00:00:00Z' : '1970-01-01T00:00:00Z'), max: new Date(ctx.mode === 'plain' ? '2100-01-01T00:00:00Z' : '9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()) },
        { weight: ctx.mode === 'plain' ? 0 : 1, arbitrary: fc.constantFrom(...RFC3339_EDGE_INSTANTS) },
      );
      break;
    case 'date':
      clean = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      break;
    case 'time-zone':
      clean = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...Intl.supportedValuesOf('timeZone')) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_TIME_ZONES) });
      break;
    case 'email':
      clean = ctx.mode === 'plain' ? fc.tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.constantFrom('example.test', 'acme.test')).map(([local, domain]) => `${local}@${domain}`) : fc.oneof(
        fc.emailAddress(),
        fc.constantFrom('ADA@EXAMPLE.COM', 'a+tag@example.test', '"quoted local"@example.test', 'x@localhost', 'ünïcødé@exämple.test', `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.test`),
      );
      break;
    case 'uri':
      clean = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.constantFrom('http://127.0.0.1/', 'https://[::1]/x', 'http://example.test/%00', 'https://user:pass@example.test:65535/a?b=c#d'));
      break;
    default:
      clean = schema.pattern ? patternString(schema.pattern, min, max) : textFor(ctx, min, max);
  }
  const bounded = clean.filter(fits);
  const keyed = ctx.key && ctx.hints.byKey[ctx.key];
  const base: fc.Arbitrary<unknown> = keyed ? keyed : bounded;
  const schemaHostile: fc.Arbitrary<unknown>[] = [fc.constant('x'.repeat(max + 1))];
  if (min > 0) schemaHostile.push(fc.constant(''));
  if (schema.format === 'date-time') schemaHostile.push(fc.constantFrom(...HOSTILE_INSTANTS));
  if (schema.format === 'uuid') schemaHostile.push(fc.constantFrom(...NOT_UUIDS));
  if (schema.format === 'time-zone') schemaHostile.push(fc.constantFrom(...HOSTILE_TIME_ZONES));
  // The right shape with a hostile character in it.
  schemaHostile.push(fc.tuple(base, fc.constantFrom('\u0000', '\uD800', '\uDFFF')).map(([value, bad]) => `${String(value)}${bad}`));
  return withDirt(ctx, base, schemaHostile);
}

/**
 * Strings matching a pattern within the length bounds. `^[class]+$` with a minLength is rewritten
 * to `^[class]{min,max}$`: filtering short matches for length would almost never succeed.
 */
function patternString(pattern: string, min: number, max: number): fc.Arbitrary<string> {
  const single = /^\^(\[[^\]]+\])[+*]\$$/.exec(pattern);
  if (single) return fc.stringMatching(new RegExp(`^${single[1]}{${Math.max(min, 1)},${Math.max(Math.min(max, 64), min, 1)}}$`));
  return fc.stringMatching(new RegExp(pattern));
}

function numberArbitrary(schema: JsonSchema, ctx: Ctx, integer: boolean): fc.Arbitrary<unknown> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : Number.EPSILON) : undefined);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : Number.EPSILON) : undefined);
  let clean: fc.Arbitrary<number>;
  if (integer) {
    clean = fc.integer({ min: min ?? Number.MIN_SAFE_INTEGER, max: max ?? Number.MAX_SAFE_INTEGER });
  } else {
    clean = fc.double({ min: min ?? -Number.MAX_VALUE, max: max ?? Number.MAX_VALUE, noNaN: true, noDefaultInfinity: true });
    if (schema.exclusiveMinimum !== undefined) clean = clean.filter((value) => value > schema.exclusiveMinimum!);
  }
  const schemaHostile: fc.Arbitrary<unknown>[] = [extremeNumber];
  if (min !== undefined) schemaHostile.push(fc.constantFrom(min - 1, min - 0.5, -min - 1));
  if (max !== undefined) schemaHostile.push(fc.constantFrom(max + 1, max + 0.5, max * 1000 + 1));
  if (integer) schemaHostile.push(fc.constantFrom(0.5, 1.0000001, new Raw('1.0', '1.0'), new Raw('1e2', '1e2')));
  schemaHostile.push(fc.constantFrom(...NUMBERISH));
  return withDirt(ctx, clean, schemaHostile);
}

function arrayArbitrary(schema: JsonSchema, ctx: Ctx): fc.Arbitrary<unknown> {
  const minLength = schema.minItems ?? 0;
  const maxLength = Math.min(schema.maxItems ?? 8, Math.max(minLength, 8));
  const items = schema.items ?? {};
  if (ctx.refDepth >= MAX_REF_DEPTH && containsRef(items)) {
    return minLength === 0 ? fc.constant([]) : fc.constant([]); // below the bound: the shallowest form (empty, or refused if it may not be)
  }
  const item = arbitraryFor(items, { ...ctx, key: undefined });
  const clean = schema.uniqueItems ? fc.uniqueArray(item, { minLength, maxLength, selector: (value) => fc.stringify(value) }) : fc.array(item, { minLength, maxLength });
  const schemaHostile: fc.Arbitrary<unknown>[] = [hugeArray];
  if (schema.maxItems !== undefined) schemaHostile.push(fc.array(item, { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 1 }));
  if (minLength > 0) schemaHostile.push(fc.constant([]));
  if (schema.uniqueItems) schemaHostile.push(item.map((value) => [value, value]));
  return withDirt(ctx, clean, schemaHostile);
}

function objectArbitrary(schema: JsonSchema, ctx: Ctx): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const names = Object.keys(properties);
  const extra = schema.additionalProperties;
  if (names.length === 0 && extra !== false) {
    // A record (string → T) or an object of anything: hostile keys are valid here.
    const value = extra && typeof extra === 'object' ? arbitraryFor(extra, { ...ctx, key: undefined }) : unknownArbitrary(ctx);
    const maxKeys = Math.min(schema.maxProperties ?? 6, 6);
    const key = ctx.mode === 'plain' ? plainText(1, 12) : fc.oneof({ weight: 3, arbitrary: plainText(1, 12) }, { weight: 2, arbitrary: hostileKey });
    const clean = fc.dictionary(key, value, { minKeys: schema.minProperties ?? 0, maxKeys: Math.max(maxKeys, schema.minProperties ?? 0) });
    const schemaHostile: fc.Arbitrary<unknown>[] = [deepJson, fc.tuple(hostileKey, deepJson).map(([k, deep]) => ({ [k]: deep }))];
    if (schema.maxProperties !== undefined) schemaHostile.push(fc.constant(Object.fromEntries(Array.from({ length: schema.maxProperties + 1 }, (_, i) => [`k${i}`, 'v']))));
    return withDirt(ctx, clean, schemaHostile);
  }
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of names) model[name] = arbitraryFor(properties[name]!, { ...ctx, key: name });
  let clean: fc.Arbitrary<Record<string, unknown>> = fc.record(model, { requiredKeys: names.filter((name) => required.has(name)) });
  if (schema.minProperties) clean = clean.filter((value) => Object.keys(value).length >= schema.minProperties!);
  const schemaHostile: fc.Arbitrary<unknown>[] = [
    fc.tuple(clean, hostileKey, anyHostile()).map(([value, k, v]) => ({ ...value, [k]: v })),
    fc.tuple(clean, fc.constantFrom('__proto__', 'constructor')).map(([value, k]) => {
      const rest = toJsonText(value).slice(1);
      return new Raw(`{"${k}":{"polluted":true}${rest === '}' ? '' : ','}${rest}`, `${k} key beside ${fc.stringify(value).slice(0, 80)}`);
    }),
  ];
  if (required.size > 0) schemaHostile.push(clean.chain((value) => fc.constantFrom(...required).map((name) => Object.fromEntries(Object.entries(value).filter(([k]) => k !== name)))));
  return withDirt(ctx, clean, schemaHostile);
}

/** Anything JSON, where the schema allows anything: mostly small, sometimes 10,000 levels deep. */
function unknownArbitrary(ctx: Ctx): fc.Arbitrary<unknown> {
  if (ctx.mode === 'plain') return fc.oneof(fc.jsonValue({ maxDepth: 2 }), plainText(0, 20), fc.integer());
  return fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 2, arbitrary: hostileText(0, 20) },
    { weight: 1, arbitrary: fc.dictionary(hostileKey, hostileText(0, 10), { maxKeys: 3 }) },
    { weight: ctx.dirty ? 2 : 1, arbitrary: deepJson },
    { weight: 1, arbitrary: extremeNumber },
  );
}

/** The recursive rule schema, nested deeper than any bound: {"not":{"not":…}} and {"all":[{"all":[…]}]}. */
function deepRecursion(schema: JsonSchema, ref: string): fc.Arbitrary<unknown>[] {
  const wrappers: string[] = [];
  for (const alternative of alternativesOf(schema) ?? []) {
    for (const [name, property] of Object.entries(alternative.properties ?? {})) {
      if (property.$ref === ref) wrappers.push(name);
      if (property.items?.$ref === ref) wrappers.push(`${name}[]`);
    }
  }
  const leaf = JSON.stringify(leafOf(schema) ?? {});
  return wrappers.map((wrapper) =>
    fc.integer({ min: 1_000, max: 10_000 }).map((n) => {
      const name = wrapper.replace('[]', '');
      const [open, close] = wrapper.endsWith('[]') ? [`{"${name}":[`, ']}'] : [`{"${name}":`, '}'];
      return new Raw(open.repeat(n) + leaf + close.repeat(n), `rule ${wrapper} nested ${n} deep`);
    }),
  );
}

/** A small valid instance of a schema with no recursion, for the innermost rule. */
function leafOf(schema: JsonSchema): unknown {
  for (const alternative of alternativesOf(schema) ?? [schema]) {
    if (containsRef(alternative)) continue;
    const nested = alternativesOf(alternative);
    if (nested) return leafOf(alternative);
    if (alternative.type === 'object') {
      const value: Record<string, unknown> = {};
      for (const name of alternative.required ?? []) {
        const property = alternative.properties?.[name] ?? {};
        const options = alternativesOf(property);
        const chosen = options ? options[0]! : property;
        value[name] = chosen.enum?.[0] ?? chosen.const ?? (chosen.type === 'string' ? 'a' : chosen.type === 'number' || chosen.type === 'integer' ? 1 : true);
      }
      return value;
    }
  }
  return undefined;
}

export function arbitraryFor(schema: JsonSchema, ctx: Ctx): fc.Arbitrary<unknown> {
  const keyed = ctx.key ? ctx.hints.byKey[ctx.key] : undefined;
  if (keyed && schema.type !== 'string' && !alternativesOf(schema)) return withDirt(ctx, keyed, [arbitraryFor(schema, { ...ctx, key: undefined })]);
  if (schema.$ref) {
    const target = ctx.hints.resolve(schema.$ref);
    const nested = arbitraryFor(target, { ...ctx, refDepth: ctx.refDepth + 1 });
    if (!ctx.dirty || ctx.refDepth > 0) return nested;
    return fc.oneof({ weight: 6, arbitrary: nested }, { weight: 1, arbitrary: fc.oneof(...deepRecursion(target, schema.$ref)) });
  }
  if (schema.allOf) return arbitraryFor(Object.assign({}, ...schema.allOf) as JsonSchema, ctx);
  if (schema.const !== undefined) return withDirt(ctx, fc.constant(schema.const));
  if (schema.enum) return withDirt(ctx, fc.constantFrom(...schema.enum), [fc.constant(`${String(schema.enum[0])}\u0000`), fc.constant(String(schema.enum[0]).toUpperCase() + ' ')]);
  let alternatives = alternativesOf(schema);
  if (alternatives) {
    if (ctx.refDepth >= MAX_REF_DEPTH) {
      const shallow = alternatives.filter((alternative) => !containsRef(alternative));
      if (shallow.length) alternatives = shallow;
    }
    return fc.oneof(...alternatives.map((alternative) => arbitraryFor(alternative, ctx)));
  }
  switch (schema.type) {
    case 'string':
      return stringArbitrary(schema, ctx);
    case 'integer':
      return numberArbitrary(schema, ctx, true);
    case 'number':
      return numberArbitrary(schema, ctx, false);
    case 'boolean':
      return withDirt(ctx, fc.boolean(), [fc.constantFrom('true', 0, 1, 'false')]);
    case 'null':
      return withDirt(ctx, fc.constant(null), [fc.constantFrom('null', 0, '')]);
    case 'array':
      return arrayArbitrary(schema, ctx);
    case 'object':
      return objectArbitrary(schema, ctx);
    default:
      return unknownArbitrary(ctx);
  }
}

/** The plain, clean and dirty arbitrary of one schema. */
export function schemaArbitrary(schema: JsonSchema, hints: Hints, key?: string): Record<Mode, fc.Arbitrary<unknown>> {
  const make = (mode: Mode) => arbitraryFor(schema, { mode, dirty: mode === 'dirty', refDepth: 0, key, hints });
  return { plain: make('plain'), clean: make('clean'), dirty: make('dirty') };
}

// ---------------------------------------------------------------------------------------------
// Encoding what was generated.

/** JSON text of a generated value: Raw as written, -0 as -0, lone surrogates as \uXXXX escapes. */
export function toJsonText(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, item]) => item !== ABSENT)
      .map(([key, item]) => `${JSON.stringify(key)}:${toJsonText(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A value as URL text: every UTF-16 unit percent-encoded as UTF-8, a lone surrogate as the
 * three bytes it would take (invalid UTF-8), Raw as written (malformed escapes stay malformed).
 */
export function toUrlText(value: unknown): string {
  if (value instanceof Raw) return value.text;
  const text = typeof value === 'string' ? value : typeof value === 'number' && Object.is(value, -0) ? '-0' : (toJsonText(value) ?? String(value));
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(text[i]!);
    }
  }
  return out;
}

/** URL segments that a percent-encoder would never produce. */
export const RAW_URL_SEGMENTS = ['%', '%0', '%zz', '%E0%A4%A', '%C0%80', '%00', '%2F', '..', '.', '%2e%2e', '%FF', '%ED%A0%80', ';', '?', '#'].map((text) => new Raw(text, `raw URL text ${text}`));

/** A short preview of a generated value for failure messages. */
export function preview(value: unknown, limit = 1_500): string {
  const text = fc.stringify(value).replace(/"((?:[^"\\]|\\.){200,}?)"/g, (whole) => `${whole.slice(0, 60)}…(${whole.length} chars)"`);
  return text.length > limit ? `${text.slice(0, limit)}…(${text.length} chars)` : text;
}
