// The participant's manage link: view, cancel and reschedule with the token from their email.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, ManageParams, ParticipantBooking, RescheduleRequest, SlotTakenBody, toInstant } from '@beckon/shared/api';
import { bookingByToken, bookingDeps, bookingParties, cancelBooking, canChange, manageUrl, rescheduleBooking } from '../../services/booking.js';
import type { App } from '../../app.js';

type BookingRow = Awaited<ReturnType<typeof bookingByToken>>;

async function participantView(app: App, booking: BookingRow, token: string): Promise<ParticipantBooking> {
  const { study, hostName } = await bookingParties(app.db, booking);
  return {
    booking: {
      id: booking.id,
      start: toInstant(booking.startsAt),
      end: toInstant(booking.endsAt),
      status: booking.status,
      timeZone: booking.participantTimeZone,
      study: { name: study.name, durationMinutes: study.durationMinutes, slug: study.slug },
      hostName,
      meetingUrl: booking.meetingUrl,
      manageUrl: manageUrl(app.config.publicUrl, token),
      canChange: canChange(booking, new Date()),
    },
  };
}

export const manageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => bookingDeps(app);
  const schema = (summary: string, extra: Record<string, unknown> = {}) => ({
    tags: ['public'],
    summary,
    params: ManageParams,
    response: { 200: ParticipantBooking, '4xx': ErrorBody, ...extra },
  });

  app.get('/v1/bookings/:manageToken', { schema: schema("The participant's view of their booking") }, async (request) =>
    participantView(app, await bookingByToken(app.db, request.params.manageToken), request.params.manageToken),
  );

  app.post('/v1/bookings/:manageToken/cancel', { schema: schema('Cancel; the slot is freed and both sides are told') }, async (request) => {
    const booking = await cancelBooking(deps(), { token: request.params.manageToken }, 'participant');
    app.capacity.forget(booking.studyId);
    return participantView(app, booking, request.params.manageToken);
  });

  app.post(
    '/v1/bookings/:manageToken/reschedule',
    { schema: { ...schema('Move the booking to a new start; same booking, same link', { 409: SlotTakenBody }), body: RescheduleRequest } },
    async (request) => {
      const booking = await rescheduleBooking(deps(), request.params.manageToken, new Date(request.body.start));
      app.capacity.forget(booking.studyId);
      return participantView(app, booking, request.params.manageToken);
    },
  );
};
