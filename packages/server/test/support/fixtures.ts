// Rows the database tests need, inserted the way the services insert them.
import { randomBytes } from 'node:crypto';
import type { Database } from '../../src/db/client.js';
import { bookings, members, participants, studies, workspaces } from '../../src/db/schema.js';

export async function insertWorkspaceWithStudy(db: Database) {
  const [workspace] = await db
    .insert(workspaces)
    .values({ name: 'Acme', publicKey: `pk_${randomBytes(8).toString('hex')}`, identitySecretEncrypted: 'v1.x.y.z' })
    .returning();
  const [maya, jonas] = await db
    .insert(members)
    .values([
      { workspaceId: workspace!.id, email: `maya-${randomBytes(3).toString('hex')}@acme.test`, name: 'Maya', timeZone: 'America/New_York' },
      { workspaceId: workspace!.id, email: `jonas-${randomBytes(3).toString('hex')}@acme.test`, name: 'Jonas', timeZone: 'Europe/Berlin' },
    ])
    .returning();
  const [study, otherStudy] = await db
    .insert(studies)
    .values(
      ['Onboarding', 'Churn'].map((name) => ({
        workspaceId: workspace!.id,
        slug: `${name.toLowerCase()}-${randomBytes(3).toString('hex')}`,
        name,
        intercept: { title: 'Got 20 minutes?', body: 'Tell us how it went.' },
        meetingLocation: { kind: 'google_meet' as const },
      })),
    )
    .returning();
  const [participant] = await db.insert(participants).values({ workspaceId: workspace!.id, userId: 'user-1', email: 'ada@example.com', name: 'Ada' }).returning();
  return { workspace: workspace!, maya: maya!, jonas: jonas!, study: study!, otherStudy: otherStudy!, participant: participant! };
}

type Fixture = Awaited<ReturnType<typeof insertWorkspaceWithStudy>>;

export function bookingValues(fixture: Fixture, start: string, options: { minutes?: number; before?: number; after?: number; hostId?: string; studyId?: string } = {}) {
  const { minutes = 20, before = 0, after = 10 } = options;
  const startsAt = new Date(start);
  const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
  return {
    workspaceId: fixture.workspace.id,
    studyId: options.studyId ?? fixture.study.id,
    hostId: options.hostId ?? fixture.maya.id,
    participantId: fixture.participant.id,
    startsAt,
    endsAt,
    blockedFrom: new Date(startsAt.getTime() - before * 60_000),
    blockedUntil: new Date(endsAt.getTime() + after * 60_000),
    participantTimeZone: 'Europe/Berlin',
    manageTokenHash: randomBytes(32).toString('hex'),
    manageTokenExpiresAt: endsAt,
    icalUid: `${randomBytes(8).toString('hex')}@beckon.test`,
  } satisfies typeof bookings.$inferInsert;
}
