// The panel: one record per person per workspace (joined by the product's user id and by email),
// the contact rules that protect them from being over-asked, the people funnel and consent.
import { Type, type Static } from '@sinclair/typebox';
import { Instant, Nullable, Uuid } from './common.js';
import { Traits } from './bookings.js';
import { CONTACT_RULE_NAMES, HISTORY_KINDS, PEOPLE_FUNNEL_COLUMNS } from '../vocabulary.js';

const Days = (description: string) => Type.Integer({ minimum: 0, maximum: 3650, description });
const Limit = (what: string) =>
  Type.Object(
    { max: Type.Integer({ minimum: 1, maximum: 100, description: `${what} at most` }), days: Type.Integer({ minimum: 1, maximum: 3650, description: 'in any period of this many days' }) },
    { additionalProperties: false },
  );
const Cooldown = (after: string) =>
  Type.Object(
    { study: Days(`Days the same study is not shown again after ${after}`), any: Days(`Days no study is shown after ${after}`) },
    { additionalProperties: false },
  );

/** Workspace-wide rules, enforced by the server on every device (config, events, bookings). */
export const ContactRules = Type.Object(
  {
    interviews: Limit('Interviews per person (booked, held or missed; upcoming ones count)'),
    intercepts: Limit('Intercepts shown per person, across studies'),
    dismissCooldown: Cooldown('a dismissal or "Not now"'),
    optOutCooldown: Cooldown('"Don\'t ask me again"'),
    noShowLimit: Type.Integer({ minimum: 1, maximum: 20, description: 'After this many no-shows a person is never invited again' }),
  },
  { additionalProperties: false },
);
export type ContactRules = Static<typeof ContactRules>;

export const DEFAULT_CONTACT_RULES: ContactRules = {
  interviews: { max: 1, days: 90 },
  intercepts: { max: 2, days: 30 },
  dismissCooldown: { study: 30, any: 7 },
  optOutCooldown: { study: 730, any: 365 },
  noShowLimit: 2,
};

export const ContactRuleName = Type.Union(CONTACT_RULE_NAMES.map((name) => Type.Literal(name)));
export type ContactRuleName = Static<typeof ContactRuleName>;

const DoNotContact = Nullable(Type.Object({ at: Instant, by: Type.Union([Type.Literal('team'), Type.Literal('participant')]) }));

export const ConsentRecord = Type.Object({
  consentTextId: Uuid,
  title: Type.String(),
  version: Type.Integer(),
  acceptedAt: Instant,
  bookingId: Nullable(Uuid),
});
export type ConsentRecord = Static<typeof ConsentRecord>;

export const Person = Type.Object({
  id: Uuid,
  userId: Nullable(Type.String()),
  email: Nullable(Type.String()),
  name: Nullable(Type.String()),
  traits: Traits,
  firstSeenAt: Instant,
  lastContactedAt: Nullable(Instant),
  interviews: Type.Integer({ description: 'Interviews attended' }),
  noShows: Type.Integer(),
  upcoming: Type.Integer({ description: 'Confirmed interviews still to come' }),
  doNotContact: DoNotContact,
  /** Why no study may ask them now, by the first rule that holds across studies; null: they may be asked. */
  blockedBy: Nullable(ContactRuleName),
  erased: Type.Boolean(),
  consents: Type.Array(ConsentRecord),
});
export type Person = Static<typeof Person>;

export const HistoryEntry = Type.Object({
  at: Instant,
  kind: Type.Union(HISTORY_KINDS.map((kind) => Type.Literal(kind))),
  studyId: Nullable(Uuid),
  studyName: Nullable(Type.String()),
  /** The booking, the incentive or the email's subject line, or a screener answer summary. */
  detail: Type.Optional(Type.String()),
  bookingId: Type.Optional(Uuid),
});
export type HistoryEntry = Static<typeof HistoryEntry>;

export const PersonDetail = Type.Composite([Person, Type.Object({ history: Type.Array(HistoryEntry) })]);
export type PersonDetail = Static<typeof PersonDetail>;

