// The participant's manage link: view, cancel and reschedule with the token from their email.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, ManageParams, ParticipantBooking, RescheduleRequest, SlotTakenBody } from '@beckon/shared/api';
import { bookingByToken, bookingDeps, cancelBooking, rescheduleBooking } from '../../services/booking.js';
import { participantBooking } from '../../services/booking-views.js';

export const manageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => bookingDeps(app);
  const view = (booking: Awaited<ReturnType<typeof bookingByToken>>, token: string) => participantBooking(app.db, app.config.publicUrl, booking, token);
  const schema = (summary: string, extra: Record<string, unknown> = {}) => ({
    tags: ['public'],
    summary,
    params: ManageParams,
    response: { 200: ParticipantBooking, '4xx': ErrorBody, ...extra },
  });

  app.get('/v1/bookings/:manageToken', { schema: schema("The participant's view of their booking") }, async (request) =>
    view(await bookingByToken(app.db, request.params.manageToken), request.params.manageToken),
  );

  app.post('/v1/bookings/:manageToken/cancel', { schema: schema('Cancel; the slot is freed and both sides are told') }, async (request) => {
    const booking = await cancelBooking(deps(), { token: request.params.manageToken }, 'participant');
    return view(booking, request.params.manageToken);
  });

  app.post(
    '/v1/bookings/:manageToken/reschedule',
    { schema: { ...schema('Move the booking to a new start; same booking, same link', { 409: SlotTakenBody }), body: RescheduleRequest } },
    async (request) => {
      const booking = await rescheduleBooking(deps(), request.params.manageToken, new Date(request.body.start));
      return view(booking, request.params.manageToken);
    },
  );
};
