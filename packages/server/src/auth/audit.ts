// The audit log: one generic mechanism for every admin write. The route table (permissions.ts)
// names each write's action and what it changes; the guard snapshots the target before the
// handler runs and records field-level before/after from the response once it succeeded.
// Secrets are never written (a deny-list of field names, and routes that handle a participant's
// details or a gift card record only the fields they name).
import { and, desc, eq, gte, like, lt, or } from 'drizzle-orm';
import { toInstant, type AuditEntry, type AuditQuery } from '@beckon/shared/api';
import type { Database, Transaction } from '../db/client.js';
import { apiKeys, auditLog, bookings, ssoConnections, users, workspaces } from '../db/schema.js';
import { findMemberRow, getAvailability, toMember } from '../services/members.js';
import { getStudy } from '../services/studies.js';
import { findInvitation, findTeamMember } from './accounts.js';
import { findApiKey, toApiKey } from './api-keys.js';
import type { AuditSpec } from './permissions.js';

type Changes = Record<string, { before?: unknown; after?: unknown }>;
type Snapshot = Record<string, unknown>;

/** Never recorded, whatever the route: credentials and secrets. */
const SECRET_FIELDS = new Set(['apiKey', 'password', 'currentPassword', 'clientSecret', 'secret', 'identitySecret', 'token', 'privateKey', 'credentials', 'code', 'keyHash', 'passwordHash']);

const asObject = (value: unknown): Snapshot | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Snapshot) : undefined);

export async function snapshot(
  deps: { db: Database; publicUrl: string },
  target: NonNullable<AuditSpec['target']>,
  workspace: typeof workspaces.$inferSelect,
  id: string | undefined,
): Promise<Snapshot | undefined> {
  const { db } = deps;
  try {
    switch (target) {
      case 'workspace':
        return { ...workspace, identitySecretEncrypted: undefined };
      case 'sso': {
        const [row] = await db.select().from(ssoConnections).where(eq(ssoConnections.workspaceId, workspace.id));
        return row ? { ...row, clientSecretSealed: undefined } : undefined;
      }
    }
    if (!id) return undefined;
    switch (target) {
      case 'study':
        return await getStudy(db, workspace.id, id, deps.publicUrl);
      case 'member':
        return toMember(await findMemberRow(db, workspace.id, id));
      case 'availability':
        return await getAvailability(db, await findMemberRow(db, workspace.id, id));
      case 'booking': {
        const [row] = await db.select({ status: bookings.status, hostId: bookings.hostId, start: bookings.startsAt, startsAt: bookings.startsAt, endsAt: bookings.endsAt }).from(bookings).where(and(eq(bookings.workspaceId, workspace.id), eq(bookings.id, id)));
        return row;
      }
      case 'membership':
        return await findTeamMember(db, workspace.id, id);
      case 'api_key':
        return toApiKey(await findApiKey(db, workspace.id, id));
      case 'invitation':
        return await findInvitation(db, workspace.id, id);
      default:
        return undefined;
    }
  } catch {
    // The target does not exist: the handler answers 404 and nothing is recorded.
    return undefined;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const plain = (value: unknown) => (value instanceof Date ? toInstant(value) : value);

/** Field-level before/after of one write. */
export function changesOf(spec: AuditSpec, input: { method: string; body: unknown; before: Snapshot | undefined; response: unknown }): Changes {
  const body = asObject(input.body);
  const response = asObject(input.response);
  const after = asObject(response?.key) ?? response;
  const fields = (spec.fields ?? Object.keys(body ?? {})).filter((field) => !SECRET_FIELDS.has(field));
  const changes: Changes = {};
  for (const field of fields) {
    const before = plain(input.before?.[field]);
    const deleting = input.method === 'DELETE' && !after;
    const afterValue = deleting ? undefined : plain(after && field in after ? after[field] : body?.[field]);
    if (input.before && !deleting && same(before, afterValue)) continue;
    const entry: Changes[string] = {};
    if (input.before) entry.before = before ?? null;
    if (!deleting) entry.after = afterValue ?? null;
    changes[field] = entry;
  }
  return changes;
}

export interface AuditRecord {
  workspaceId: string;
  actor: { type: 'user' | 'api_key' | 'system'; userId?: string | null; apiKeyId?: string | null };
  ip: string | null;
  action: string;
  route: string | null;
  targetId: string | null;
  changes: Changes;
}

export async function recordAudit(db: Database | Transaction, record: AuditRecord): Promise<void> {
  await db.insert(auditLog).values({
    workspaceId: record.workspaceId,
    actorType: record.actor.type,
    actorUserId: record.actor.userId ?? null,
    actorApiKeyId: record.actor.apiKeyId ?? null,
    ip: record.ip,
    action: record.action,
    route: record.route,
    targetId: record.targetId,
    changes: record.changes,
  });
}

export async function listAudit(db: Database, workspaceId: string, query: AuditQuery): Promise<AuditEntry[]> {
  const action = query.action;
  const rows = await db
    .select({ entry: auditLog, userEmail: users.email, keyName: apiKeys.name })
    .from(auditLog)
    .leftJoin(users, eq(auditLog.actorUserId, users.id))
    .leftJoin(apiKeys, eq(auditLog.actorApiKeyId, apiKeys.id))
    .where(
      and(
        eq(auditLog.workspaceId, workspaceId),
        query.actor && /^[0-9a-f-]{36}$/i.test(query.actor) ? or(eq(auditLog.actorUserId, query.actor), eq(auditLog.actorApiKeyId, query.actor)) : undefined,
        query.actor && !/^[0-9a-f-]{36}$/i.test(query.actor) ? eq(users.email, query.actor.toLowerCase()) : undefined,
        action ? (action.endsWith('.') ? like(auditLog.action, `${action.replace(/[%_\\]/g, '\\$&')}%`) : eq(auditLog.action, action)) : undefined,
        query.from ? gte(auditLog.at, new Date(query.from)) : undefined,
        query.to ? lt(auditLog.at, new Date(query.to)) : undefined,
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(query.limit);
  return rows.map(({ entry, userEmail, keyName }) => ({
    id: entry.id,
    at: toInstant(entry.at),
    actor: {
      type: entry.actorType,
      id: entry.actorUserId ?? entry.actorApiKeyId ?? null,
      label: entry.actorType === 'user' ? (userEmail ?? null) : entry.actorType === 'api_key' ? (keyName ?? null) : null,
    },
    ip: entry.ip,
    action: entry.action,
    route: entry.route,
    targetId: entry.targetId,
    changes: entry.changes,
  }));
}
