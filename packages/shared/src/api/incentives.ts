// Incentives owed to participants: one per booking of a study that promises one. It becomes due
// when the interview is marked done, and the PM sends it (a gift card code or link, emailed by
// Beckon) or records that it was given another way (account credit applied in the product).
import { Type, type Static } from '@sinclair/typebox';
import { BookingStatus } from './bookings.js';
import { Instant, Nullable, PublicUrl, Uuid } from './common.js';
import { Incentive } from './studies.js';

export const IncentiveStatus = Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('void')], {
  description: 'pending: promised, not yet given; sent: given; void: the interview was cancelled or missed',
});
export type IncentiveStatus = Static<typeof IncentiveStatus>;

export const IncentiveDeliveryMethod = Type.Union([Type.Literal('email'), Type.Literal('elsewhere')], {
  description: 'email: Beckon emails the participant the code, link and message; elsewhere: it was given another way, nothing is sent',
});
export type IncentiveDeliveryMethod = Static<typeof IncentiveDeliveryMethod>;

export const AdminIncentive = Type.Object({
  id: Uuid,
  bookingId: Uuid,
  studyId: Uuid,
  studyName: Type.String(),
  participant: Type.Object({ name: Nullable(Type.String()), email: Nullable(Type.String()) }),
  interviewStart: Instant,
  bookingStatus: BookingStatus,
  kind: Incentive.properties.kind,
  amountCents: Nullable(Type.Integer()),
  currency: Nullable(Type.String()),
  description: Type.String(),
  status: IncentiveStatus,
  /** Pending, and the interview is marked done: send it now. */
  due: Type.Boolean(),
  sentAt: Nullable(Instant),
  sentBy: Nullable(IncentiveDeliveryMethod),
  /** Set when a payout provider pays it: the order, where it stands, and why it failed if it did. */
  payout: Nullable(
    Type.Object({
      provider: Type.Literal('tremendous'),
      orderId: Nullable(Type.String()),
      status: Nullable(Type.String()),
      error: Nullable(Type.String()),
      /** Not ordered yet because the workspace has no Tremendous account connected; ordered once one is. */
      held: Type.Boolean(),
    }),
  ),
});
export type AdminIncentive = Static<typeof AdminIncentive>;

export const AdminIncentivesQuery = Type.Object({
  /** due: pending with the interview done; upcoming: pending before it is done. */
  status: Type.Optional(Type.Union([Type.Literal('due'), Type.Literal('upcoming'), Type.Literal('sent'), Type.Literal('void')])),
  studyId: Type.Optional(Uuid),
});
export type AdminIncentivesQuery = Static<typeof AdminIncentivesQuery>;

/** A study's incentive spending against its budget: owed counts pending and sent rewards (void ones are not spent). */
export const IncentiveBudget = Type.Object({
  studyId: Uuid,
  studyName: Type.String(),
  currency: Nullable(Type.String()),
  budgetCents: Nullable(Type.Integer()),
  weeklyBudgetCents: Nullable(Type.Integer()),
  owedCents: Type.Integer(),
  sentCents: Type.Integer(),
  /** Owed for interviews in this week (the workspace's weeks). */
  thisWeekCents: Type.Integer(),
});
export type IncentiveBudget = Static<typeof IncentiveBudget>;

export const AdminIncentiveList = Type.Object({ incentives: Type.Array(AdminIncentive), budgets: Type.Array(IncentiveBudget) });
export const AdminIncentiveParams = Type.Object({ id: Uuid });

export const IncentiveSend = Type.Object(
  {
    method: IncentiveDeliveryMethod,
    /** A gift card or voucher code; kept encrypted, shown only in the participant's email. */
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** Where to redeem it. */
    url: Type.Optional(PublicUrl),
    /** A line for the participant, e.g. how to use the credit. */
    message: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type IncentiveSend = Static<typeof IncentiveSend>;

// --- the workspace's payout provider -----------------------------------------------------------

export const TremendousEnvironment = Type.Union([Type.Literal('sandbox'), Type.Literal('production')], {
  description: 'sandbox: Tremendous\'s testflight environment (nothing is paid); production: real rewards',
});
export type TremendousEnvironment = Static<typeof TremendousEnvironment>;

/** The workspace's Tremendous account. The API key is never answered: only whether one is set and its last characters. */
export const TremendousSettings = Type.Object({
  /** The workspace has its own credentials. */
  configured: Type.Boolean(),
  environment: Nullable(TremendousEnvironment),
  /** The API key's last 4 characters. */
  apiKeyEnd: Nullable(Type.String()),
  fundingSourceId: Nullable(Type.String()),
  campaignId: Nullable(Type.String()),
  updatedAt: Nullable(Instant),
  /** The server has a Tremendous key of its own, used while the workspace sets none. */
  serverDefault: Type.Boolean(),
});
export type TremendousSettings = Static<typeof TremendousSettings>;

const TremendousId = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' });

export const TremendousSettingsUpdate = Type.Object(
  {
    /** Required the first time; omitted afterwards, the saved key is kept. Checked against Tremendous before it is saved. */
    apiKey: Type.Optional(Type.String({ minLength: 8, maxLength: 200, pattern: '^\\S+$' })),
    environment: TremendousEnvironment,
    /** A funding source of the account; "balance" (the default) pays from the account's balance. */
    fundingSourceId: Type.Optional(TremendousId),
    /** The campaign whose products and message the rewards use; omitted: none. */
    campaignId: Type.Optional(Nullable(TremendousId)),
  },
  { additionalProperties: false },
);
export type TremendousSettingsUpdate = Static<typeof TremendousSettingsUpdate>;
