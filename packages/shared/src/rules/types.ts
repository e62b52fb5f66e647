/**
 * Plain TypeScript types of the targeting-rule language.
 *
 * These are what the evaluator works with. The matching TypeBox schemas (what the server validates
 * study configurations with) live in `schemas.ts`, which checks at compile time that each schema's
 * `Static` type equals the type declared here. The evaluator never imports `schemas.ts`, so the
 * widget loader can use the evaluator without pulling TypeBox into its bundle.
 */

// ---------------------------------------------------------------------------------------------
// Rules (who is eligible)
// ---------------------------------------------------------------------------------------------

/** `{ trait: 'company', op: 'exists' }`: the trait has a value (not missing, null, '' or []). */
export interface ExistsCondition {
  trait: string;
  op: 'exists' | 'not_exists';
}

/**
 * `{ trait: 'plan', op: 'equals', value: 'pro' }`. Strings compare case-sensitively; a number value
 * compares numerically (a numeric string trait such as `"12"` counts as 12); a boolean value also
 * accepts the strings `"true"`/`"false"`; an ISO date value also matches a trait that is the same
 * instant written differently. On a list trait: true when any element equals the value.
 */
export interface EqualsCondition {
  trait: string;
  op: 'equals' | 'not_equals';
  value: string | number | boolean;
}

/**
 * `{ trait: 'email', op: 'contains', value: '@acme.com' }`: case-insensitive substring of a string
 * trait. On a list trait it means membership: the list has this item (compared case-insensitively).
 */
export interface ContainsCondition {
  trait: string;
  op: 'contains' | 'not_contains';
  value: string;
}

/** `{ trait: 'role', op: 'in', value: ['admin', 'owner'] }`: equals any of the values (see equals). */
export interface InCondition {
  trait: string;
  op: 'in' | 'not_in';
  value: (string | number | boolean)[];
}

/**
 * `{ trait: 'seats', op: 'gte', value: 10 }` compares numbers;
 * `{ trait: 'signedUpAt', op: 'lt', value: '2026-01-01' }` (an ISO 8601 string) compares instants.
 */
export interface CompareCondition {
  trait: string;
  op: 'gt' | 'gte' | 'lt' | 'lte';
  value: number | string;
}

/**
 * `{ trait: 'signedUpAt', op: 'within_last_days', value: 14 }`: the date is at most 14 × 24 h before
 * now (a date in the future counts as within, which absorbs clock skew);
 * `{ trait: 'lastSeenAt', op: 'more_than_days_ago', value: 30 }`: strictly more than 30 × 24 h ago.
 * For any valid date exactly one of the two holds; for a missing or invalid date neither does.
 */
export interface RelativeDateCondition {
  trait: string;
  op: 'within_last_days' | 'more_than_days_ago';
  value: number;
}

export type TraitCondition =
  | ExistsCondition
  | EqualsCondition
  | ContainsCondition
  | InCondition
  | CompareCondition
  | RelativeDateCondition;

export type TraitOperator = TraitCondition['op'];

/**
 * `{ event: 'report_exported', atLeast: 5, withinDays: 30 }`: the user did the tracked event at
 * least `atLeast` times (default 1), counting only the last `withinDays` days when given.
 */
export interface EventCondition {
  event: string;
  atLeast?: number;
  withinDays?: number;
}

export interface AllGroup {
  all: Rule[];
}
export interface AnyGroup {
  any: Rule[];
}
export interface NotGroup {
  not: Rule;
}

/** A targeting rule: a condition, or a group of rules. `{ all: [] }` is true, `{ any: [] }` false. */
export type Rule = TraitCondition | EventCondition | AllGroup | AnyGroup | NotGroup;

// ---------------------------------------------------------------------------------------------
// The user a rule is evaluated against
// ---------------------------------------------------------------------------------------------

/**
 * What the loader remembers of one tracked event (in localStorage; see `recordEvent`):
 * the lifetime count, the last time, and the most recent timestamps (at most
 * `EVENT_TIMESTAMP_CAP`, oldest first) for `withinDays` conditions.
 * `recordEvent` writes epoch milliseconds; ISO strings are read too.
 */
