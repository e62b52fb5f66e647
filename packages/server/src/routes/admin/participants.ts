// Participants: erasing one on request.
//   POST /participants/erase   { email } | { userId }
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, ParticipantErase, ParticipantErased } from '@beckon/shared/api';
import { bookingDeps } from '../../services/booking.js';
import { eraseParticipant } from '../../services/participants.js';

export const participantRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/participants/erase',
    {
      schema: {
        summary: "Erase a participant on request: cancel their upcoming interviews, then remove their name, email, traits and answers",
        description:
          'The bookings and events stay without the person, so the funnel still counts them; your user id for them stays, marked opted out, so they are never invited again. Cannot be undone.',
        body: ParticipantErase,
        response: { 200: ParticipantErased, '4xx': ErrorBody },
      },
    },
    async (request) => eraseParticipant(bookingDeps(app), request.workspace.id, request.body),
  );
};
