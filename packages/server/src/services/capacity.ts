// Whether a study can take a booking right now: live, under its quotas, and with hosts.
// A study without capacity is never shown, so nobody is invited to an empty calendar.
import { and, count, eq, gte, inArray } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { bookings, studyMembers } from '../db/schema.js';
import type { StudyRow } from './studies.js';

const ACTIVE_STATUSES = ['confirmed', 'completed'] as const;

function startOfUtcWeek(now: Date): Date {
  const day = (now.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - day));
}

export async function bookableStudyIds(db: Database, candidates: StudyRow[], now: Date): Promise<Set<string>> {
  const ids = candidates.map((study) => study.id);
  if (ids.length === 0) return new Set();
  const weekStart = startOfUtcWeek(now);
  const [hosts, totals, thisWeek] = await Promise.all([
    db.select({ studyId: studyMembers.studyId, n: count() }).from(studyMembers).where(and(inArray(studyMembers.studyId, ids), eq(studyMembers.role, 'host'))).groupBy(studyMembers.studyId),
    db.select({ studyId: bookings.studyId, n: count() }).from(bookings).where(and(inArray(bookings.studyId, ids), inArray(bookings.status, ACTIVE_STATUSES))).groupBy(bookings.studyId),
    db
      .select({ studyId: bookings.studyId, n: count() })
      .from(bookings)
      .where(and(inArray(bookings.studyId, ids), inArray(bookings.status, ACTIVE_STATUSES), gte(bookings.startsAt, weekStart)))
      .groupBy(bookings.studyId),
  ]);
  const countOf = (rows: { studyId: string; n: number }[], id: string) => rows.find((row) => row.studyId === id)?.n ?? 0;
  return new Set(
    candidates
      .filter((study) => study.status === 'live')
      .filter((study) => countOf(hosts, study.id) > 0)
      .filter((study) => study.totalQuota === null || countOf(totals, study.id) < study.totalQuota)
      .filter((study) => study.weeklyQuota === null || countOf(thisWeek, study.id) < study.weeklyQuota)
      .map((study) => study.id),
  );
}
