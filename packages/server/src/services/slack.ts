// Slack incoming webhooks as the admin API manages them: add (the URL sealed, never shown
// again but its end), list, remove. Posting lives in integrations/slack.ts.
import { and, eq } from 'drizzle-orm';
import { toInstant, type SlackWebhook, type SlackWebhookCreate } from '@beckon/shared/api';
import type { Database } from '../db/client.js';
import { slackWebhooks, studies } from '../db/schema.js';
import { notFound } from '../errors.js';
import type { SecretBox } from '../security/secrets.js';

const toSlackWebhook = (row: typeof slackWebhooks.$inferSelect, url: string): SlackWebhook => ({
  id: row.id,
  studyId: row.studyId,
  label: row.label,
  urlEnd: `…${url.slice(-4)}`,
  createdAt: toInstant(row.createdAt),
});

export async function listSlackWebhooks(deps: { db: Database; secretBox: SecretBox }, workspaceId: string): Promise<SlackWebhook[]> {
  const rows = await deps.db.select().from(slackWebhooks).where(eq(slackWebhooks.workspaceId, workspaceId)).orderBy(slackWebhooks.createdAt);
  return rows.map((row) => toSlackWebhook(row, deps.secretBox.open(row.urlSealed)));
}

export async function createSlackWebhook(deps: { db: Database; secretBox: SecretBox }, workspaceId: string, body: SlackWebhookCreate): Promise<SlackWebhook> {
  if (body.studyId) {
    const [study] = await deps.db.select({ id: studies.id }).from(studies).where(and(eq(studies.workspaceId, workspaceId), eq(studies.id, body.studyId)));
    if (!study) throw notFound('study_not_found', `No study ${body.studyId} in this workspace`);
  }
  const [row] = await deps.db
    .insert(slackWebhooks)
    .values({ workspaceId, studyId: body.studyId ?? null, label: body.label ?? '', urlSealed: deps.secretBox.seal(body.url) })
    .returning();
  return toSlackWebhook(row!, body.url);
}

export async function deleteSlackWebhook(db: Database, workspaceId: string, id: string): Promise<void> {
  const deleted = await db.delete(slackWebhooks).where(and(eq(slackWebhooks.workspaceId, workspaceId), eq(slackWebhooks.id, id))).returning({ id: slackWebhooks.id });
  if (deleted.length === 0) throw notFound('slack_webhook_not_found', `No Slack webhook ${id} in this workspace`);
}
