// Intercept events from the widget (shown, dismissed, opted in, …): the funnel's raw data, and
// what the server remembers of identified users.
import { and, eq, inArray } from 'drizzle-orm';
import type { InterceptEvent } from '@beckon/shared/api';
import type { Database } from '../db/client.js';
import { interceptEvents, studies } from '../db/schema.js';
import { unprocessable } from '../errors.js';
import type { SecretBox } from '../security/secrets.js';
import { assertSigned } from './identity.js';
import { recordParticipantSignals } from './participants.js';
import type { Workspace } from './workspaces.js';

/**
 * Records a batch, all or nothing, so a retry after fixing it cannot double-count. When the
 * workspace verifies identity, an event about an identified user needs that user's signature:
 * otherwise anyone could opt someone else out of every study.
 */
export async function recordEvents(db: Database, secretBox: SecretBox, workspace: Workspace, events: InterceptEvent[], now = new Date()): Promise<void> {
  const workspaceId = workspace.id;
  if (workspace.requireIdentityVerification) {
    events.forEach((event, index) => {
      if (event.userId !== undefined) assertSigned(workspace, secretBox, { ...event, userId: event.userId }, `events.${index}.signature`);
    });
  }
  const studyIds = [...new Set(events.map((event) => event.studyId))];
  const known = await db
    .select({ id: studies.id })
    .from(studies)
    .where(and(eq(studies.workspaceId, workspaceId), inArray(studies.id, studyIds)));
  const knownIds = new Set(known.map((row) => row.id));
  const unknownAt = events.findIndex((event) => !knownIds.has(event.studyId));
  if (unknownAt >= 0) throw unprocessable('study_not_found', 'No study with this id in this workspace', `events.${unknownAt}.studyId`);
  await db.transaction(async (tx) => {
    await tx.insert(interceptEvents).values(
      events.map((event) => ({
        workspaceId,
        studyId: event.studyId,
        kind: event.kind,
        // A client clock far in the future would distort the funnel; keep what it says otherwise.
        at: new Date(Math.min(Date.parse(event.at), now.getTime())),
        anonymousId: event.anonymousId,
        userId: event.userId,
        url: event.url,
      })),
    );
    await recordParticipantSignals(tx, workspaceId, events, now);
  });
}
