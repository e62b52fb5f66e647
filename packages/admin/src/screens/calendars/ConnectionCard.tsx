// One connected calendar: what Beckon reads and writes there, changing that, removing it, and,
// when it is broken, what went wrong and how to fix it.
import type { Member } from '@beckon/shared/api';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type ApiError } from '../../api.js';
import { brokenConnectionFix, describeBusyCalendars, describeWriteCalendar, PROVIDER_LABELS } from '../../lib/calendars.js';
import { browserTimeZone, formatLocalDate, localDate } from '../../lib/time.js';
import type { CalendarConnection, DiscoveredCalendar } from '../../types.js';
import { ConfirmButton, Notice, StatusBadge, toApiError } from '../../ui/common.js';
import { CalendarChoiceForm } from './CalendarChoiceForm.js';

export function ConnectionCard(props: {
  connection: CalendarConnection;
  member: Member;
  /** Whether the signed-in person may change or remove it. */
  mayChange: boolean;
  /** Names of calendars by CalDAV URL or Microsoft id, learnt when they are listed. */
  names: ReadonlyMap<string, string>;
  onReconnect: (connection: CalendarConnection) => void;
  onRemoved: () => void;
  onChanged: (message: string, discovered: DiscoveredCalendar[]) => void;
  /** Calendars listed without a change (a Microsoft account's, to name its calendars). */
  onNames: (discovered: DiscoveredCalendar[]) => void;
}) {
  const { connection, member } = props;
  const [error, setError] = useState<ApiError | null>(null);
  /** The open choice form's calendars (null: typed Google ids); undefined while it is closed. */
  const [choosing, setChoosing] = useState<DiscoveredCalendar[] | null | undefined>(undefined);
  const [loadingChoices, setLoadingChoices] = useState(false);
  const [listError, setListError] = useState<ApiError | null>(null);
  const changeButton = useRef<HTMLButtonElement>(null);
  const broken = connection.status === 'broken';
  const choosable = connection.provider !== 'builtin' && !broken;
  const listed = connection.provider === 'caldav' || connection.provider === 'microsoft';

  // Microsoft's calendar ids mean nothing to a person: list the account's calendars once for their names.
  const { onNames, names } = props;
  const unnamed = connection.provider === 'microsoft' && !broken && [...connection.busyCalendarIds, connection.writeCalendarId ?? ''].some((id) => id && !names.has(id));
  useEffect(() => {
    if (!unnamed) return;
    let live = true;
    api.calendarChoices(member.id, connection.id).then(
      (choices) => live && onNames(choices.calendars),
      () => {}, // the card says "An Outlook calendar" meanwhile; Change calendars shows the error
    );
    return () => {
      live = false;
    };
  }, [connection.id, unnamed]);

  const openChoice = async () => {
    setListError(null);
    if (!listed) return setChoosing(null);
    setLoadingChoices(true);
    try {
      setChoosing((await api.calendarChoices(member.id, connection.id)).calendars);
    } catch (e) {
      setListError(toApiError(e));
    } finally {
      setLoadingChoices(false);
    }
  };
  const closeChoice = () => {
    setChoosing(undefined);
    // Focus goes back where it came from once the button is rendered again.
    requestAnimationFrame(() => changeButton.current?.focus());
  };
  const headingId = `connection-${connection.id}`;

  const remove = async () => {
    setError(null);
    try {
      await api.disconnectCalendar(member.id, connection.id);
      props.onRemoved();
    } catch (e) {
      const apiError = toApiError(e);
      // Already gone (removed in another tab): the list catches up.
      if (apiError.code === 'calendar_not_found') props.onRemoved();
      else setError(apiError);
    }
  };

  return (
    <li class={`card connection${broken ? ' connection-broken' : ''}`} aria-labelledby={headingId}>
      <div class="card-head">
        <h3 id={headingId} class="card-title">
          {connection.label}
        </h3>
        <StatusBadge status={connection.status} label={broken ? 'Broken' : 'Connected'} />
      </div>
      <ConnectionFacts connection={connection} names={props.names} />
      {broken && props.mayChange && <BrokenConnection connection={connection} member={member} onReconnect={props.onReconnect} />}
      {error && (
        <Notice kind="error" title="Could not remove it">
          <p>{error.message}</p>
        </Notice>
      )}
      {listError && (
        <Notice kind="error" title="Could not list its calendars">
          <p>{listError.message}</p>
        </Notice>
      )}
      {choosing !== undefined && (
        <CalendarChoiceForm
          memberId={member.id}
          connection={connection}
          calendars={choosing}
          formLabel={`Calendars of ${connection.label}`}
          saveLabel="Save calendars"
          cancelLabel="Cancel"
          onCancel={closeChoice}
          onSaved={(saved, discovered) => {
            closeChoice();
            props.onChanged(`Saved the calendars of ${saved.label}.`, discovered);
          }}
        />
      )}
      {props.mayChange && (
        <div class="card-actions">
          {choosable && choosing === undefined && (
            <button type="button" class="button-secondary button-small" ref={changeButton} onClick={openChoice} disabled={loadingChoices} aria-label={`Change calendars of ${connection.label}`}>
              {loadingChoices ? 'Listing calendars…' : 'Change calendars'}
            </button>
          )}
          <ConfirmButton
            class="button-danger button-small"
            aria-label={`Remove ${connection.label}`}
            groupLabel={`Confirm removing ${connection.label}`}
            question={`Remove ${connection.label}? Beckon stops reading it for busy time${connection.writeCalendarId ? ' and adding interviews to it' : ''}.`}
            confirmLabel="Yes, remove"
            cancelLabel="Keep it"
            onConfirm={remove}
          >
            Remove
          </ConfirmButton>
        </div>
      )}
    </li>
  );
}

function ConnectionFacts(props: { connection: CalendarConnection; names: ReadonlyMap<string, string> }) {
  const { connection, names } = props;
  return (
    <dl class="facts">
      <div>
        <dt>Provider</dt>
        <dd>{PROVIDER_LABELS[connection.provider]}</dd>
      </div>
      <div>
        <dt>Busy time</dt>
        <dd>{describeBusyCalendars(connection, names)}</dd>
      </div>
      <div>
        <dt>Interviews</dt>
        <dd>{describeWriteCalendar(connection, names)}</dd>
      </div>
      <div>
        <dt>Connected</dt>
        <dd>{formatLocalDate(localDate(connection.createdAt, browserTimeZone()), undefined, 'medium')}</dd>
      </div>
    </dl>
  );
}

/** A broken connection keeps the member out of the schedule: say so, quote the calendar, and offer the fix. */
function BrokenConnection(props: { connection: CalendarConnection; member: Member; onReconnect: (connection: CalendarConnection) => void }) {
  const { connection, member } = props;
  return (
    <Notice kind="warning" title={`Not working: ${member.name} is not offered for interviews until this is fixed`}>
      {connection.lastError && <p class="last-error">The calendar said: {connection.lastError}</p>}
      <p>{brokenConnectionFix(connection.provider, member.name)}</p>
      {/* The built-in calendar has nothing to reconnect to. */}
      {connection.provider !== 'builtin' && (
        <button type="button" class="button-primary button-small" onClick={() => props.onReconnect(connection)}>
          Reconnect<span class="visually-hidden"> {connection.label}</span>
        </button>
      )}
    </Notice>
  );
}
