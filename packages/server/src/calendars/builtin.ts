// The built-in calendar: no external service. The host's busy time is their Beckon bookings,
// which the slot computation already counts, and the interview's calendar entry is the .ics
// invite in the confirmation emails; so there is nothing to read and nothing to write.
import type { CalendarProvider } from './provider.js';

export function createBuiltinProvider(): CalendarProvider<null> {
  return {
    name: 'builtin',
    busy: async () => [],
    upsertEvent: async (_connection, event) => ({ eventId: event.icalUid }),
    deleteEvent: async () => {},
  };
}
