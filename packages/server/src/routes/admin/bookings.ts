import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AdminBooking, AdminBookingList, AdminBookingMove, AdminBookingParams, AdminBookingsQuery, ErrorBody, Funnel, FunnelQuery, StudyParams } from '@beckon/shared/api';
import type { bookings } from '../../db/schema.js';
import { bookingDeps, cancelBooking, markOutcome, moveBooking } from '../../services/booking.js';
import { adminBooking, listBookings } from '../../services/booking-views.js';
import { studyFunnel } from '../../services/funnel.js';

type BookingRow = typeof bookings.$inferSelect;

export const bookingAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ErrorBody };
  const deps = () => bookingDeps(app);

  app.get('/bookings', { schema: { summary: 'Bookings, by study and time', querystring: AdminBookingsQuery, response: { 200: AdminBookingList, ...errors } } }, async (request) => ({
    bookings: await listBookings(app.db, request.workspace.id, request.query),
  }));

  const action = (path: string, summary: string, run: (workspaceId: string, id: string) => Promise<BookingRow>) =>
    app.post(`/bookings/:id/${path}`, { schema: { summary, params: AdminBookingParams, response: { 200: AdminBooking, ...errors } } }, async (request) => {
      const booking = await run(request.workspace.id, request.params.id);
      return adminBooking(app.db, booking);
    });
  action('cancel', 'Cancel on the host side; the participant is told', (workspaceId, id) => cancelBooking(deps(), { id, workspaceId }, 'host'));
  action('complete', 'Mark the interview done (the incentive becomes due)', (workspaceId, id) => markOutcome(deps(), workspaceId, id, 'completed'));
  action('no-show', 'Mark that the participant did not come', (workspaceId, id) => markOutcome(deps(), workspaceId, id, 'no_show'));

  app.post(
    '/bookings/:id/move',
    {
      schema: {
        summary: 'Move to another interviewer (a host of the study) and/or time; everyone is told, both calendars follow',
        params: AdminBookingParams,
        body: AdminBookingMove,
        response: { 200: AdminBooking, ...errors },
      },
    },
    async (request) => {
      const { hostId, start } = request.body;
      const booking = await moveBooking(deps(), { id: request.params.id, workspaceId: request.workspace.id }, { hostId, start: start ? new Date(start) : undefined });
      return adminBooking(app.db, booking);
    },
  );

  app.get(
    '/studies/:id/funnel',
    { schema: { summary: 'Counts per step: eligible → shown → opted in → qualified → booked → attended', params: StudyParams, querystring: FunnelQuery, response: { 200: Funnel, ...errors } } },
    async (request) => studyFunnel(app.db, request.workspace.id, request.params.id, request.query),
  );
};
