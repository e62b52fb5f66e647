/**
 * TypeBox schemas of the targeting-rule language, for the server (validating study configs) and
 * the admin app. The evaluator does not import this file, so the widget loader never bundles
 * TypeBox. Each schema's Static type is checked at compile time to equal the plain type in
 * `types.ts` that the evaluator uses.
 *
 * Every `Type.*` call is marked `/* @__PURE__ *\/` so that a bundler drops this whole file, and
 * TypeBox with it, from a bundle that imports only the evaluator through `rules/index.ts`.
 * Keep marking new calls: `test/rules/bundle.test.ts` fails when TypeBox leaks into that bundle.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type {
  ContainsCondition,
  CompareCondition,
  EqualsCondition,
  EventCondition,
  ExistsCondition,
  InCondition,
  RelativeDateCondition,
  Rule,
  SessionState,
  StudyCandidate,
  SuppressionState,
  Trigger,
  TraitCondition,
  UrlTrigger,
} from './types.js';

const closed = { additionalProperties: false } as const;

/** The ISO 8601 forms `toTime` reads: a date, optionally a time and a 'Z' or an offset. */
export const ISO_INSTANT_PATTERN =
  '^\\d{4}-\\d\\d-\\d\\d(?:[Tt ]\\d\\d:\\d\\d(?::\\d\\d(?:[.,]\\d+)?)?)?(?:[Zz]|[+-]\\d\\d(?::?\\d\\d)?)?$';

export const IsoInstantSchema = /* @__PURE__ */ Type.String({ pattern: ISO_INSTANT_PATTERN, description: 'ISO 8601, e.g. 2026-03-29T08:00:00Z' });

const TraitName = /* @__PURE__ */ Type.String({ minLength: 1, maxLength: 100, description: 'A trait set with identify()' });
const Scalar = /* @__PURE__ */ Type.Union([/* @__PURE__ */ Type.String({ maxLength: 500 }), /* @__PURE__ */ Type.Number(), /* @__PURE__ */ Type.Boolean()]);
const Days = /* @__PURE__ */ Type.Number({ minimum: 0, maximum: 36_500 });

export const ExistsConditionSchema = /* @__PURE__ */ Type.Object(
  { trait: TraitName, op: /* @__PURE__ */ Type.Union([/* @__PURE__ */ Type.Literal('exists'), /* @__PURE__ */ Type.Literal('not_exists')]) },
  closed,
);
export const EqualsConditionSchema = /* @__PURE__ */ Type.Object(
  { trait: TraitName, op: /* @__PURE__ */ Type.Union([/* @__PURE__ */ Type.Literal('equals'), /* @__PURE__ */ Type.Literal('not_equals')]), value: Scalar },
  closed,
);
export const ContainsConditionSchema = /* @__PURE__ */ Type.Object(
  {
    trait: TraitName,
    op: /* @__PURE__ */ Type.Union([/* @__PURE__ */ Type.Literal('contains'), /* @__PURE__ */ Type.Literal('not_contains')]),
    value: /* @__PURE__ */ Type.String({ minLength: 1, maxLength: 500 }),
  },
  closed,
);
export const InConditionSchema = /* @__PURE__ */ Type.Object(
  {
    trait: TraitName,
    op: /* @__PURE__ */ Type.Union([/* @__PURE__ */ Type.Literal('in'), /* @__PURE__ */ Type.Literal('not_in')]),
    value: /* @__PURE__ */ Type.Array(Scalar, { minItems: 1, maxItems: 200 }),
  },
  closed,
);
export const CompareConditionSchema = /* @__PURE__ */ Type.Object(
  {
    trait: TraitName,
    op: /* @__PURE__ */ Type.Union([/* @__PURE__ */ Type.Literal('gt'), /* @__PURE__ */ Type.Literal('gte'), /* @__PURE__ */ Type.Literal('lt'), /* @__PURE__ */ Type.Literal('lte')]),
    value: /* @__PURE__ */ Type.Union([/* @__PURE__ */ Type.Number(), IsoInstantSchema], { description: 'A number, or an ISO 8601 instant to compare dates' }),
  },
  closed,
);
export const RelativeDateConditionSchema = /* @__PURE__ */ Type.Object(
  {
    trait: TraitName,
    op: /* @__PURE__ */ Type.Union([/* @__PURE__ */ Type.Literal('within_last_days'), /* @__PURE__ */ Type.Literal('more_than_days_ago')]),
    value: Days,
  },
  closed,
);

