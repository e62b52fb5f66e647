import { describe, expect, it } from 'vitest';
import { buildInterviewInvite } from '../../src/mail/ics.js';
import { renderMail } from '../../src/mail/templates.js';
import { eventOf, unescapeText, unfold } from './support/ical.js';
import { mailContext } from './support/context.js';

const STAMP = new Date('2026-03-10T09:00:00Z');

describe('the interview invite', () => {
  const ctx = mailContext();
  const invite = buildInterviewInvite(ctx, { method: 'REQUEST', audience: 'participant', stamp: STAMP });
  const { calendar, event } = eventOf(invite.content);

  it('is a REQUEST with the booking’s UID and SEQUENCE', () => {
    expect(invite.method).toBe('REQUEST');
    expect(calendar.get('VERSION')).toBe('2.0');
    expect(calendar.get('PRODID')).toMatch(/Beckon/);
    expect(calendar.get('METHOD')).toBe('REQUEST');
    expect(event.get('UID')).toBe('booking-6f1c2d3e@beckon.test');
    expect(event.get('SEQUENCE')).toBe('0');
    expect(event.get('STATUS')).toBe('CONFIRMED');
    expect(event.get('DTSTAMP')).toBe('20260310T090000Z');
  });

  it('has its times as UTC instants, with no zone parameter a client could misread', () => {
    expect(event.get('DTSTART')).toBe('20260316T140000Z');
    expect(event.get('DTEND')).toBe('20260316T142000Z');
    expect(event.all('DTSTART')[0]!.params).toEqual({});
    expect(calendar.components.some((c) => c.name === 'VTIMEZONE')).toBe(false);
  });

  it('is organised by the host, for the participant, at the meeting link', () => {
    const organizer = event.all('ORGANIZER')[0]!;
    expect(organizer.value.toLowerCase()).toBe('mailto:maya@acme.test');
    expect(organizer.params.CN).toBe('Maya Chen');
    const attendees = event.all('ATTENDEE');
    expect(attendees.map((a) => a.value.toLowerCase())).toEqual(['mailto:ada@example.com']);
    expect(attendees[0]!.params).toMatchObject({ CN: 'Ada Lovelace', PARTSTAT: 'ACCEPTED', ROLE: 'REQ-PARTICIPANT' });
    expect(event.get('LOCATION')).toBe('https://meet.example.com/abc-defg-hij');
    expect(event.get('URL')).toBe('https://meet.example.com/abc-defg-hij');
  });

  it('has the manage link in its description', () => {
    const description = unescapeText(event.get('DESCRIPTION')!);
    expect(description).toContain('Reschedule or cancel: https://beckon.test/m/tok_secret_123');
    expect(description).toContain('Join: https://meet.example.com/abc-defg-hij');
    expect(event.get('SUMMARY')).toBe('20-minute chat with Acme');
  });

  it('is well-formed: CRLF line ends and lines folded to 75 octets', () => {
    expect(invite.content).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(invite.content.replace(/\r\n/g, '')).not.toContain('\n');
    for (const line of invite.content.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(unfold(invite.content).at(-1)).toBe('END:VCALENDAR');
  });

  it('for the team invites the observers and leaves out the participant’s private link', () => {
    const team = eventOf(buildInterviewInvite(ctx, { method: 'REQUEST', audience: 'team', stamp: STAMP }).content).event;
    expect(team.all('ATTENDEE').map((a) => a.value.toLowerCase())).toEqual(['mailto:ada@example.com', 'mailto:jonas@acme.test']);
    expect(team.all('ATTENDEE')[1]!.params).toMatchObject({ CN: 'Jonas Weber', ROLE: 'OPT-PARTICIPANT', RSVP: 'TRUE' });
    expect(unescapeText(team.get('DESCRIPTION')!)).not.toContain('tok_secret_123');
    expect(unescapeText(team.get('DESCRIPTION')!)).toContain('Segment: Recent sign-ups');
    expect(team.get('UID')).toBe(event.get('UID'));
  });

  it('escapes text values: commas, semicolons and newlines cannot break out of a property', () => {
    const tricky = mailContext({ participant: { name: 'Lovelace; Ada, "the Countess"' }, study: { about: 'Line one\nATTENDEE:mailto:evil@example.com' } });
    const { event: e } = eventOf(buildInterviewInvite(tricky, { method: 'REQUEST', audience: 'participant', stamp: STAMP }).content);
    expect(e.all('ATTENDEE')).toHaveLength(1);
    expect(unescapeText(e.get('DESCRIPTION')!)).toContain('Line one\nATTENDEE:mailto:evil@example.com');
  });
});

describe('reschedule and cancel keep the event’s identity', () => {
  const booked = mailContext();
  const moved = mailContext({ booking: { icalSequence: 1, startsAt: new Date('2026-03-18T15:30:00Z'), endsAt: new Date('2026-03-18T15:50:00Z') } });
  const cancelled = mailContext({ booking: { icalSequence: 2, startsAt: new Date('2026-03-18T15:30:00Z'), endsAt: new Date('2026-03-18T15:50:00Z') }, cancelledBy: 'participant' });

  const first = eventOf(renderMail('confirmation', booked).ics!.content);
  const second = eventOf(renderMail('rescheduled', moved, 'participant').ics!.content);
  const third = eventOf(renderMail('cancelled', cancelled, 'participant').ics!.content);

  it('the reschedule is a REQUEST for the same UID with a higher SEQUENCE and the new times', () => {
    expect(second.calendar.get('METHOD')).toBe('REQUEST');
    expect(second.event.get('UID')).toBe(first.event.get('UID'));
    expect(Number(second.event.get('SEQUENCE'))).toBeGreaterThan(Number(first.event.get('SEQUENCE')));
    expect(second.event.get('SEQUENCE')).toBe('1');
    expect(second.event.get('DTSTART')).toBe('20260318T153000Z');
    expect(second.event.get('DTEND')).toBe('20260318T155000Z');
    expect(second.event.get('STATUS')).toBe('CONFIRMED');
  });

  it('the cancel is a CANCEL for the same UID, SEQUENCE raised again, STATUS:CANCELLED, attendee named', () => {
    expect(third.calendar.get('METHOD')).toBe('CANCEL');
    expect(third.event.get('UID')).toBe(first.event.get('UID'));
    expect(third.event.get('SEQUENCE')).toBe('2');
    expect(third.event.get('STATUS')).toBe('CANCELLED');
    expect(third.event.all('ATTENDEE').map((a) => a.value.toLowerCase())).toEqual(['mailto:ada@example.com']);
    expect(third.event.get('DTSTART')).toBe('20260318T153000Z');
  });

  it('the host’s cancel notice removes the same event from the team’s calendars', () => {
    const team = eventOf(renderMail('cancelled', cancelled, 'host').ics!.content);
    expect(team.calendar.get('METHOD')).toBe('CANCEL');
    expect(team.event.get('UID')).toBe(first.event.get('UID'));
    expect(team.event.get('STATUS')).toBe('CANCELLED');
    expect(team.event.all('ATTENDEE').map((a) => a.value.toLowerCase())).toContain('mailto:jonas@acme.test');
  });
});
