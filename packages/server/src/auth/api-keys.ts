// Named API keys for machines: 256-bit random, shown once, stored as SHA-256; full or read-only
// (GET only); last use recorded at most once a minute so a busy integration costs no writes.
import { and, desc, eq, isNull } from 'drizzle-orm';
import { toInstant, type ApiKey } from '@beckon/shared/api';
import type { Database, Transaction } from '../db/client.js';
import { apiKeys, workspaces } from '../db/schema.js';
import { notFound } from '../errors.js';
import { randomToken, sha256 } from '../security/secrets.js';

export type ApiKeyRow = typeof apiKeys.$inferSelect;
type WorkspaceRow = typeof workspaces.$inferSelect;

const LAST_USED_EVERY_MS = 60_000;

export const toApiKey = (row: ApiKeyRow): ApiKey => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  access: row.access,
  lastUsedAt: row.lastUsedAt ? toInstant(row.lastUsedAt) : null,
  revokedAt: row.revokedAt ? toInstant(row.revokedAt) : null,
  createdAt: toInstant(row.createdAt),
});

export async function createApiKey(db: Database | Transaction, workspaceId: string, input: { name: string; access: 'full' | 'read'; createdBy?: string | null }): Promise<{ row: ApiKeyRow; secret: string }> {
  const secret = randomToken('sk_');
  const [row] = await db
    .insert(apiKeys)
    .values({ workspaceId, name: input.name, access: input.access, prefix: secret.slice(0, 10), keyHash: sha256(secret), createdBy: input.createdBy ?? null })
    .returning();
  return { row: row!, secret };
}

export async function listApiKeys(db: Database, workspaceId: string): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.workspaceId, workspaceId)).orderBy(desc(apiKeys.createdAt));
}

export async function findApiKey(db: Database, workspaceId: string, id: string): Promise<ApiKeyRow> {
  const [row] = await db.select().from(apiKeys).where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.id, id))).limit(1);
  if (!row) throw notFound('api_key_not_found', `No API key ${id} in this workspace`);
  return row;
}

export async function revokeApiKey(db: Database, workspaceId: string, id: string): Promise<ApiKeyRow> {
  const key = await findApiKey(db, workspaceId, id);
  if (key.revokedAt) return key;
  const [row] = await db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, key.id)).returning();
  return row!;
}

/** The live key and its workspace for a presented secret, or undefined. */
export async function authenticateApiKey(db: Database, secret: string): Promise<{ key: ApiKeyRow; workspace: WorkspaceRow } | undefined> {
  const [row] = await db
    .select({ key: apiKeys, workspace: workspaces })
    .from(apiKeys)
    .innerJoin(workspaces, eq(apiKeys.workspaceId, workspaces.id))
    .where(and(eq(apiKeys.keyHash, sha256(secret)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) return undefined;
  if (!row.key.lastUsedAt || Date.now() - row.key.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.key.id));
  }
  return row;
}
