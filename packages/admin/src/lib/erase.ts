// Erasing a participant on request, as the Settings screen asks for it and says what was done.
import type { ParticipantErase, ParticipantErased } from '@beckon/shared/api';
import type { FieldProblem } from './fields.js';

export type EraseBy = 'email' | 'userId';

export interface EraseDraft {
  by: EraseBy;
  value: string;
}

export const ERASE_BY: { value: EraseBy; label: string }[] = [
  { value: 'email', label: 'The email they booked with' },
  { value: 'userId', label: 'Your user id for them (from identify)' },
];

/** The request for a draft, or what is wrong with it (at the field the server would name). */
export function eraseRequestFromDraft(draft: EraseDraft): { body: ParticipantErase } | { problems: FieldProblem[] } {
  const value = draft.value.trim();
  if (!value) return { problems: [{ field: draft.by, message: draft.by === 'email' ? 'Enter the email of the person to erase' : 'Enter the user id of the person to erase' }] };
  if (draft.by === 'email' && !/^[^\s@]+@[^\s@]+$/.test(value)) return { problems: [{ field: 'email', message: 'Enter an email address, like name@example.com' }] };
  return { body: draft.by === 'email' ? { email: value } : { userId: value } };
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What the server did, in one sentence for the PM. */
export function describeErasure(who: string, result: ParticipantErased): string {
  const parts = [`Erased ${who}`];
  if (result.bookingsCancelled > 0) parts.push(`${count(result.bookingsCancelled, 'upcoming interview', 'upcoming interviews')} cancelled (the team is told)`);
  if (result.bookingsErased > 0) parts.push(`${count(result.bookingsErased, 'booking keeps', 'bookings keep')} counting without them`);
  return `${parts.join('; ')}.`;
}
