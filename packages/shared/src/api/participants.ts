// Erasing a participant on request (a data subject's right to erasure): who, and what was done.
import { Type, type Static } from '@sinclair/typebox';
import { Email } from './common.js';

export const ParticipantErase = Type.Object(
  {
    email: Type.Optional(Email),
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "The product's own user id, as sent to identify()" })),
  },
  { additionalProperties: false, description: 'The participant to erase: by the email they booked with, or by your user id (one of the two)' },
);
export type ParticipantErase = Static<typeof ParticipantErase>;

export const ParticipantErased = Type.Object({
  participants: Type.Integer({ description: 'Participant records erased' }),
  bookingsCancelled: Type.Integer({ description: 'Upcoming interviews cancelled first (their calendar events removed, the team told)' }),
  bookingsErased: Type.Integer({ description: 'Bookings whose screener answers were erased; the bookings stay, without the person, for the counts' }),
});
export type ParticipantErased = Static<typeof ParticipantErased>;
