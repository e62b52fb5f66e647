// A booking mail context for tests: Ada in Berlin books Maya in New York for 2026-03-16 14:00 UTC,
// a Monday in the weeks when the US has switched to summer time and Europe has not
// (15:00 in Berlin, 10:00 in New York).
import type { BookingMailContext } from '../../../src/mail/types.js';

export const START = new Date('2026-03-16T14:00:00Z');
export const END = new Date('2026-03-16T14:20:00Z');

export function mailContext(overrides: { [K in keyof BookingMailContext]?: Partial<BookingMailContext[K]> } = {}): BookingMailContext {
  const base: BookingMailContext = {
    booking: {
      id: '6f1c2d3e-0000-4000-8000-000000000001',
      icalUid: 'booking-6f1c2d3e@beckon.test',
      icalSequence: 0,
      startsAt: START,
      endsAt: END,
      meetingUrl: 'https://meet.example.com/abc-defg-hij',
      manageUrl: 'https://beckon.test/m/tok_secret_123',
      source: 'widget',
    },
    study: {
      name: 'Onboarding interviews',
      title: 'Your first week with Acme',
      about: 'How your first week with Acme went.',
      incentiveDescription: 'a $25 gift card',
      interviewGuide: 'Tell me about the last time you sent an invoice.\nWhat happened next?',
      bookingUrl: 'https://beckon.test/b/onboarding',
    },
    participant: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/Berlin' },
    host: { name: 'Maya Chen', email: 'maya@acme.test', timeZone: 'America/New_York' },
    observers: [{ name: 'Jonas Weber', email: 'jonas@acme.test' }],
    qualification: {
      segment: 'Recent sign-ups',
      answers: [{ question: 'What do you mainly use Acme for?', answer: 'Invoicing my clients' }],
    },
    workspaceName: 'Acme',
  };
  return {
    ...base,
    ...(overrides as Partial<BookingMailContext>),
    booking: { ...base.booking, ...overrides.booking },
    study: { ...base.study, ...overrides.study },
    participant: { ...base.participant, ...overrides.participant },
    host: { ...base.host, ...overrides.host },
    observers: (overrides.observers as BookingMailContext['observers'] | undefined) ?? base.observers,
    qualification: { ...base.qualification, ...overrides.qualification },
  };
}
