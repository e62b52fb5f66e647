// A study's funnel: eligible → shown → opted in → qualified → booked → attended, and where
// bookings came from. Widget steps count distinct browsers; bookings count bookings.
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { toInstant, type Funnel } from '@beckon/shared/api';
import type { Database } from '../db/client.js';
import { bookings, interceptEvents } from '../db/schema.js';
import { findStudyRow } from './studies.js';

export async function studyFunnel(db: Database, workspaceId: string, studyId: string, range: { from?: string; to?: string }): Promise<Funnel> {
  const study = await findStudyRow(db, workspaceId, studyId);
  const from = range.from ? new Date(range.from) : null;
  const to = range.to ? new Date(range.to) : null;
  const inRange = (column: typeof interceptEvents.at | typeof bookings.createdAt) => and(from ? gte(column, from) : undefined, to ? lt(column, to) : undefined);
  const [events, booked] = await Promise.all([
    db
      .select({ kind: interceptEvents.kind, n: sql<number>`count(distinct ${interceptEvents.anonymousId})`.mapWith(Number) })
      .from(interceptEvents)
      .where(and(eq(interceptEvents.studyId, study.id), inRange(interceptEvents.at)))
      .groupBy(interceptEvents.kind),
    db
      .select({ status: bookings.status, source: bookings.source, n: sql<number>`count(*)`.mapWith(Number) })
      .from(bookings)
      .where(and(eq(bookings.studyId, study.id), inRange(bookings.createdAt)))
      .groupBy(bookings.status, bookings.source),
  ]);
  const people = (kind: string) => events.find((row) => row.kind === kind)?.n ?? 0;
  const bookedCount = booked.reduce((sum, row) => sum + row.n, 0);
  const attended = booked.filter((row) => row.status === 'completed').reduce((sum, row) => sum + row.n, 0);
  const sources = new Map<string, number>();
  for (const row of booked) sources.set(row.source, (sources.get(row.source) ?? 0) + row.n);
  const optedIn = people('opted_in');
  return {
    studyId: study.id,
    from: from ? toInstant(from) : null,
    to: to ? toInstant(to) : null,
    // A step never counts fewer than the one after it: a browser shown the intercept was eligible,
    // and every booking was qualified.
    steps: [
      { step: 'eligible', count: Math.max(people('eligible'), people('shown')) },
      { step: 'shown', count: people('shown') },
      { step: 'opted_in', count: optedIn },
      { step: 'qualified', count: Math.max(optedIn - people('screened_out'), bookedCount) },
      { step: 'booked', count: bookedCount },
      { step: 'attended', count: attended },
    ],
    sources: [...sources].map(([source, count]) => ({ source, count })).sort((a, b) => b.count - a.count),
  };
}
