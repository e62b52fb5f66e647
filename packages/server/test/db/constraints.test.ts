// The database keeps the promises even when the application does not: these run on embedded
// PGlite and on the PostgreSQL server.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMITTED_MIGRATIONS } from '../support/migrations.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { migrationStatus } from '../../src/db/migrations-status.js';
import { bookings } from '../../src/db/schema.js';
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
