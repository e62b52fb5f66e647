import type { Member, Study } from '@beckon/shared/api';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { formatLocalDate, formatSlot, formatTime, localDate, timeZones } from '../lib/time.js';
import { href, navigate, type Location } from '../router.js';
import { can, getSession } from '../session.js';
import type { Booking, BookingAction, BookingStatus } from '../types.js';
import { LoadError, Loading, Notice, PageHeading, ParticipantContact, StatusBadge, toApiError, useDisplayZone, useLoad } from '../ui/common.js';
import { incentivesChanged } from '../ui/due-incentives.js';
import { SelectField } from '../ui/form.js';
import './Bookings.css';

const STATUS: Record<BookingStatus, string> = { confirmed: 'Confirmed', cancelled: 'Cancelled', completed: 'Completed', no_show: 'No-show' };
const AFTER_ACTION: Record<BookingAction, BookingStatus> = { cancel: 'cancelled', complete: 'completed', 'no-show': 'no_show' };
const PAGE_DAYS = 90;
const DAY = 86_400_000;

export function BookingsScreen(props: { location: Location }) {
  const studyId = props.location.query.get('study') ?? '';
  const view = props.location.query.get('view') === 'past' ? 'past' : 'upcoming';
  const [zone, setZone] = useDisplayZone();
  const [days, setDays] = useState(PAGE_DAYS);
  // The range is fixed when the view opens (and when extended), so a reload shows the same window.
  const [now] = useState(() => Date.now());
  const range =
    view === 'upcoming'
      ? { from: new Date(now).toISOString(), to: new Date(now + 2 * days * DAY).toISOString() }
      : { from: new Date(now - days * DAY).toISOString(), to: new Date(now).toISOString() };

  const studies = useLoad(() => api.listStudies(), []);
  const members = useLoad(() => api.listMembers(), []);
  const bookings = useLoad(() => api.listBookings({ ...(studyId ? { studyId } : {}), ...range }), [studyId, view, days]);
  const go = (query: Record<string, string | undefined>) => navigate(href('/bookings', { study: studyId || undefined, view: view === 'past' ? 'past' : undefined, ...query }), { replace: true });

  const sorted = [...(bookings.data ?? [])].sort((a, b) => (view === 'upcoming' ? a.start.localeCompare(b.start) : b.start.localeCompare(a.start)));
  const byDate = new Map<string, Booking[]>();
  for (const booking of sorted) {
    const date = localDate(booking.start, zone);
    byDate.set(date, [...(byDate.get(date) ?? []), booking]);
  }

  return (
    <>
      <PageHeading title="Bookings">Bookings</PageHeading>
      <div class="filters" role="search" aria-label="Filter bookings">
        <SelectField
          path="filter-study"
          label="Study"
          value={studyId}
          options={[{ value: '', label: 'All studies' }, ...(studies.data ?? []).map((s) => ({ value: s.id, label: s.name }))]}
          onChange={(study) => go({ study: study || undefined })}
        />
        <div class="field">
          <span class="label" id="view-label">
            Show
          </span>
          <div class="segmented" role="group" aria-labelledby="view-label">
            <button type="button" aria-pressed={view === 'upcoming'} onClick={() => go({ view: undefined })}>
              Upcoming
            </button>
            <button type="button" aria-pressed={view === 'past'} onClick={() => go({ view: 'past' })}>
              Past
            </button>
          </div>
        </div>
        <SelectField path="filter-zone" label="Times in" value={zone} options={timeZones(zone)} onChange={setZone} />
      </div>

      {bookings.error && <LoadError error={bookings.error} what="Bookings" onRetry={bookings.reload} />}
      {bookings.loading && !bookings.data && <Loading what="bookings" />}
      {bookings.data && sorted.length === 0 && (
        <p class="empty-inline">
          {view === 'upcoming' ? 'No upcoming interviews' : `No interviews in the last ${days} days`}
          {studyId ? ' for this study' : ''}.
          {view === 'upcoming' && ' Share a study’s booking link or set it live to start filling the calendar.'}
        </p>
      )}
      {[...byDate].map(([date, list]) => (
        <section key={date} class="day" aria-labelledby={`d-${date}`}>
          <h2 id={`d-${date}`} class="day-title">
            {formatLocalDate(date)}
          </h2>
          <ul class="cards">
            {list.map((booking) => (
              <BookingCard key={booking.id} booking={booking} zone={zone} studies={studies.data} members={members.data} onChanged={bookings.reload} />
            ))}
          </ul>
        </section>
      ))}
      {bookings.data && view === 'past' && (
        <p>
          <button type="button" class="button-secondary" onClick={() => setDays((d) => d + PAGE_DAYS)}>
            Show {PAGE_DAYS} more days
          </button>
        </p>
      )}
    </>
  );
}

