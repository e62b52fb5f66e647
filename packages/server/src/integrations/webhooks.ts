// Signed webhooks, per Standard Webhooks (the `standardwebhooks` library signs): an event is
// written as one delivery row per subscribed endpoint, in the transaction that causes it, and a
// `webhook.deliver` job sends an endpoint's deliveries one at a time in the order they were
// written. A failure leaves the rest waiting behind it (so a receiver sees events in order) and
// retries with exponential backoff; after 24 hours of failing the endpoint is disabled, its
// waiting deliveries marked failed, and the workspace's owners are emailed. Each delivery row is
// also the delivery log: every attempt (the last 20) with its status code or error, latency and
// the retry it scheduled.
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { toInstant, WEBHOOK_ATTEMPTS_KEPT, type WebhookBooking, type WebhookDeliveryAttempt, type WebhookIncentive, type WebhookPayload, type WebhookWeekAtRisk } from '@beckon/shared/api';
import type { Database, Transaction } from '../db/client.js';
import { bookings, incentives, members, memberships, participants, studies, users, webhookDeliveries, webhookEndpoints, workspaces } from '../db/schema.js';
import type { JobHandlers, SlackEvent } from '../jobs/kinds.js';
import { enqueue } from '../jobs/queue.js';
import { messageIdFor, type Mailer } from '../mail/index.js';
import { muted, paragraph, renderHtml, renderText } from '../mail/layout.js';
import { nonPublicAddressCause, publicOnlyFetch } from '../security/outbound.js';
import type { SecretBox } from '../security/secrets.js';
import { enqueueSlackPosts, slackTargetsQuery } from './slack.js';

/** What happened, as the code that caused it knows it; the payload is read from the database. */
export type WebhookEvent =
  | { type: 'booking.created' | 'booking.attended' | 'booking.no_show'; bookingId: string }
  | { type: 'booking.rescheduled'; bookingId: string; previousStart: Date }
  | { type: 'booking.cancelled'; bookingId: string; cancelledBy: 'participant' | 'host' }
  | { type: 'incentive.owed' | 'incentive.sent'; incentiveId: string }
  | { type: 'participant.opted_out'; userId: string; optedOutAt: Date }
  // Raised by the autopilot's alert for a week that will miss its target.
  | { type: 'week.at_risk'; week: WebhookWeekAtRisk };

/** A new signing secret: 32 random bytes, in the Standard Webhooks `whsec_` form. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * The one call a change makes to tell the outside world. Writes the event for every enabled endpoint of the workspace that wants it, inside the
 * caller's transaction, and enqueues their delivery. Nothing is read when no endpoint wants it.
 */
export async function emitWebhook(tx: Database | Transaction, workspaceId: string, event: WebhookEvent, now = new Date()): Promise<void> {
  // Slack hears about the same moments (new bookings, cancellations, at-risk weeks); both lists in one round trip.
  const slackEvent: SlackEvent | undefined =
    event.type === 'booking.created' || event.type === 'booking.cancelled' ? { type: event.type, bookingId: event.bookingId } : event.type === 'week.at_risk' ? event : undefined;
  const wanted = and(
    eq(webhookEndpoints.workspaceId, workspaceId),
    eq(webhookEndpoints.enabled, true),
    or(sql`cardinality(${webhookEndpoints.events}) = 0`, sql`${event.type} = any(${webhookEndpoints.events})`),
  );
  const [targets] = await tx
    .select({
      endpointIds: sql<string[]>`(select coalesce(json_agg(${webhookEndpoints.id}), '[]') from ${webhookEndpoints} where ${wanted})`,
      slackWebhookIds: slackEvent ? sql<string[]>`${slackTargetsQuery(workspaceId, slackEvent)}` : sql<string[]>`'[]'::json`,
    })
    .from(sql`(select 1) as one`);
  if (slackEvent) await enqueueSlackPosts(tx, targets!.slackWebhookIds, slackEvent);
  const endpoints = targets!.endpointIds.map((id) => ({ id }));
  if (endpoints.length === 0) return;
  const payload = await payloadOf(tx, event, now);
  if (!payload) return;
  const messageId = `msg_${randomBytes(16).toString('base64url')}`;
  await tx.insert(webhookDeliveries).values(endpoints.map((endpoint) => ({ endpointId: endpoint.id, messageId, type: event.type, payload })));
  await enqueue(tx, ...endpoints.map((endpoint) => ({ kind: 'webhook.deliver' as const, payload: { endpointId: endpoint.id } })));
}

