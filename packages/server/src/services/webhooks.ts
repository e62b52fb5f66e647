// Webhook endpoints as the admin API manages them: create (the signing secret answered once,
// stored sealed), list, change (turning one on again resumes what waits for it), delete, the
// delivery log and replay. Sending lives in integrations/webhooks.ts.
import { and, desc, eq } from 'drizzle-orm';
import { toInstant, type WebhookDelivery, type WebhookEndpoint, type WebhookEndpointCreate, type WebhookEndpointCreated, type WebhookEndpointUpdate } from '@beckon/shared/api';
import type { Database } from '../db/client.js';
import { webhookDeliveries, webhookEndpoints } from '../db/schema.js';
import { notFound } from '../errors.js';
import { newWebhookSecret, replayDelivery, resumeDeliveries } from '../integrations/webhooks.js';
import type { SecretBox } from '../security/secrets.js';

type EndpointRow = typeof webhookEndpoints.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const toEndpoint = (row: EndpointRow): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: row.events,
  enabled: row.enabled,
  disabledReason: row.disabledReason,
  createdAt: toInstant(row.createdAt),
});

const toDelivery = (row: DeliveryRow): WebhookDelivery => ({
  id: row.id,
  messageId: row.messageId,
  type: row.type,
  // A delivery in a worker's hands is still waiting, as far as anyone reading the log can tell.
  status: row.status === 'sending' ? 'pending' : row.status,
  attempts: row.attempts,
  responseStatus: row.responseStatus,
  latencyMs: row.latencyMs,
  error: row.lastError,
  createdAt: toInstant(row.createdAt),
  lastAttemptAt: row.lastAttemptAt ? toInstant(row.lastAttemptAt) : null,
  deliveredAt: row.deliveredAt ? toInstant(row.deliveredAt) : null,
  attemptLog: row.attemptLog,
});

async function endpointRow(db: Database, workspaceId: string, id: string): Promise<EndpointRow> {
  const [row] = await db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, id)));
  if (!row) throw notFound('webhook_endpoint_not_found', `No webhook endpoint ${id} in this workspace`);
  return row;
}

export async function listWebhookEndpoints(db: Database, workspaceId: string): Promise<WebhookEndpoint[]> {
  const rows = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.workspaceId, workspaceId)).orderBy(webhookEndpoints.createdAt);
  return rows.map(toEndpoint);
}

export async function getWebhookEndpoint(db: Database, workspaceId: string, id: string): Promise<WebhookEndpoint> {
  return toEndpoint(await endpointRow(db, workspaceId, id));
}

export async function createWebhookEndpoint(deps: { db: Database; secretBox: SecretBox }, workspaceId: string, body: WebhookEndpointCreate): Promise<WebhookEndpointCreated> {
  const secret = newWebhookSecret();
  const [row] = await deps.db
    .insert(webhookEndpoints)
    .values({ workspaceId, url: body.url, description: body.description ?? '', events: body.events ?? [], secretSealed: deps.secretBox.seal(secret) })
    .returning();
  return { ...toEndpoint(row!), secret };
}

export async function updateWebhookEndpoint(db: Database, workspaceId: string, id: string, body: WebhookEndpointUpdate): Promise<WebhookEndpoint> {
  const before = await endpointRow(db, workspaceId, id);
  const turnedOn = body.enabled === true && !before.enabled;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        ...(body.url !== undefined ? { url: body.url } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.events !== undefined ? { events: body.events } : {}),
        ...(body.enabled !== undefined ? { enabled: body.enabled, disabledReason: body.enabled ? null : 'Turned off by a person' } : {}),
        updatedAt: new Date(),
      })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    if (turnedOn) await resumeDeliveries(tx, id);
    return toEndpoint(row!);
  });
}

export async function deleteWebhookEndpoint(db: Database, workspaceId: string, id: string): Promise<void> {
  await endpointRow(db, workspaceId, id);
  await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
}

export async function listWebhookDeliveries(db: Database, workspaceId: string, id: string, query: { status?: WebhookDelivery['status']; limit?: number }): Promise<WebhookDelivery[]> {
  await endpointRow(db, workspaceId, id);
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, id), query.status ? eq(webhookDeliveries.status, query.status) : undefined))
    .orderBy(desc(webhookDeliveries.id))
    .limit(query.limit ?? 50);
  return rows.map(toDelivery);
}

export async function replayWebhookDelivery(db: Database, workspaceId: string, id: string, deliveryId: number): Promise<WebhookDelivery> {
  await endpointRow(db, workspaceId, id);
  const copy = await replayDelivery(db, id, deliveryId);
  if (!copy) throw notFound('webhook_delivery_not_found', `No delivery ${deliveryId} for this endpoint`);
  return toDelivery(copy);
}