const Count = Type.Integer({ minimum: 0, maximum: 1000 });
/** The admin app's filters; the CSV exports take the same. */
export const PeopleQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the name, email or user id' })),
    trait: Type.Optional(Type.String({ maxLength: 200, pattern: '^[^=]{1,64}=.*$', description: 'key=value: a trait equal to the value (as text)' })),
    segment: Type.Optional(Type.String({ format: 'uuid', description: "A study's id: people whose traits match its targeting" })),
    contactedAfter: Type.Optional(Instant),
    contactedBefore: Type.Optional(Instant),
    minInterviews: Type.Optional(Count),
    maxInterviews: Type.Optional(Count),
    minNoShows: Type.Optional(Count),
    doNotContact: Type.Optional(Type.Boolean()),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type PeopleQuery = Static<typeof PeopleQuery>;

export const PeoplePage = Type.Object({ people: Type.Array(Person), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });
export type PeoplePage = Static<typeof PeoplePage>;

export const PersonParams = Type.Object({ id: Uuid });

export const PersonUpdate = Type.Object({ doNotContact: Type.Boolean() }, { additionalProperties: false });
export type PersonUpdate = Static<typeof PersonUpdate>;

// ---------------------------------------------------------------------------------------------
// The people funnel.

export const PeopleFunnelQuery = Type.Object(
  {
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    studyId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);
export type PeopleFunnelQuery = Static<typeof PeopleFunnelQuery>;

const Counts = Type.Object(Object.fromEntries(PEOPLE_FUNNEL_COLUMNS.map((column) => [column, Type.Integer()])) as Record<(typeof PEOPLE_FUNNEL_COLUMNS)[number], ReturnType<typeof Type.Integer>>);
export type PeopleFunnelCounts = Static<typeof Counts>;

export const PeopleFunnelRow = Type.Object({
  /** Monday of the week (in the workspace's zone) the step happened in. */
  week: Type.String({ format: 'date' }),
  /** The study's name: each study recruits one segment. */
  segment: Type.String(),
  studyId: Uuid,
  /** widget, link (a hosted link without a ref), link:<ref>, or email (a ref beginning with email). */
  source: Type.String(),
  counts: Counts,
});
export type PeopleFunnelRow = Static<typeof PeopleFunnelRow>;

export const PeopleFunnel = Type.Object({
  timeZone: Type.String(),
  /** Unique people over the whole range (a person in two rows counts once here). */
  totals: Counts,
  rows: Type.Array(PeopleFunnelRow),
});
export type PeopleFunnel = Static<typeof PeopleFunnel>;

// ---------------------------------------------------------------------------------------------
// Consent texts.

export const ConsentTextInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 120 }),
    body: Type.String({ minLength: 1, maxLength: 20_000 }),
    kind: Type.Union([Type.Literal('consent'), Type.Literal('nda')]),
    /** Null: the workspace's own text; otherwise for this study only. */
    studyId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
);
export type ConsentTextInput = Static<typeof ConsentTextInput>;

export const ConsentText = Type.Object({
  id: Uuid,
  title: Type.String(),
  body: Type.String(),
  kind: Type.Union([Type.Literal('consent'), Type.Literal('nda')]),
  studyId: Nullable(Uuid),
  /** 1, 2, …: a new text with the same title (and study) is the next version. */
  version: Type.Integer(),
  createdAt: Instant,
  accepted: Type.Integer({ description: 'People who accepted this version' }),
});
export type ConsentText = Static<typeof ConsentText>;

/** Per person: everything held, as the admin's JSON export. */
export const PersonExport = Type.Object({
  exportedAt: Instant,
  person: PersonDetail,
  participantRecords: Type.Array(Type.Object({ id: Uuid, userId: Nullable(Type.String()), email: Nullable(Type.String()), name: Nullable(Type.String()), timeZone: Nullable(Type.String()), traits: Traits, createdAt: Instant })),
  bookings: Type.Array(Type.Object({ id: Uuid, studyId: Uuid, status: Type.String(), startsAt: Instant, endsAt: Instant, timeZone: Type.String(), source: Type.String(), answers: Type.Unknown(), createdAt: Instant, cancelledAt: Nullable(Instant) })),
  events: Type.Array(Type.Object({ studyId: Uuid, kind: Type.String(), at: Instant, url: Nullable(Type.String()) })),
});
export type PersonExport = Static<typeof PersonExport>;