async function payloadOf(tx: Database | Transaction, event: WebhookEvent, now: Date): Promise<WebhookPayload | undefined> {
  const timestamp = toInstant(now);
  switch (event.type) {
    case 'booking.created':
    case 'booking.attended':
    case 'booking.no_show': {
      const booking = await webhookBooking(tx, event.bookingId);
      return booking && { type: event.type, timestamp, data: { booking } };
    }
    case 'booking.rescheduled': {
      const booking = await webhookBooking(tx, event.bookingId);
      return booking && { type: event.type, timestamp, data: { booking, previousStart: toInstant(event.previousStart) } };
    }
    case 'booking.cancelled': {
      const booking = await webhookBooking(tx, event.bookingId);
      return booking && { type: event.type, timestamp, data: { booking, cancelledBy: event.cancelledBy } };
    }
    case 'incentive.owed':
    case 'incentive.sent': {
      const incentive = await webhookIncentive(tx, event.incentiveId);
      return incentive && { type: event.type, timestamp, data: { incentive } };
    }
    case 'participant.opted_out':
      return { type: event.type, timestamp, data: { participant: { userId: event.userId, optedOutAt: toInstant(event.optedOutAt) } } };
    case 'week.at_risk':
      return { type: event.type, timestamp, data: { week: event.week } };
  }
}

async function webhookBooking(tx: Database | Transaction, bookingId: string): Promise<WebhookBooking | undefined> {
  const [row] = await tx
    .select({ booking: bookings, study: { id: studies.id, name: studies.name }, host: { id: members.id, name: members.name, email: members.email }, participant: { id: participants.id, userId: participants.userId, email: participants.email, name: participants.name } })
    .from(bookings)
    .innerJoin(studies, eq(studies.id, bookings.studyId))
    .innerJoin(members, eq(members.id, bookings.hostId))
    .innerJoin(participants, eq(participants.id, bookings.participantId))
    .where(eq(bookings.id, bookingId));
  if (!row) return undefined;
  const { booking } = row;
  return {
    id: booking.id,
    status: booking.status,
    start: toInstant(booking.startsAt),
    end: toInstant(booking.endsAt),
    timeZone: booking.participantTimeZone,
    study: row.study,
    host: row.host,
    participant: row.participant,
    source: booking.source,
    meetingUrl: booking.meetingUrl,
  };
}

async function webhookIncentive(tx: Database | Transaction, incentiveId: string): Promise<WebhookIncentive | undefined> {
  const [row] = await tx
    .select({ incentive: incentives, study: { id: studies.id, name: studies.name }, participant: { id: participants.id, userId: participants.userId, email: participants.email, name: participants.name } })
    .from(incentives)
    .innerJoin(bookings, eq(bookings.id, incentives.bookingId))
    .innerJoin(studies, eq(studies.id, bookings.studyId))
    .innerJoin(participants, eq(participants.id, bookings.participantId))
    .where(eq(incentives.id, incentiveId));
  if (!row) return undefined;
  const { incentive } = row;
  return {
    id: incentive.id,
    bookingId: incentive.bookingId,
    study: row.study,
    participant: row.participant,
    kind: incentive.kind as WebhookIncentive['kind'],
    amountCents: incentive.amountCents,
    currency: incentive.currency,
    description: incentive.description,
    status: incentive.status,
    sentAt: incentive.sentAt ? toInstant(incentive.sentAt) : null,
  };
}

// --- delivery ----------------------------------------------------------------------------------

/** Retries stop, and the endpoint is disabled, once deliveries have failed for this long. */
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;
/** A delivery being sent by a worker that died is sent again after this long. */
const SENDING_STALE_MS = 2 * 60_000;
const TIMEOUT_MS = 15_000;

