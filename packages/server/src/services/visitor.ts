// The configuration for one identified visitor: the workspace's configuration, less the studies
// the contact rules forbid for this person (on any device), and their eligibility recorded.
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { mayMatch, type Rule } from '@beckon/shared/rules';
import type { ContactRuleName, WidgetConfig } from '@beckon/shared/api';
import type { Database } from '../db/client.js';
import { interceptEvents, participants } from '../db/schema.js';
import type { SecretBox } from '../security/secrets.js';
import { verifiedIdentity } from './identity.js';
import { contactVerdict, resolvePerson, ruleFor } from './people.js';
import type { Workspace } from './workspaces.js';

const DAY_MS = 86_400_000;

export interface VisitorClaim {
  userId: string;
  anonymousId?: string;
  signature?: string;
  /** identify()'s traits, exactly what the signature covers. */
  traits: Record<string, unknown>;
}

/**
 * `config` for this person: the studies a contact rule holds back are left out (and named in
 * `visitor.blocked`). Eligibility is recorded here, the one place the server sees a signed
 * identity next to every study's targeting: an `eligible` event per live study whose targeting
 * the signed traits may match, at most once a day per person and study, whether or not the
 * page then shows it. Anonymous visitors are never recorded as eligible.
 */
export async function visitorConfig(db: Database, secretBox: SecretBox, workspace: Workspace, config: WidgetConfig, claim: VisitorClaim, now = new Date()): Promise<WidgetConfig> {
  const identity = verifiedIdentity(workspace, secretBox, { userId: claim.userId, signature: claim.signature, traits: claim.traits }, 'signature');
  const traits = identity.traits ?? {};
  const { personId, verdict } = await db.transaction(async (tx) => {
    const personId = await resolvePerson(tx, workspace.id, { userId: claim.userId, traits }, now);
    // The user id's participant record, made on first sight (no write when it is already theirs).
    const [known] = await tx.select({ id: participants.id, personId: participants.personId }).from(participants).where(and(eq(participants.workspaceId, workspace.id), eq(participants.userId, claim.userId)));
    const [record] =
      known?.personId === personId
        ? [known]
        : await tx
            .insert(participants)
            .values({ workspaceId: workspace.id, userId: claim.userId, personId })
            .onConflictDoUpdate({ target: [participants.workspaceId, participants.userId], targetWhere: sql`${participants.userId} is not null`, set: { personId } })
            .returning({ id: participants.id });
    const eligible = config.studies.filter((study) => mayMatch(study.targeting as Rule | null, { userId: claim.userId, traits }, now)).map((study) => study.id);
    if (eligible.length > 0) {
      const recent = await tx
        .select({ studyId: interceptEvents.studyId })
        .from(interceptEvents)
        .where(and(eq(interceptEvents.participantId, record!.id), eq(interceptEvents.kind, 'eligible'), inArray(interceptEvents.studyId, eligible), gte(interceptEvents.at, new Date(now.getTime() - DAY_MS))));
      const already = new Set(recent.map((row) => row.studyId));
      const fresh = eligible.filter((id) => !already.has(id));
      if (fresh.length > 0) {
        await tx.insert(interceptEvents).values(
          fresh.map((studyId) => ({ workspaceId: workspace.id, studyId, kind: 'eligible' as const, at: now, anonymousId: claim.anonymousId ?? claim.userId, userId: claim.userId, participantId: record!.id })),
        );
      }
    }
    return { personId, verdict: await contactVerdict(tx, workspace, personId, now) };
  });
  const blocked: { studyId: string; rule: ContactRuleName }[] = [];
  const studies = config.studies.filter((study) => {
    const rule = ruleFor(verdict, study.id);
    if (rule) blocked.push({ studyId: study.id, rule });
    return !rule;
  });
  return { ...config, studies, visitor: { personId, blocked } };
}