export interface EventHistory {
  name: string;
  count: number;
  lastAt?: string | number;
  timestamps?: (string | number)[];
}

export interface UserProfile {
  userId?: string;
  /**
   * As given to identify(). Dates may be ISO 8601 strings (without an offset: UTC), epoch
   * milliseconds (numbers below 1e11 are read as epoch seconds) or Date objects; see `toTime`.
   * Lists are arrays. Only own properties are read (`constructor` is not a trait).
   */
  traits: Record<string, unknown>;
  events?: EventHistory[];
}

// ---------------------------------------------------------------------------------------------
// Triggers (when, on the page, an eligible user is asked)
// ---------------------------------------------------------------------------------------------

export type UrlMatch = 'exact' | 'contains' | 'glob';

/**
 * `{ kind: 'url', match: 'glob', pattern: '/settings/*' }`. With `exclude: true` the study is
 * never shown on matching pages. See `matchesUrl` for the matching rules.
 */
export interface UrlTrigger {
  kind: 'url';
  match: UrlMatch;
  pattern: string;
  exclude?: boolean;
}

/** `{ kind: 'event', event: 'report_exported' }`: right after this event is tracked on the page. */
export interface EventTrigger {
  kind: 'event';
  event: string;
}

/** `{ kind: 'delay', seconds: 10 }`: after this long on the page. */
export interface DelayTrigger {
  kind: 'delay';
  seconds: number;
}

/** `{ kind: 'page_views', atLeast: 3 }`: from the 3rd page view of the session on. */
export interface PageViewsTrigger {
  kind: 'page_views';
  atLeast: number;
}

/** `{ kind: 'exit_intent' }`: the pointer leaves the page towards the tab bar (desktop only). */
export interface ExitIntentTrigger {
  kind: 'exit_intent';
}

export type Trigger = UrlTrigger | EventTrigger | DelayTrigger | PageViewsTrigger | ExitIntentTrigger;

/** What the widget knows about the current page view; it re-checks triggers when this changes. */
export interface SessionState {
  /** `location.href` */
  url: string;
  /** Page views in this session, the current one included. */
  pageViews: number;
  secondsOnPage: number;
  /** The name of the last event tracked during this page view. */
  lastEvent?: string;
  /** The widget saw exit intent on this page view. */
  exitIntent: boolean;
}

// ---------------------------------------------------------------------------------------------
// Choosing the study to show
// ---------------------------------------------------------------------------------------------

export interface StudyCandidate {
  id: string;
  /** Higher wins; ties go to the smaller id. */
  priority: number;
  /** null or absent: everyone. */
  targeting?: Rule | null;
  /** null, absent or empty: any page, at once. */
  triggers?: Trigger[] | null;
  /** 0–100 (fractions allowed); absent: 100. */
  samplingPercent?: number;
  /** Whether a slot can be booked right now; a study without capacity is never shown. */
  bookable: boolean;
  /** Overrides the workspace's recontact window for this study. */
  recontactDays?: number | null;
}

/**
 * What the loader persists per user (localStorage for anonymous users; the server for identified
 * ones) to keep from asking too often. Instants as `toTime` reads them (the helpers write ISO strings).
 */
export interface SuppressionState {
  /** When the user was last shown any intercept of this workspace. */
  lastShownAt?: string | number;
  /** Per study id: "Not now" hides that study until this instant. */
  snoozedUntil?: Record<string, string | number>;
  /** "Don't ask me again": never show any intercept. */
  optedOut?: boolean;
}

export interface PickContext {
  user: UserProfile;
  session: SessionState;
  /** The sampling key: the user id when identified, else the anonymous id. */
  userKey: string;
  now: Date | number;
  suppression?: SuppressionState;
  /** The workspace-wide recontact window in days; default 30. */
  recontactDays?: number;
}

/** Why a study is not shown, in the order the checks run. */
export type SkipReason = 'capacity' | 'opted_out' | 'snoozed' | 'recontact' | 'sample' | 'triggers' | 'rules';