/** Exponential from 5 s (x4 a time) up to 4 hours, with jitter, until a day has passed. */
export function webhookRetryDelayMs(attempts: number, random = Math.random): number {
  const base = Math.min(5_000 * 4 ** Math.max(0, attempts - 1), 4 * 3_600_000);
  return Math.round(base * (0.8 + random() * 0.4));
}

export interface WebhookDeps {
  db: Database;
  secretBox: SecretBox;
  mailer: Mailer;
  from: string;
  publicUrl: string;
  /** Development: endpoints on this machine or a private network are allowed. */
  allowPrivateNetworks: boolean;
  now?: () => Date;
}

type Claimed = { delivery: typeof webhookDeliveries.$inferSelect; url: string; secretSealed: string };

/** Takes the endpoint's oldest waiting delivery, unless another worker is sending one. */
async function claimNext(db: Database, endpointId: string, now: Date): Promise<Claimed | undefined> {
  return db.transaction(async (tx) => {
    const [endpoint] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).for('update');
    if (!endpoint?.enabled) return undefined;
    const [next] = await tx
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.endpointId, endpointId), inArray(webhookDeliveries.status, ['pending', 'sending'])))
      .orderBy(asc(webhookDeliveries.id))
      .limit(1);
    if (!next) return undefined;
    if (next.status === 'sending' && next.lastAttemptAt && now.getTime() - next.lastAttemptAt.getTime() < SENDING_STALE_MS) return undefined;
    const [claimed] = await tx
      .update(webhookDeliveries)
      .set({ status: 'sending', attempts: next.attempts + 1, lastAttemptAt: now })
      .where(eq(webhookDeliveries.id, next.id))
      .returning();
    return { delivery: claimed!, url: endpoint.url, secretSealed: endpoint.secretSealed };
  });
}

/** One POST of one delivery, signed; what the receiver answered, or why there was no answer. */
async function send(deps: WebhookDeps, claimed: Claimed, now: Date): Promise<{ ok: boolean; status: number | null; latencyMs: number; error: string | null }> {
  const body = JSON.stringify(claimed.delivery.payload);
  const signature = new Webhook(deps.secretBox.open(claimed.secretSealed)).sign(claimed.delivery.messageId, now, body);
  const started = performance.now();
  const fetcher = deps.allowPrivateNetworks ? globalThis.fetch : publicOnlyFetch;
  try {
    const response = await fetcher(claimed.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Beckon-Webhooks/1',
        'webhook-id': claimed.delivery.messageId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    const latencyMs = Math.round(performance.now() - started);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, latencyMs, error: ok ? null : `answered ${response.status}` };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    const refused = nonPublicAddressCause(error);
    const message = refused ? refused.message : error instanceof Error && error.name === 'TimeoutError' ? `no answer in ${TIMEOUT_MS / 1000} s` : 'could not connect';
    return { ok: false, status: null, latencyMs, error: message };
  }
}

async function disableEndpoint(tx: Database | Transaction, endpointId: string, reason: string): Promise<void> {
  await tx.update(webhookEndpoints).set({ enabled: false, disabledReason: reason, updatedAt: new Date() }).where(eq(webhookEndpoints.id, endpointId));
  await tx
    .update(webhookDeliveries)
    .set({ status: 'failed' })
    .where(and(eq(webhookDeliveries.endpointId, endpointId), inArray(webhookDeliveries.status, ['pending', 'sending'])));
}

