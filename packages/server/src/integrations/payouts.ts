// Incentive payouts through a provider. A study whose incentive says `payout: 'tremendous'` has
// the reward ordered when its interview is marked done: a `payout.order` job places the order
// with an idempotency key derived from the incentive (Tremendous's `external_id`), so a worker
// that dies after ordering and before recording orders again harmlessly: the provider answers
// with the order it already has, and it is recorded once. Manual hand-over stays the fallback.
// Each workspace pays from its own Tremendous account (tremendous_accounts, the key sealed); the
// server's key, if set, pays for workspaces that connected none. With neither, the order is held
// (shown in Incentives) and placed once the workspace connects an account.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { OrdersApi } from 'tremendous';
import type { Database, Transaction } from '../db/client.js';
import { bookings, incentives, participants, tremendousAccounts } from '../db/schema.js';
import type { SecretBox } from '../security/secrets.js';
import type { JobHandlers } from '../jobs/kinds.js';
import { enqueue } from '../jobs/queue.js';
import { emitWebhook } from './webhooks.js';

export interface PayoutOrder {
  /** The idempotency key: the same for every attempt to pay one incentive. */
  externalId: string;
  amountCents: number;
  currency: string;
  recipient: { name: string; email: string };
}

/** Where an order stands: `sent` once the provider has delivered or will deliver the reward itself. */
export interface PayoutState {
  orderId: string;
  status: string;
  outcome: 'sent' | 'pending' | 'failed';
}

/** What Beckon needs of a payout provider. */
export interface PayoutProvider {
  readonly name: 'tremendous';
  order(order: PayoutOrder): Promise<PayoutState>;
  status(orderId: string): Promise<PayoutState>;
}

export interface TremendousOptions {
  apiKey: string;
  apiUrl: string;
  fundingSourceId: string;
  campaignId: string | undefined;
}

/** Tremendous through its official client: the reward is emailed to the participant by Tremendous. */
export function createTremendousProvider(options: TremendousOptions): PayoutProvider {
  // Tremendous's client (with axios) is loaded with the first order: most servers never send one.
  let orders: Promise<OrdersApi> | undefined;
  const ordersApi = () => (orders ??= import('tremendous').then(({ Configuration, OrdersApi }) => new OrdersApi(new Configuration({ basePath: options.apiUrl, accessToken: options.apiKey }))));
  const stateOf = (order: { id: string; status: string; rewards?: { delivery?: { status?: string } }[] }): PayoutState => {
    const delivery = order.rewards?.[0]?.delivery?.status;
    const failed = order.status === 'FAILED' || order.status === 'CANCELED' || delivery === 'FAILED';
    const sent = order.status === 'EXECUTED' && delivery !== 'FAILED';
    return { orderId: order.id, status: delivery ? `${order.status} / ${delivery}` : order.status, outcome: failed ? 'failed' : sent ? 'sent' : 'pending' };
  };
  return {
    name: 'tremendous',
    async order(order) {
      const { data } = await (await ordersApi()).createOrder({
        external_id: order.externalId,
        payment: { funding_source_id: options.fundingSourceId },
        reward: {
          ...(options.campaignId ? { campaign_id: options.campaignId } : {}),
          value: { denomination: order.amountCents / 100, currency_code: order.currency as never },
          recipient: order.recipient,
          delivery: { method: 'EMAIL' },
        },
      });
      return stateOf(data.order);
    },
    async status(orderId) {
      const { data } = await (await ordersApi()).getOrder(orderId);
      return stateOf(data.order);
    },
  };
}

/** Where each Tremendous environment is reached. */
export interface TremendousApiUrls {
  sandbox: string;
  production: string;
}

/**
 * Checks a key against Tremendous before it is saved, by listing the account's funding sources
 * (the cheapest documented call that needs a valid key): 'key' when the key is refused,
 * 'funding_source' when the account has no such funding source, 'unreachable' when Tremendous did
 * not answer, 'ok' otherwise. "balance" names the account's balance, as Tremendous allows.
 */
export async function checkTremendousAccount(options: Omit<TremendousOptions, 'campaignId'>): Promise<'ok' | 'key' | 'funding_source' | 'unreachable'> {
  const { Configuration, FundingSourcesApi } = await import('tremendous');
  const api = new FundingSourcesApi(new Configuration({ basePath: options.apiUrl, accessToken: options.apiKey }));
  try {
    const { data } = await api.listFundingSources({ timeout: 15_000 });
    const wanted = options.fundingSourceId.toLowerCase();
    const found = data.funding_sources.some((source: { id: string; method: string }) => source.id === options.fundingSourceId || (wanted === 'balance' && source.method === 'balance'));
    return found ? 'ok' : 'funding_source';
  } catch (error) {
    const status = (error as { response?: { status?: number } }).response?.status;
    return status === 401 || status === 403 ? 'key' : 'unreachable';
  }
}

/** The provider a workspace's rewards are ordered through: its own account, else the server's, else none. */
export function workspacePayoutProviders(deps: { db: Database; secretBox: SecretBox; serverDefault: TremendousOptions | undefined; apiUrls: TremendousApiUrls }) {
  return async (workspaceId: string): Promise<PayoutProvider | undefined> => {
    const [account] = await deps.db.select().from(tremendousAccounts).where(eq(tremendousAccounts.workspaceId, workspaceId));
    if (!account) return deps.serverDefault && createTremendousProvider(deps.serverDefault);
    return createTremendousProvider({
      apiKey: deps.secretBox.open(account.apiKeySealed),
      apiUrl: deps.apiUrls[account.environment],
      fundingSourceId: account.fundingSourceId,
      campaignId: account.campaignId ?? undefined,
    });
  };
}

