// Intercept events from the widget (shown, dismissed, opted in, …): the funnel's raw data, and
// what the server remembers of identified users.
import { and, eq, inArray } from 'drizzle-orm';
import type { ContactRefusal, InterceptEvent } from '@beckon/shared/api';
import type { Database } from '../db/client.js';
import { interceptEvents, studies } from '../db/schema.js';
import { unprocessable } from '../errors.js';
import type { SecretBox } from '../security/secrets.js';
import { assertSigned } from './identity.js';
import { recordParticipantSignals } from './participants.js';
import { contactVerdict, ruleFor, type ContactVerdict } from './people.js';
import type { Workspace } from './workspaces.js';

/**
 * Records a batch, all or nothing, so a retry after fixing it cannot double-count. When the
 * workspace verifies identity, an event about an identified user needs that user's signature:
 * otherwise anyone could opt someone else out of every study.
 */
export async function recordEvents(db: Database, secretBox: SecretBox, workspace: Workspace, events: InterceptEvent[], now = new Date()): Promise<ContactRefusal[]> {
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
  return db.transaction(async (tx) => {
    const linked = await recordParticipantSignals(tx, workspaceId, events, now);
    // The contact rules, as they stood before this batch: an intercept shown, or an opt-in, that
    // the rules forbid is named in the answer (the widget's local filter let it through: another
    // device, cleared storage). The event is still recorded: it happened, and it counts.
    const refused: ContactRefusal[] = [];
    const verdicts = new Map<string, ContactVerdict>();
    for (const event of events) {
      const person = event.userId ? linked.get(event.userId) : undefined;
      if (!person || (event.kind !== 'shown' && event.kind !== 'opted_in')) continue;
      if (!verdicts.has(person.personId)) verdicts.set(person.personId, await contactVerdict(tx, workspace, person.personId, now));
      const rule = ruleFor(verdicts.get(person.personId)!, event.studyId);
      if (rule && !refused.some((r) => r.studyId === event.studyId && r.kind === event.kind)) refused.push({ studyId: event.studyId, kind: event.kind, rule });
    }
    await tx.insert(interceptEvents).values(
      events.map((event) => ({
        workspaceId,
        studyId: event.studyId,
        kind: event.kind,
        // A client clock far in the future would distort the funnel; keep what it says otherwise.
        at: new Date(Math.min(Date.parse(event.at), now.getTime())),
        anonymousId: event.anonymousId,
        userId: event.userId,
        participantId: event.userId ? linked.get(event.userId)?.participantId : undefined,
        url: event.url,
      })),
    );
    return refused;
  });
}