/** Delivers an endpoint's waiting deliveries in order; stops at the first failure and schedules the retry. */
async function drain(deps: WebhookDeps, endpointId: string): Promise<void> {
  for (;;) {
    const now = deps.now?.() ?? new Date();
    const claimed = await claimNext(deps.db, endpointId, now);
    if (!claimed) return;
    const result = await send(deps, claimed, now);
    const recorded = { responseStatus: result.status, latencyMs: result.latencyMs, lastError: result.error };
    // The worker holding the delivery is its only writer, so the log is extended from the claimed row.
    const logged = (nextRetryAt: Date | null) => {
      const attempt: WebhookDeliveryAttempt = { at: toInstant(now), responseStatus: result.status, error: result.error, latencyMs: result.latencyMs, nextRetryAt: nextRetryAt && toInstant(nextRetryAt) };
      return { ...recorded, attemptLog: [...claimed.delivery.attemptLog, attempt].slice(-WEBHOOK_ATTEMPTS_KEPT) };
    };
    if (result.ok) {
      await deps.db.update(webhookDeliveries).set({ ...logged(null), status: 'delivered', deliveredAt: now }).where(eq(webhookDeliveries.id, claimed.delivery.id));
      continue;
    }
    const firstFailedAt = claimed.delivery.firstFailedAt ?? now;
    const givingUp = now.getTime() - firstFailedAt.getTime() >= GIVE_UP_AFTER_MS;
    const retryAt = givingUp ? null : new Date(now.getTime() + webhookRetryDelayMs(claimed.delivery.attempts));
    await deps.db.transaction(async (tx) => {
      await tx.update(webhookDeliveries).set({ ...logged(retryAt), status: 'pending', firstFailedAt }).where(eq(webhookDeliveries.id, claimed.delivery.id));
      if (!retryAt) {
        await disableEndpoint(tx, endpointId, `Deliveries failed for 24 hours (last: ${result.error})`);
        await enqueue(tx, { kind: 'mail.webhook_disabled', payload: { endpointId }, maxAttempts: 5 });
      } else {
        await enqueue(tx, { kind: 'webhook.deliver', payload: { endpointId }, runAt: retryAt });
      }
    });
    return;
  }
}

export function webhookHandlers(deps: WebhookDeps): Pick<JobHandlers, 'webhook.deliver' | 'mail.webhook_disabled'> {
  return {
    'webhook.deliver': (job) => drain(deps, job.payload.endpointId),
    'mail.webhook_disabled': async (job) => {
      const [endpoint] = await deps.db
        .select({ url: webhookEndpoints.url, enabled: webhookEndpoints.enabled, workspaceId: webhookEndpoints.workspaceId, workspace: workspaces.name })
        .from(webhookEndpoints)
        .innerJoin(workspaces, eq(workspaces.id, webhookEndpoints.workspaceId))
        .where(eq(webhookEndpoints.id, job.payload.endpointId));
      if (!endpoint || endpoint.enabled) return; // gone, or turned on again since
      const owners = await deps.db
        .select({ email: users.email })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.workspaceId, endpoint.workspaceId), eq(memberships.role, 'owner')));
      if (owners.length === 0) return;
      const subject = `Beckon stopped sending webhooks to ${new URL(endpoint.url).host}`;
      const blocks = [
        paragraph(`Every delivery to ${endpoint.url} for ${endpoint.workspace} failed for 24 hours, so Beckon turned the endpoint off and stopped retrying.`),
        paragraph('Fix the receiver, turn the endpoint on again under Webhooks, and replay the failed deliveries from its log: ', { url: `${deps.publicUrl}/admin/webhooks` }),
        muted('Events that happen while it is off are not kept for it.'),
      ];
      await deps.mailer.send({ to: owners.map((owner) => owner.email), subject, text: renderText(blocks), html: renderHtml(subject, blocks), messageId: messageIdFor(`job-${job.id}.webhook-disabled`, deps.from) });
    },
  };
}

// --- the admin side ----------------------------------------------------------------------------

/** Sends a logged delivery again: a new delivery of the same message (same `webhook-id`), at the end of the queue. */
export async function replayDelivery(db: Database, endpointId: string, deliveryId: number): Promise<typeof webhookDeliveries.$inferSelect | undefined> {
  return db.transaction(async (tx) => {
    const [original] = await tx.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId)));
    if (!original) return undefined;
    const [copy] = await tx.insert(webhookDeliveries).values({ endpointId, messageId: original.messageId, type: original.type, payload: original.payload }).returning();
    await enqueue(tx, { kind: 'webhook.deliver', payload: { endpointId } });
    return copy;
  });
}

/** Starts delivering what waits for an endpoint (after it is turned on again). */
export async function resumeDeliveries(db: Database | Transaction, endpointId: string): Promise<void> {
  await enqueue(db, { kind: 'webhook.deliver', payload: { endpointId } });
}

