import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Workspace as WorkspaceSettings, WorkspaceUpdate } from '@beckon/shared/api';
import type { Database } from '../db/client.js';
import { apiKeys, workspaces } from '../db/schema.js';
import { randomToken, sha256, type SecretBox } from '../security/secrets.js';
import { contactRulesOf } from './people.js';

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

  /** What is held for the key right now, without asking the database: `false` when nothing is. */
  peek(publicKey: string): Workspace | undefined | false {
    const cached = this.entries.get(publicKey);
    return cached && cached.expiresAt > Date.now() ? cached.workspace : false;
  }

  async get(publicKey: string): Promise<Workspace | undefined> {
    const held = this.peek(publicKey);
    if (held !== false) return held;
    const [workspace] = await this.db.select().from(workspaces).where(eq(workspaces.publicKey, publicKey)).limit(1);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(publicKey, { workspace, expiresAt: Date.now() + this.ttlMs });
    return workspace;
  }

  clear(): void {
    this.entries.clear();
  }

  forgetWorkspace(workspaceId: string): void {
    for (const [publicKey, entry] of this.entries) if (entry.workspace?.id === workspaceId) this.entries.delete(publicKey);
  }
}

/** The workspace as the admin API shows it (never its sealed identity secret). */
export const toWorkspaceSettings = (row: Workspace): WorkspaceSettings => ({
  id: row.id,
  publicKey: row.publicKey,
  name: row.name,
  allowedOrigins: row.allowedOrigins,
  requireIdentityVerification: row.requireIdentityVerification,
  recontactDays: row.recontactDays,
  privacyUrl: row.privacyUrl,
  locale: row.locale,
  theme: row.theme,
  brandName: row.brandName,
  logoUrl: row.logoUrl,
  originsSeen: row.originsSeen,
  timeZone: row.timeZone,
  weeklyTarget: row.weeklyTarget,
  contactRules: contactRulesOf(row),
});

/** Changes settings (the admin routes' change hook makes every process forget the old ones). */
export async function updateWorkspace(db: Database, workspace: Workspace, patch: WorkspaceUpdate): Promise<Workspace> {
  const [row] = await db.update(workspaces).set({ ...patch, updatedAt: new Date() }).where(eq(workspaces.id, workspace.id)).returning();
  return row!;
}

/** A new identity secret; signatures made with the old one stop working now. */
export async function rotateIdentitySecret(db: Database, secretBox: SecretBox, workspace: Workspace): Promise<string> {
  const identitySecret = randomToken('whsec_');
  await db.update(workspaces).set({ identitySecretEncrypted: secretBox.seal(identitySecret), updatedAt: new Date() }).where(eq(workspaces.id, workspace.id));
  return identitySecret;
}

/** The demo site's workspace: the first one created. */
export async function firstWorkspace(db: Database): Promise<Workspace | undefined> {
  const [workspace] = await db.select().from(workspaces).orderBy(asc(workspaces.createdAt)).limit(1);
  return workspace;
}