export const TraitConditionSchema = /* @__PURE__ */ Type.Union([
  ExistsConditionSchema,
  EqualsConditionSchema,
  ContainsConditionSchema,
  InConditionSchema,
  CompareConditionSchema,
  RelativeDateConditionSchema,
]);

export const EventConditionSchema = /* @__PURE__ */ Type.Object(
  {
    event: /* @__PURE__ */ Type.String({ minLength: 1, maxLength: 100, description: 'A name passed to track()' }),
    atLeast: /* @__PURE__ */ Type.Optional(/* @__PURE__ */ Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 })),
    withinDays: /* @__PURE__ */ Type.Optional(/* @__PURE__ */ Type.Number({ exclusiveMinimum: 0, maximum: 36_500 })),
  },
  closed,
);

/** Groups may nest to any depth the server allows; see `MAX_RULE_DEPTH` and `ruleDepth`. */
export const RuleSchema = /* @__PURE__ */ Type.Recursive(
  (This) =>
    /* @__PURE__ */ Type.Union([
      TraitConditionSchema,
      EventConditionSchema,
      /* @__PURE__ */ Type.Object({ all: /* @__PURE__ */ Type.Array(This, { maxItems: 50 }) }, closed),
      /* @__PURE__ */ Type.Object({ any: /* @__PURE__ */ Type.Array(This, { maxItems: 50 }) }, closed),
      /* @__PURE__ */ Type.Object({ not: This }, closed),
    ]),
  { $id: 'BeckonRule', description: 'Targeting rule: a trait or event condition, or an all/any/not group' },
);

/**
 * A reference to `RuleSchema` by its $id, for route schemas that would embed the rule more than
 * once (Ajv refuses one schema holding the same $id twice): register `RuleSchema` once
 * (`app.addSchema(RuleSchema)`) and use `RuleRef` in its place.
 */
export const RuleRef = /* @__PURE__ */ Type.Unsafe<Rule>(/* @__PURE__ */ Type.Ref('BeckonRule'));

/** The deepest nesting the server should accept (a condition alone has depth 1). */
export const MAX_RULE_DEPTH = 8;

/** How deeply `rule` nests (a condition is 1, `{ all: [condition] }` is 2). */
export function ruleDepth(rule: Rule): number {
  if ('all' in rule) return 1 + Math.max(0, ...rule.all.map(ruleDepth));
  if ('any' in rule) return 1 + Math.max(0, ...rule.any.map(ruleDepth));
  if ('not' in rule) return 1 + ruleDepth(rule.not);
  return 1;
}

export const UrlTriggerSchema = /* @__PURE__ */ Type.Object(
  {
    kind: /* @__PURE__ */ Type.Literal('url'),
    match: /* @__PURE__ */ Type.Union([/* @__PURE__ */ Type.Literal('exact'), /* @__PURE__ */ Type.Literal('contains'), /* @__PURE__ */ Type.Literal('glob')]),
    pattern: /* @__PURE__ */ Type.String({ minLength: 1, maxLength: 500, description: 'A path (/pricing), a URL, or a glob where * matches anything' }),
    exclude: /* @__PURE__ */ Type.Optional(/* @__PURE__ */ Type.Boolean({ description: 'Never show on matching pages' })),
  },
  closed,
);

