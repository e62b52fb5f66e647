import { describe, expect, it } from 'vitest';
import { describeErasure, eraseRequestFromDraft } from '../src/lib/erase.js';

describe('erasing a participant', () => {
  it('asks by email or by user id, trimmed', () => {
    expect(eraseRequestFromDraft({ by: 'email', value: ' ada@example.com ' })).toEqual({ body: { email: 'ada@example.com' } });
    expect(eraseRequestFromDraft({ by: 'userId', value: 'user_42' })).toEqual({ body: { userId: 'user_42' } });
  });

  it('names what is missing or malformed at its field', () => {
    expect(eraseRequestFromDraft({ by: 'email', value: '  ' })).toEqual({ problems: [{ field: 'email', message: 'Enter the email of the person to erase' }] });
    expect(eraseRequestFromDraft({ by: 'userId', value: '' })).toEqual({ problems: [{ field: 'userId', message: 'Enter the user id of the person to erase' }] });
    expect(eraseRequestFromDraft({ by: 'email', value: 'ada at example' })).toEqual({ problems: [{ field: 'email', message: 'Enter an email address, like name@example.com' }] });
  });

  it('says what was done, leaving out what did not happen', () => {
    expect(describeErasure('ada@example.com', { participants: 1, bookingsCancelled: 1, bookingsErased: 2 })).toBe(
      'Erased ada@example.com; 1 upcoming interview cancelled (the team is told); 2 bookings keep counting without them.',
    );
    expect(describeErasure('user_42', { participants: 1, bookingsCancelled: 0, bookingsErased: 0 })).toBe('Erased user_42.');
  });
});
