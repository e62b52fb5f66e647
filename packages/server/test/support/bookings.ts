// Bookings written straight into the table, for tests of what is read from them (the week's
// health, pacing, the digest): no slot or quota logic involved.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { bookings, participants } from '../../src/db/schema.js';
import type { TestApp } from './app.js';

type Status = 'confirmed' | 'cancelled' | 'completed' | 'no_show';

export async function insertBookings(t: TestApp, rows: { studyId: string; hostId: string; createdAt: Date; startsAt: Date; status: Status; name?: string }[]): Promise<void> {
  if (rows.length === 0) return;
  const workspaceId = t.workspace.workspaceId;
  const people = await t.app.db
    .insert(participants)
    .values(rows.map((row) => ({ workspaceId, userId: `booked-${randomUUID()}`, email: `${randomUUID()}@example.test`, name: row.name ?? 'Booked Person' })))
    .returning({ id: participants.id });
  await t.app.db.insert(bookings).values(
    rows.map((row, i) => {
      const endsAt = new Date(row.startsAt.getTime() + 20 * 60_000);
      return {
        workspaceId,
        studyId: row.studyId,
        hostId: row.hostId,
        participantId: people[i]!.id,
        status: row.status,
        startsAt: row.startsAt,
        endsAt,
        blockedFrom: row.startsAt,
        blockedUntil: endsAt,
        participantTimeZone: 'UTC',
        manageTokenHash: randomBytes(32).toString('hex'),
        manageTokenExpiresAt: endsAt,
        icalUid: `${randomBytes(8).toString('hex')}@beckon.test`,
        createdAt: row.createdAt,
        ...(row.status === 'cancelled' ? { cancelledAt: row.createdAt, cancelledBy: 'participant' as const } : {}),
      };
    }),
  );
}

/**
 * Intercept traffic spread evenly over [from, to): `shown` visitors, the first `optedIn` of them
 * opting in and the first `screenedOut` of those screened out (generated in the database, so a
 * realistic week costs one statement per kind).
 */
export async function insertTraffic(t: TestApp, studyId: string, range: { from: Date; to: Date }, counts: { shown: number; optedIn: number; screenedOut: number }): Promise<void> {
  const workspaceId = t.workspace.workspaceId;
  const step = (range.to.getTime() - range.from.getTime()) / counts.shown;
  const tag = randomUUID().slice(0, 8);
  for (const [kind, n] of [['shown', counts.shown], ['opted_in', counts.optedIn], ['screened_out', counts.screenedOut]] as const) {
    if (n === 0) continue;
    await t.app.db.execute(sql`
      insert into intercept_events (workspace_id, study_id, kind, at, anonymous_id)
      select ${workspaceId}::uuid, ${studyId}::uuid, ${kind}, ${range.from.toISOString()}::timestamptz + (i * ${step}::float8) * interval '1 millisecond', ${tag} || '-' || i
      from generate_series(0, ${n - 1}) as i`);
  }
}
