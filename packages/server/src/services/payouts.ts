// The workspace's Tremendous account as the admin API manages it: shown without its key (only
// whether one is set and its last 4 characters), saved only after Tremendous accepted the key and
// knows the funding source, removed. Saving releases the rewards held for want of an account.
// Ordering lives in integrations/payouts.ts.
import { eq } from 'drizzle-orm';
import { toInstant, type TremendousSettings, type TremendousSettingsUpdate } from '@beckon/shared/api';
import type { Database } from '../db/client.js';
import { tremendousAccounts } from '../db/schema.js';
import { notFound, unprocessable } from '../errors.js';
import { checkTremendousAccount, releaseHeldPayouts, type TremendousApiUrls } from '../integrations/payouts.js';
import type { SecretBox } from '../security/secrets.js';

interface PayoutSettingsDeps {
  db: Database;
  secretBox: SecretBox;
  apiUrls: TremendousApiUrls;
  /** The server has a key of its own (TREMENDOUS_API_KEY), the default for workspaces without one. */
  serverDefault: boolean;
}

export async function getTremendousSettings(deps: PayoutSettingsDeps, workspaceId: string): Promise<TremendousSettings> {
  const [row] = await deps.db.select().from(tremendousAccounts).where(eq(tremendousAccounts.workspaceId, workspaceId));
  if (!row) return { configured: false, environment: null, apiKeyEnd: null, fundingSourceId: null, campaignId: null, updatedAt: null, serverDefault: deps.serverDefault };
  return {
    configured: true,
    environment: row.environment,
    apiKeyEnd: row.apiKeyEnd,
    fundingSourceId: row.fundingSourceId,
    campaignId: row.campaignId,
    updatedAt: toInstant(row.updatedAt),
    serverDefault: deps.serverDefault,
  };
}

export async function saveTremendousSettings(deps: PayoutSettingsDeps, workspaceId: string, body: TremendousSettingsUpdate): Promise<TremendousSettings> {
  const [existing] = await deps.db.select().from(tremendousAccounts).where(eq(tremendousAccounts.workspaceId, workspaceId));
  const apiKey = body.apiKey ?? (existing ? deps.secretBox.open(existing.apiKeySealed) : undefined);
  if (!apiKey) throw unprocessable('tremendous_key_missing', 'Enter the Tremendous API key (Tremendous → Team settings → Developers)', 'apiKey');
  const fundingSourceId = body.fundingSourceId ?? existing?.fundingSourceId ?? 'balance';
  const campaignId = body.campaignId === undefined ? (existing?.campaignId ?? null) : body.campaignId;
  const check = await checkTremendousAccount({ apiKey, apiUrl: deps.apiUrls[body.environment], fundingSourceId });
  if (check === 'key') throw unprocessable('tremendous_key_refused', `Tremendous's ${body.environment} environment refused this API key; check the key and that it belongs to ${body.environment}`, 'apiKey');
  if (check === 'funding_source') throw unprocessable('tremendous_funding_source_unknown', `The Tremendous account has no funding source ${fundingSourceId}`, 'fundingSourceId');
  if (check === 'unreachable') throw unprocessable('tremendous_unreachable', 'Tremendous could not be reached to check the key; nothing was saved, try again', 'apiKey');
  const values = { environment: body.environment, apiKeySealed: deps.secretBox.seal(apiKey), apiKeyEnd: apiKey.slice(-4), fundingSourceId, campaignId, updatedAt: new Date() };
  await deps.db.transaction(async (tx) => {
    await tx.insert(tremendousAccounts).values({ workspaceId, ...values }).onConflictDoUpdate({ target: tremendousAccounts.workspaceId, set: values });
    await releaseHeldPayouts(tx, workspaceId);
  });
  return getTremendousSettings(deps, workspaceId);
}

export async function deleteTremendousSettings(db: Database, workspaceId: string): Promise<void> {
  const deleted = await db.delete(tremendousAccounts).where(eq(tremendousAccounts.workspaceId, workspaceId)).returning({ workspaceId: tremendousAccounts.workspaceId });
  if (deleted.length === 0) throw notFound('tremendous_not_connected', 'This workspace has no Tremendous account connected');
}
