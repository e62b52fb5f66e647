// The interview as an iCalendar object (RFC 5545, with iTIP methods from RFC 5546), built with
// ical-generator. One UID for the booking's whole life and a SEQUENCE the caller raises on each
// change, so a reschedule moves the event in the reader's calendar and a cancel removes it,
// instead of adding a second event. Times are UTC instants (DTSTART:…Z): every client shows
// them in its own zone, and no VTIMEZONE can be wrong.
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus, type ICalAttendeeData } from 'ical-generator';
import { durationMinutes } from './time.js';
import { isErased, participantLine, type BookingMailContext, type IcsAttachment } from './types.js';

export interface InviteOptions {
  method: 'REQUEST' | 'CANCEL';
  /** participant: only the participant is invited and the description has their manage link;
   *  team: observers are invited too, and the participant's private link is left out. */
  audience: 'participant' | 'team';
  /** DTSTAMP; now by default. */
  stamp?: Date;
}

/** The title of the event written to the host's calendar, which the participant is invited to: the public title, never the internal name. */
export function calendarEventSummary(ctx: BookingMailContext): string {
  return `${ctx.study.title}: ${ctx.participant.name} and ${ctx.host.name}`;
}

function interviewSummary(ctx: BookingMailContext, audience: InviteOptions['audience']): string {
  const minutes = durationMinutes(ctx.booking.startsAt, ctx.booking.endsAt);
  return audience === 'participant'
    ? `${minutes}-minute chat with ${ctx.workspaceName}`
    : `Interview: ${ctx.participant.name} (${ctx.study.name})`;
}

function description(ctx: BookingMailContext, audience: InviteOptions['audience'], method: InviteOptions['method']): string {
  const { booking } = ctx;
  const lines: string[] = [];
  if (audience === 'participant') {
    lines.push(`A ${durationMinutes(booking.startsAt, booking.endsAt)}-minute conversation with ${ctx.host.name} from ${ctx.workspaceName}.`);
    if (ctx.study.about) lines.push(ctx.study.about);
    if (ctx.study.incentiveDescription) lines.push(`As a thank-you: ${ctx.study.incentiveDescription}.`);
  } else {
    lines.push(participantLine(ctx.participant));
    if (ctx.qualification.segment) lines.push(`Segment: ${ctx.qualification.segment}`);
    lines.push(`Study: ${ctx.study.name}`);
  }
  if (method === 'CANCEL') return [...lines, '', 'This interview was cancelled.'].join('\n');
  if (booking.meetingUrl) lines.push('', `Join: ${booking.meetingUrl}`);
  if (booking.location) lines.push('', `Where: ${booking.location}`);
  if (audience === 'participant') lines.push('', `Reschedule or cancel: ${booking.manageUrl}`);
  else if (booking.teamUrl) lines.push('', `Booking: ${booking.teamUrl}`);
  return lines.join('\n');
}

export function buildInterviewInvite(ctx: BookingMailContext, options: InviteOptions): IcsAttachment {
  const { booking } = ctx;
  const cancel = options.method === 'CANCEL';
  const calendar = ical({
    prodId: { company: 'Beckon', product: 'Beckon', language: 'EN' },
    method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });

  const attendees: ICalAttendeeData[] = [];
  if (!isErased(ctx.participant)) {
    attendees.push({
      name: ctx.participant.name,
      email: ctx.participant.email,
      role: ICalAttendeeRole.REQ,
      // They chose the slot themselves; changes go through the manage link, not an RSVP.
      status: ICalAttendeeStatus.ACCEPTED,
      rsvp: false,
    });
  }
  if (options.audience === 'team') {
    for (const observer of ctx.observers) {
      attendees.push({ name: observer.name, email: observer.email, role: ICalAttendeeRole.OPT, status: ICalAttendeeStatus.NEEDSACTION, rsvp: true });
    }
  }

  const location = booking.meetingUrl ?? booking.location ?? null;
  calendar.createEvent({
    id: booking.icalUid,
    sequence: booking.icalSequence,
    stamp: options.stamp ?? new Date(),
    start: booking.startsAt,
    end: booking.endsAt,
    summary: interviewSummary(ctx, options.audience),
    description: description(ctx, options.audience, options.method),
    location,
    url: booking.meetingUrl,
    organizer: { name: ctx.host.name, email: ctx.host.email },
    attendees,
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return { method: options.method, content: calendar.toString() };
}
