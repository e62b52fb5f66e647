// The database keeps the promises even when the application does not: these run on embedded
// PGlite and on the PostgreSQL server.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMITTED_MIGRATIONS } from '../support/migrations.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { migrationStatus } from '../../src/db/migrations-status.js';
import { bookings, calendarConnections, members } from '../../src/db/schema.js';
import { MIGRATIONS_FOLDER } from '../../src/db/client.js';
import { PG, pgCode } from '../../src/errors.js';
import { availableKinds, openTestDatabase } from '../support/database.js';
import { bookingValues, insertWorkspaceWithStudy } from '../support/fixtures.js';

describe.each(availableKinds)('database on %s', (kind) => {
  let database: DatabaseHandle;
  let fixture: Awaited<ReturnType<typeof insertWorkspaceWithStudy>>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    fixture = await insertWorkspaceWithStudy(database.db);
  });
  afterAll(() => database.close());

  const insert = (start: string, options?: Parameters<typeof bookingValues>[2]) =>
    database.db.insert(bookings).values(bookingValues(fixture, start, options)).returning();

  const rejection = async (promise: Promise<unknown>) => pgCode(await promise.then(() => undefined, (error: unknown) => error));

  it('applies every committed migration, and applying again changes nothing', async () => {
    expect(await migrationStatus(database.db)).toEqual({ applied: COMMITTED_MIGRATIONS, committed: COMMITTED_MIGRATIONS, current: true });
    await database.migrate();
    expect(await migrationStatus(database.db)).toEqual({ applied: COMMITTED_MIGRATIONS, committed: COMMITTED_MIGRATIONS, current: true });
  });

  it('rejects an overlapping confirmed booking of the same host', async () => {
    await insert('2026-03-02T15:00:00Z');
    // Starts 10 minutes into the first one.
    expect(await rejection(insert('2026-03-02T15:10:00Z'))).toBe(PG.exclusionViolation);
    // Identical interval.
    expect(await rejection(insert('2026-03-02T15:00:00Z'))).toBe(PG.exclusionViolation);
  });

  it('counts buffers as taken time, and lets exactly touching intervals through', async () => {
    await insert('2026-03-03T15:00:00Z', { after: 10 }); // blocks 15:00–15:30
    // 15:20 is after the interview but inside its 10-minute buffer.
    expect(await rejection(insert('2026-03-03T15:20:00Z', { after: 0 }))).toBe(PG.exclusionViolation);
    // A before-buffer reaching back into the first one's after-buffer also collides.
    expect(await rejection(insert('2026-03-03T15:35:00Z', { before: 10, after: 0 }))).toBe(PG.exclusionViolation);
    // Half-open ranges: [15:00, 15:30) and [15:30, 15:50) do not overlap.
    await expect(insert('2026-03-03T15:30:00Z', { after: 0 })).resolves.toHaveLength(1);
  });

  it('guards a host across studies, but not different hosts', async () => {
    await insert('2026-03-04T15:00:00Z');
    expect(await rejection(insert('2026-03-04T15:05:00Z', { studyId: fixture.otherStudy.id }))).toBe(PG.exclusionViolation);
    await expect(insert('2026-03-04T15:00:00Z', { hostId: fixture.jonas.id })).resolves.toHaveLength(1);
  });

  it('keeps at most one write calendar per member, and any number of read-only ones', async () => {
    const connection = (memberId: string, writeCalendarId: string | null) =>
      database.db.insert(calendarConnections).values({ memberId, provider: 'caldav', label: 'x', busyCalendarIds: ['a'], writeCalendarId }).returning();
    await connection(fixture.maya.id, 'https://dav.test/maya/work/');
    await expect(connection(fixture.maya.id, null)).resolves.toHaveLength(1);
    expect(await rejection(connection(fixture.maya.id, 'https://dav.test/maya/home/'))).toBe(PG.uniqueViolation);
    await expect(connection(fixture.jonas.id, 'https://dav.test/jonas/work/')).resolves.toHaveLength(1);
  });

  it('migrating a member left with two write calendars keeps the active one, then the oldest', async () => {
    const [cleanup] = readFileSync(path.join(MIGRATIONS_FOLDER, '0005_one_write_calendar.sql'), 'utf8').split('--> statement-breakpoint');
    const other = (await database.db.insert(members).values({ workspaceId: fixture.workspace.id, email: `ana-${Date.now()}@acme.test`, name: 'Ana', timeZone: 'UTC' }).returning())[0]!;
    await database.db.execute(sql`drop index calendar_connections_one_write_calendar_uq`);
    try {
      const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));
      const rows = await database.db
        .insert(calendarConnections)
        .values([
          { memberId: other.id, provider: 'caldav', label: 'oldest, broken', busyCalendarIds: [], writeCalendarId: 'w1', status: 'broken', createdAt: at(0) },
          { memberId: other.id, provider: 'caldav', label: 'older active', busyCalendarIds: [], writeCalendarId: 'w2', createdAt: at(1) },
          { memberId: other.id, provider: 'caldav', label: 'newer active', busyCalendarIds: [], writeCalendarId: 'w3', createdAt: at(2) },
        ])
        .returning();
      await database.db.execute(sql.raw(cleanup!));
      const after = await database.db.select().from(calendarConnections).where(eq(calendarConnections.memberId, other.id));
      expect(after.filter((row) => row.writeCalendarId).map((row) => row.label)).toEqual(['older active']);
      expect(after).toHaveLength(rows.length); // nothing else changed
    } finally {
      await database.db.execute(sql`create unique index if not exists calendar_connections_one_write_calendar_uq on calendar_connections (member_id) where write_calendar_id is not null`);
    }
  });

  it('rejects an interval that ends before it starts', async () => {
    const values = { ...bookingValues(fixture, '2026-03-05T15:00:00Z'), endsAt: new Date('2026-03-05T14:00:00Z') };
    expect(await rejection(database.db.insert(bookings).values(values))).toBe(PG.checkViolation);
  });

  it('round-trips a booking: book, read, cancel, and the freed slot can be booked again', async () => {
    const [booked] = await insert('2026-03-06T15:00:00Z');
    const [read] = await database.db.select().from(bookings).where(eq(bookings.id, booked!.id));
    expect(read).toMatchObject({
      status: 'confirmed',
      startsAt: new Date('2026-03-06T15:00:00Z'),
      endsAt: new Date('2026-03-06T15:20:00Z'),
      blockedUntil: new Date('2026-03-06T15:30:00Z'),
      participantTimeZone: 'Europe/Berlin',
      icalSequence: 0,
    });
    expect(await rejection(insert('2026-03-06T15:00:00Z'))).toBe(PG.exclusionViolation);

    await database.db.update(bookings).set({ status: 'cancelled', cancelledAt: new Date(), cancelledBy: 'participant' }).where(eq(bookings.id, booked!.id));
    const [again] = await insert('2026-03-06T15:00:00Z');
    expect(again!.status).toBe('confirmed');
    // Reviving the cancelled booking would overlap the new one, so the database refuses.
    expect(await rejection(database.db.update(bookings).set({ status: 'confirmed' }).where(eq(bookings.id, booked!.id)))).toBe(PG.exclusionViolation);
  });
});
