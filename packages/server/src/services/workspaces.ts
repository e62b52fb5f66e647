import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { apiKeys, workspaces } from '../db/schema.js';
import { sha256 } from '../security/secrets.js';

export type Workspace = typeof workspaces.$inferSelect;

/** The workspace a secret API key belongs to, or undefined for an unknown or revoked key. */
export async function workspaceForSecretKey(db: Database, secretKey: string): Promise<Workspace | undefined> {
  const [row] = await db
    .select({ workspace: workspaces })
    .from(apiKeys)
    .innerJoin(workspaces, eq(apiKeys.workspaceId, workspaces.id))
    .where(and(eq(apiKeys.keyHash, sha256(secretKey)), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row?.workspace;
}

/**
 * Public routes look the workspace up on every request (and CORS on every preflight), so
 * lookups are cached briefly; an edited origin list takes effect within the TTL.
 */
export class PublicWorkspaceCache {
  private readonly entries = new Map<string, { workspace: Workspace | undefined; expiresAt: number }>();

  constructor(
    private readonly db: Database,
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 10_000,
  ) {}

  async get(publicKey: string): Promise<Workspace | undefined> {
    const cached = this.entries.get(publicKey);
    if (cached && cached.expiresAt > Date.now()) return cached.workspace;
    const [workspace] = await this.db.select().from(workspaces).where(eq(workspaces.publicKey, publicKey)).limit(1);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(publicKey, { workspace, expiresAt: Date.now() + this.ttlMs });
    return workspace;
  }

  forget(publicKey: string): void {
    this.entries.delete(publicKey);
  }
}
