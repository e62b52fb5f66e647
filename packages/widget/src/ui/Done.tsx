import type { StepProps } from './step.js';
import type { Booking } from './api.js';
import { googleCalendarUrl, icsHref, type CalendarEvent } from './calendar.js';
import { rangeLabel } from './time.js';

export function Done({ o, booking, timeZone, email, close }: StepProps & { booking: Booking; timeZone: string; email: string; close: () => void }) {
  const name = (o.study as { name?: string }).name;
  const event: CalendarEvent = {
    uid: `${booking.id}@beckon`,
    start: booking.start,
    end: booking.end,
    title: name ? `Interview: ${name}` : 'Customer interview',
    description: booking.meetingUrl ? `Join: ${booking.meetingUrl}` : undefined,
    location: booking.meetingUrl,
    url: booking.manageUrl,
  };
  return (
    <>
      <div class="summary">
        {rangeLabel(booking, timeZone, o.workspace.locale || undefined)}
        <span>{timeZone.replace(/_/g, ' ')} time</span>
      </div>
      <p>
        We’ve sent the invitation to <b>{email}</b>.
        {o.study.incentive && ` After the interview you’ll receive ${o.study.incentive.description}.`}
      </p>
      {booking.meetingUrl && (
        <p>
          Join link:{' '}
          <a href={booking.meetingUrl} target="_blank" rel="noopener noreferrer">
            {booking.meetingUrl}
          </a>
        </p>
      )}
      <p class="muted">Add it to your calendar:</p>
      <div class="row tight">
        <a class="btn sec" href={icsHref(event)} download="interview.ics">
          Download .ics
        </a>
        <a class="btn sec" href={googleCalendarUrl(event)} target="_blank" rel="noopener noreferrer">
          Google Calendar
        </a>
      </div>
      <p class="muted gap">
        Need another time?{' '}
        <a href={booking.manageUrl} target="_blank" rel="noopener noreferrer">
          Reschedule or cancel
        </a>
      </p>
      {!o.inline && (
        <div class="row">
          <button type="button" class="btn" onClick={close}>
            Done
          </button>
        </div>
      )}
    </>
  );
}

export function ScreenedOut({ o, close }: StepProps & { close: () => void }) {
  return (
    <>
      <p>Thanks for your answers! This study is looking for a different profile right now, so we won’t take more of your time.</p>
      {!o.inline && (
        <div class="row">
          <button type="button" class="btn" onClick={close}>
            Close
          </button>
        </div>
      )}
    </>
  );
}