function answerText(value: unknown, study: Study | undefined, questionId: string): string {
  const question = study?.screener?.questions.find((q) => q.id === questionId);
  const label = (id: unknown) => question?.options?.find((o) => o.id === id)?.label ?? String(id);
  if (Array.isArray(value)) return value.map(label).join(', ');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return question?.options ? label(value) : String(value);
  return JSON.stringify(value);
}

/** Whether the signed-in person may cancel or mark this interview: their role, or they host it. */
function mayAct(booking: Booking): boolean {
  if (can('bookings:write')) return true;
  const session = getSession();
  const memberId = session?.memberId;
  return Boolean(memberId && session?.workspace?.role !== 'viewer' && (booking.hostId === memberId || booking.coHostIds.includes(memberId)));
}

function BookingCard(props: { booking: Booking; zone: string; studies: Study[] | undefined; members: Member[] | undefined; onChanged: () => void }) {
  const { booking, zone } = props;
  const [status, setStatus] = useState<BookingStatus>(booking.status);
  const [hostId, setHostId] = useState(booking.hostId);
  const [movedTo, setMovedTo] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const study = props.studies?.find((s) => s.id === booking.studyId);
  const host = props.members?.find((m) => m.id === hostId);
  // Who else could lead it: the study's other hosts (the server checks they are free then).
  const otherHosts = (study?.hostIds ?? []).filter((id) => id !== hostId).flatMap((id) => props.members?.filter((m) => m.id === id && m.active) ?? []);
  const started = Date.parse(booking.start) <= Date.now();
  const answers = Object.entries(booking.answers ?? {});
  const titleId = `b-${booking.id}`;
  const who = booking.participant.name || booking.participant.email || 'Participant';
  const when = formatSlot(booking.start, booking.end, zone);

  const act = async (action: BookingAction) => {
    setBusy(true);
    setError(null);
    try {
      const updated = await api.bookingAction(booking.id, action);
      setStatus(updated?.status ?? AFTER_ACTION[action]);
      setConfirming(false);
      // A completed interview's incentive becomes due: the count in the navigation follows.
      if (action === 'complete') incentivesChanged();
    } catch (e) {
      const apiError = toApiError(e);
      setError(apiError.routeMissing ? 'This server cannot change bookings yet.' : apiError.message);
    } finally {
      setBusy(false);
    }
  };

  const moveTo = async (memberId: string) => {
    setBusy(true);
    setError(null);
    setMovedTo(null);
    try {
      const updated = await api.moveBooking(booking.id, { hostId: memberId });
      setHostId(updated.hostId);
      setMovedTo(props.members?.find((m) => m.id === updated.hostId)?.name ?? 'the new interviewer');
    } catch (e) {
      const apiError = toApiError(e);
      setError(apiError.routeMissing ? 'This server cannot move bookings yet.' : apiError.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="card booking" aria-labelledby={titleId}>
      <div class="card-head">
        <h3 id={titleId} class="card-title">
          <span class="booking-time">{formatTime(booking.start, zone)}</span> {who}
        </h3>
        <StatusBadge status={status} label={STATUS[status]} />
      </div>
      <dl class="facts">
        <div>
          <dt>When</dt>
          <dd>
            {when}
            {booking.participant.timeZone !== zone && (
              <span class="muted">
                {' '}
                ({formatTime(booking.start, booking.participant.timeZone)} for them, {booking.participant.timeZone})
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Study</dt>
          <dd>{study ? <a href={href(`/studies/${study.id}`)}>{study.name}</a> : 'Unknown study'}</dd>
        </div>
        <div>
          <dt>Host</dt>
          <dd>{host?.name ?? 'Unknown member'}</dd>
        </div>
        <div>
          <dt>Participant</dt>
          <dd>
            <ParticipantContact participant={booking.participant} />
          </dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>{booking.source === 'widget' ? 'Widget' : `Booking link (${booking.source})`}</dd>
        </div>
      </dl>
      {answers.length > 0 && (
        <details class="answers">
          <summary>Screener answers</summary>
          <dl>
            {answers.map(([questionId, value]) => (
              <div key={questionId}>
                <dt>{study?.screener?.questions.find((q) => q.id === questionId)?.prompt ?? questionId}</dt>
                <dd>{answerText(value, study, questionId)}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
      {error && (
        <Notice kind="error">
          <p>{error}</p>
        </Notice>
      )}
      {movedTo && (
        <Notice kind="success" live>
          <p>Moved to {movedTo}. The participant and both interviewers are emailed, and both calendars follow.</p>
        </Notice>
      )}
      {status === 'confirmed' && !started && otherHosts.length > 0 && mayAct(booking) && (
        <MoveToHost key={hostId} bookingId={booking.id} who={who} hosts={otherHosts} busy={busy} onMove={moveTo} />
      )}
      {status === 'confirmed' && mayAct(booking) && (
        <div class="card-actions">
          {!started && !confirming && (
            <button type="button" class="button-small button-danger" onClick={() => setConfirming(true)} aria-label={`Cancel the interview with ${who}`}>
              Cancel interview
            </button>
          )}
          {!started && confirming && (
            <div class="confirm" role="group" aria-label="Confirm cancellation">
              <p>Cancel this interview with {who}?</p>
              <button type="button" class="button-small button-danger" disabled={busy} onClick={() => act('cancel')}>
                Yes, cancel it
              </button>
              <button type="button" class="button-small button-secondary" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </div>
          )}
          {started && (
            <>
              <button type="button" class="button-small button-secondary" disabled={busy} onClick={() => act('complete')} aria-label={`Mark the interview with ${who} completed`}>
                Mark completed
              </button>
              <button type="button" class="button-small button-secondary" disabled={busy} onClick={() => act('no-show')} aria-label={`Mark ${who} as a no-show`}>
                No-show
              </button>
            </>
          )}
        </div>
      )}
    </li>
  );
}

/** Hands the interview to another of the study's interviewers, at the same time. */
function MoveToHost(props: { bookingId: string; who: string; hosts: Member[]; busy: boolean; onMove: (memberId: string) => void }) {
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState(props.hosts[0]!.id);
  if (!open) {
    return (
      <div class="card-actions">
        <button type="button" class="button-small button-secondary" onClick={() => setOpen(true)} aria-label={`Move the interview with ${props.who} to another interviewer`}>
          Move to another interviewer
        </button>
      </div>
    );
  }
  const selected = props.hosts.some((h) => h.id === choice) ? choice : props.hosts[0]!.id;
  return (
    <form
      class="confirm move-host"
      aria-label="Move to another interviewer"
      onSubmit={(event) => {
        event.preventDefault();
        props.onMove(selected);
      }}
    >
      <SelectField path={`move-host-${props.bookingId}`} label="New interviewer" value={selected} options={props.hosts.map((h) => ({ value: h.id, label: h.name }))} onChange={setChoice} />
      <p class="muted">Same time. The participant is told who they will talk with; the previous interviewer is told it is off their calendar.</p>
      <button type="submit" class="button-small" disabled={props.busy}>
        Move the interview
      </button>
      <button type="button" class="button-small button-secondary" onClick={() => setOpen(false)}>
        Keep it
      </button>
    </form>
  );
}