/** The status an order waits under while the workspace has no Tremendous account. */
export const PAYOUT_HELD = 'held';

/** Orders the rewards held for want of an account, once the workspace connects one (inside the caller's transaction). */
export async function releaseHeldPayouts(tx: Database | Transaction, workspaceId: string): Promise<number> {
  const held = await tx
    .select({ id: incentives.id })
    .from(incentives)
    .innerJoin(bookings, eq(bookings.id, incentives.bookingId))
    .where(and(eq(bookings.workspaceId, workspaceId), eq(incentives.status, 'pending'), eq(incentives.payoutStatus, PAYOUT_HELD), isNull(incentives.payoutOrderId)));
  if (held.length === 0) return 0;
  const ids = held.map((row) => row.id);
  await tx.update(incentives).set({ payoutStatus: null, payoutError: null }).where(inArray(incentives.id, ids));
  await enqueue(tx, ...ids.map((incentiveId) => ({ kind: 'payout.order' as const, payload: { incentiveId }, maxAttempts: 10 })));
  return ids.length;
}

/** The provider's refusal in words fit for the Incentives screen (never the request, which holds an address). */
function reasonOf(error: unknown): string {
  const response = (error as { response?: { status?: number; data?: { errors?: { message?: string } } } }).response;
  if (response?.status) return `The provider refused the order (${response.status}${response.data?.errors?.message ? `: ${response.data.errors.message}` : ''})`;
  return 'The provider could not be reached';
}

export const payoutExternalId = (incentiveId: string) => `beckon-incentive-${incentiveId}`;

/** Enqueues the order of an incentive that just became due, inside the caller's transaction. */
export async function enqueuePayout(tx: Database | Transaction, incentiveId: string): Promise<void> {
  await enqueue(tx, { kind: 'payout.order', payload: { incentiveId }, maxAttempts: 10 });
}

async function record(db: Database, workspaceId: string, incentiveId: string, provider: PayoutProvider, state: PayoutState, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(incentives)
      .set({
        payoutProvider: provider.name,
        payoutOrderId: state.orderId,
        payoutStatus: state.status,
        payoutError: state.outcome === 'failed' ? 'The provider could not deliver the reward; hand it over another way' : null,
        ...(state.outcome === 'sent' ? { status: 'sent' as const, sentAt: now, sentBy: 'elsewhere' as const } : {}),
      })
      .where(and(eq(incentives.id, incentiveId), eq(incentives.status, 'pending')))
      .returning({ id: incentives.id });
    if (!updated) return;
    if (state.outcome === 'sent') await emitWebhook(tx, workspaceId, { type: 'incentive.sent', incentiveId }, now);
    // Followed until it settles: an hour apart (approval queues take a while).
    if (state.outcome === 'pending') await enqueue(tx, { kind: 'payout.status', payload: { incentiveId }, runAt: new Date(now.getTime() + 3_600_000), maxAttempts: 48 });
  });
}

export function payoutHandlers(deps: { db: Database; providerFor: (workspaceId: string) => Promise<PayoutProvider | undefined>; now?: () => Date }): Pick<JobHandlers, 'payout.order' | 'payout.status'> {
  const load = async (incentiveId: string) => {
    const [row] = await deps.db
      .select({ incentive: incentives, workspaceId: bookings.workspaceId, email: participants.email, name: participants.name, bookingStatus: bookings.status })
      .from(incentives)
      .innerJoin(bookings, eq(bookings.id, incentives.bookingId))
      .innerJoin(participants, eq(participants.id, bookings.participantId))
      .where(eq(incentives.id, incentiveId));
    return row;
  };
  const fail = async (incentiveId: string, reason: string) => {
    await deps.db.update(incentives).set({ payoutError: reason }).where(eq(incentives.id, incentiveId));
    throw new Error(reason);
  };
  return {
    'payout.order': async (job) => {
      const row = await load(job.payload.incentiveId);
      // Given another way meanwhile, or no longer owed: nothing to order.
      if (!row || row.incentive.status !== 'pending' || row.bookingStatus !== 'completed' || row.incentive.payoutOrderId) return;
      const provider = await deps.providerFor(row.workspaceId);
      if (!provider) {
        // Held, not failed: connecting an account under Settings orders it (releaseHeldPayouts).
        await deps.db
          .update(incentives)
          .set({ payoutStatus: PAYOUT_HELD, payoutError: 'Held: connect a Tremendous account under Settings → Payouts to pay it, or hand it over manually' })
          .where(eq(incentives.id, row.incentive.id));
        return;
      }
      if (!row.email) return fail(row.incentive.id, 'The participant has no email address any more; hand it over another way');
      if (!row.incentive.amountCents || !row.incentive.currency) return fail(row.incentive.id, 'The incentive has no amount and currency to order');
      let state: PayoutState;
      try {
        state = await provider.order({
          externalId: payoutExternalId(row.incentive.id),
          amountCents: row.incentive.amountCents,
          currency: row.incentive.currency,
          recipient: { name: row.name ?? row.email, email: row.email },
        });
      } catch (error) {
        return fail(row.incentive.id, reasonOf(error));
      }
      await record(deps.db, row.workspaceId, row.incentive.id, provider, state, deps.now?.() ?? new Date());
    },
    'payout.status': async (job) => {
      const row = await load(job.payload.incentiveId);
      if (!row?.incentive.payoutOrderId || row.incentive.status !== 'pending') return;
      const provider = await deps.providerFor(row.workspaceId);
      if (!provider) return;
      const state = await provider.status(row.incentive.payoutOrderId).catch((error: unknown) => fail(row.incentive.id, reasonOf(error)));
      await record(deps.db, row.workspaceId, row.incentive.id, provider, state, deps.now?.() ?? new Date());
    },
  };
}