export const TriggerSchema = /* @__PURE__ */ Type.Union([
  UrlTriggerSchema,
  /* @__PURE__ */ Type.Object({ kind: /* @__PURE__ */ Type.Literal('event'), event: /* @__PURE__ */ Type.String({ minLength: 1, maxLength: 100 }) }, closed),
  /* @__PURE__ */ Type.Object({ kind: /* @__PURE__ */ Type.Literal('delay'), seconds: /* @__PURE__ */ Type.Number({ minimum: 0, maximum: 3600 }) }, closed),
  /* @__PURE__ */ Type.Object({ kind: /* @__PURE__ */ Type.Literal('page_views'), atLeast: /* @__PURE__ */ Type.Integer({ minimum: 1, maximum: 1000 }) }, closed),
  /* @__PURE__ */ Type.Object({ kind: /* @__PURE__ */ Type.Literal('exit_intent') }, closed),
]);

export const TriggersSchema = /* @__PURE__ */ Type.Array(TriggerSchema, { maxItems: 10 });

export const SessionStateSchema = /* @__PURE__ */ Type.Object({
  url: /* @__PURE__ */ Type.String(),
  pageViews: /* @__PURE__ */ Type.Number(),
  secondsOnPage: /* @__PURE__ */ Type.Number(),
  lastEvent: /* @__PURE__ */ Type.Optional(/* @__PURE__ */ Type.String()),
  exitIntent: /* @__PURE__ */ Type.Boolean(),
});

const StoredInstant = /* @__PURE__ */ Type.Union([/* @__PURE__ */ Type.String(), /* @__PURE__ */ Type.Number()]);

export const SuppressionStateSchema = /* @__PURE__ */ Type.Object({
  lastShownAt: /* @__PURE__ */ Type.Optional(StoredInstant),
  snoozedUntil: /* @__PURE__ */ Type.Optional(/* @__PURE__ */ Type.Record(/* @__PURE__ */ Type.String(), StoredInstant)),
  optedOut: /* @__PURE__ */ Type.Optional(/* @__PURE__ */ Type.Boolean()),
});

export const StudyCandidateSchema = /* @__PURE__ */ Type.Object({
  id: /* @__PURE__ */ Type.String(),
  priority: /* @__PURE__ */ Type.Number(),
  targeting: /* @__PURE__ */ Type.Optional(/* @__PURE__ */ Type.Union([RuleSchema, /* @__PURE__ */ Type.Null()])),
  triggers: /* @__PURE__ */ Type.Optional(/* @__PURE__ */ Type.Union([TriggersSchema, /* @__PURE__ */ Type.Null()])),
  samplingPercent: /* @__PURE__ */ Type.Optional(/* @__PURE__ */ Type.Number({ minimum: 0, maximum: 100 })),
  bookable: /* @__PURE__ */ Type.Boolean(),
  recontactDays: /* @__PURE__ */ Type.Optional(/* @__PURE__ */ Type.Union([/* @__PURE__ */ Type.Number({ minimum: 0 }), /* @__PURE__ */ Type.Null()])),
});

// ---------------------------------------------------------------------------------------------
// Compile-time proof that the schemas and the evaluator's plain types say the same thing.
// ---------------------------------------------------------------------------------------------

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Same<S extends TSchema, T> = Equals<Static<S>, T>;
type Assert<T extends true> = T;

export type SchemaTypeChecks = [
  Assert<Same<typeof ExistsConditionSchema, ExistsCondition>>,
  Assert<Same<typeof EqualsConditionSchema, EqualsCondition>>,
  Assert<Same<typeof ContainsConditionSchema, ContainsCondition>>,
  Assert<Same<typeof InConditionSchema, InCondition>>,
  Assert<Same<typeof CompareConditionSchema, CompareCondition>>,
  Assert<Same<typeof RelativeDateConditionSchema, RelativeDateCondition>>,
  Assert<Same<typeof TraitConditionSchema, TraitCondition>>,
  Assert<Same<typeof EventConditionSchema, EventCondition>>,
  Assert<Same<typeof RuleSchema, Rule>>,
  Assert<Same<typeof UrlTriggerSchema, UrlTrigger>>,
  Assert<Same<typeof TriggerSchema, Trigger>>,
  Assert<Same<typeof SessionStateSchema, SessionState>>,
  Assert<Same<typeof SuppressionStateSchema, SuppressionState>>,
  Assert<Same<typeof StudyCandidateSchema, StudyCandidate>>,
];
