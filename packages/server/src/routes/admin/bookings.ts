import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AdminBooking, AdminBookingList, AdminBookingParams, AdminBookingsQuery, ErrorBody, Funnel, FunnelQuery, StudyParams, toInstant } from '@beckon/shared/api';
import { bookings, interceptEvents, participants } from '../../db/schema.js';
import { bookingDeps, cancelBooking, markOutcome } from '../../services/booking.js';
import { findStudyRow } from '../../services/studies.js';

type BookingRow = typeof bookings.$inferSelect;
type ParticipantRow = typeof participants.$inferSelect;

function toAdminBooking(row: BookingRow, participant: Pick<ParticipantRow, 'name' | 'email'> | null): AdminBooking {
  return {
    id: row.id,
    studyId: row.studyId,
    hostId: row.hostId,
    coHostIds: row.coHostIds,
    start: toInstant(row.startsAt),
    end: toInstant(row.endsAt),
    status: row.status,
    participant: { name: participant?.name ?? null, email: participant?.email ?? null, timeZone: row.participantTimeZone },
    source: row.source,
    answers: row.answers,
    createdAt: toInstant(row.createdAt),
  };
}

export const bookingAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ErrorBody };
  const deps = () => bookingDeps(app);

  app.get('/bookings', { schema: { summary: 'Bookings, by study and time', querystring: AdminBookingsQuery, response: { 200: AdminBookingList, ...errors } } }, async (request) => {
    const { studyId, from, to } = request.query;
    const rows = await app.db
      .select({ booking: bookings, participant: { name: participants.name, email: participants.email } })
      .from(bookings)
      .leftJoin(participants, eq(bookings.participantId, participants.id))
      .where(
        and(
          eq(bookings.workspaceId, request.workspace.id),
          studyId ? eq(bookings.studyId, studyId) : undefined,
          from ? gte(bookings.startsAt, new Date(from)) : undefined,
          to ? lt(bookings.startsAt, new Date(to)) : undefined,
        ),
      )
      .orderBy(asc(bookings.startsAt))
      .limit(1000);
    return { bookings: rows.map((row) => toAdminBooking(row.booking, row.participant)) };
  });

  const action = (path: string, summary: string, run: (workspaceId: string, id: string) => Promise<BookingRow>) =>
    app.post(`/bookings/:id/${path}`, { schema: { summary, params: AdminBookingParams, response: { 200: AdminBooking, ...errors } } }, async (request) => {
      const booking = await run(request.workspace.id, request.params.id);
      app.capacity.forget(booking.studyId);
      const [participant] = await app.db.select().from(participants).where(eq(participants.id, booking.participantId));
      return toAdminBooking(booking, participant ?? null);
    });
  action('cancel', 'Cancel on the host side; the participant is told', (workspaceId, id) => cancelBooking(deps(), { id, workspaceId }, 'host'));
  action('complete', 'Mark the interview done (the incentive becomes due)', (workspaceId, id) => markOutcome(app.db, workspaceId, id, 'completed'));
  action('no-show', 'Mark that the participant did not come', (workspaceId, id) => markOutcome(app.db, workspaceId, id, 'no_show'));

  app.get(
    '/studies/:id/funnel',
    { schema: { summary: 'Counts per step: eligible → shown → opted in → qualified → booked → attended', params: StudyParams, querystring: FunnelQuery, response: { 200: Funnel, ...errors } } },
    async (request) => {
      const study = await findStudyRow(app.db, request.workspace.id, request.params.id);
      const from = request.query.from ? new Date(request.query.from) : null;
      const to = request.query.to ? new Date(request.query.to) : null;
      const inRange = (column: typeof interceptEvents.at | typeof bookings.createdAt) =>
        and(from ? gte(column, from) : undefined, to ? lt(column, to) : undefined);
      const [events, booked] = await Promise.all([
        app.db
          .select({ kind: interceptEvents.kind, n: sql<number>`count(distinct ${interceptEvents.anonymousId})`.mapWith(Number) })
          .from(interceptEvents)
          .where(and(eq(interceptEvents.studyId, study.id), inRange(interceptEvents.at)))
          .groupBy(interceptEvents.kind),
        app.db
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
    },
  );
};
