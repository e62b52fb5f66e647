// A member's calendar connections on the member screen: what Beckon reads for busy time and
// writes interviews to, what is broken and how to fix it, and connecting another one.
import type { Member } from '@beckon/shared/api';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type ApiError } from '../api.js';
import {
  brokenConnectionFix,
  CALDAV_SERVICES,
  calDavFromDraft,
  calendarChoiceFromDraft,
  calendarIdsOfText,
  calendarName,
  choiceDraftOf,
  describeBusyCalendars,
  describeWriteCalendar,
  connectErrorMessage,
  emptyCalDavDraft,
  PROVIDER_LABELS,
  serviceAccountField,
  serviceAccountFromDraft,
  type CalDavDraft,
  type CalDavService,
  type CalendarChoiceDraft,
  type ServiceAccountDraft,
} from '../lib/calendars.js';
import { fieldOfError, type FieldProblem } from '../lib/fields.js';
import { browserTimeZone, formatLocalDate, formatTime, localDate } from '../lib/time.js';
import type { CalDavConnect, CalendarConnection, DiscoveredCalendar, GoogleConnectLink } from '../types.js';
import { ConfirmButton, CopyButton, LoadError, Loading, Notice, problemOfError, StatusBadge, toApiError, useLoad } from '../ui/common.js';
import { Checkbox, Fieldset, Form, Radio, SaveActions, SelectField, TextAreaField, TextField } from '../ui/form.js';

type ConnectKind = 'google' | 'caldav' | 'service_account' | 'builtin';

const KIND_CHOICES: { value: ConnectKind; label: string; hint: (name: string) => string }[] = [
  { value: 'google', label: 'Google Calendar', hint: (name) => `${name} signs in with Google once` },
  { value: 'caldav', label: 'iCloud, Fastmail, Nextcloud or another CalDAV server', hint: () => 'With an app-specific password' },
  { value: 'service_account', label: 'Google Workspace service account', hint: (name) => `For Workspace admins: ${name} does not sign in` },
  { value: 'builtin', label: 'No external calendar', hint: () => 'Only Beckon bookings count as busy time' },
];

export function CalendarConnections(props: { member: Member }) {
  const { member } = props;
  const calendars = useLoad(() => api.listCalendars(member.id), [member.id]);
  const [kind, setKind] = useState<ConnectKind>('google');
  const [replacing, setReplacing] = useState<CalendarConnection | null>(null);
  const [announcement, setAnnouncement] = useState('');
  // CalDAV calendars are listed by URL; the names their server gave them are learnt on connecting.
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const sectionHeading = useRef<HTMLHeadingElement>(null);
  const connectHeading = useRef<HTMLHeadingElement>(null);

  const changed = (message: string, discovered: DiscoveredCalendar[] = []) => {
    if (discovered.length > 0) setNames(new Map([...names, ...discovered.map((c): [string, string] => [c.url, c.displayName || calendarName(c.url)])]));
    setAnnouncement(message);
    calendars.reload();
  };

  const reconnect = (connection: CalendarConnection) => {
    setKind(connection.provider === 'caldav' ? 'caldav' : 'google');
    setReplacing(connection.provider === 'caldav' ? connection : null);
    setAnnouncement('');
    requestAnimationFrame(() => {
      connectHeading.current?.focus();
      connectHeading.current?.scrollIntoView({ block: 'start' });
    });
  };

  const list = calendars.data;
  return (
    <section class="section calendars" aria-labelledby="calendars">
      <h2 id="calendars" class="section-title" tabIndex={-1} ref={sectionHeading}>
        Calendars
      </h2>
      <p class="hint">
        Beckon reads these for busy time, so {member.name} is never offered over another meeting, and adds each interview to one of them.
      </p>
      <p role="status" class="saved">
        {announcement}
      </p>
      {calendars.error && <LoadError error={calendars.error} what="Calendars" onRetry={calendars.reload} />}
      {calendars.loading && !list && <Loading what="calendars" />}
      {list && list.length === 0 && (
        <p class="muted">
          No calendar connected yet. Until one is, Beckon only knows about {member.name}’s Beckon bookings and may offer times when they are in other meetings.
        </p>
      )}
      {list && list.length > 0 && (
        <ul class="cards connections">
          {list.map((connection) => (
            <ConnectionCard
              key={connection.id}
              connection={connection}
              member={member}
              names={names}
              onReconnect={reconnect}
              onChanged={changed}
              onRemoved={() => {
                calendars.set(list.filter((c) => c.id !== connection.id));
                if (replacing?.id === connection.id) setReplacing(null);
                setAnnouncement(`Removed ${connection.label}.`);
                sectionHeading.current?.focus();
              }}
            />
          ))}
        </ul>
      )}

      <div class="connect" role="group" aria-labelledby="connect-calendar">
        <h3 id="connect-calendar" class="subsection-title" tabIndex={-1} ref={connectHeading}>
          {replacing ? `Reconnect ${replacing.label}` : 'Connect a calendar'}
        </h3>
        {!replacing && (
          <Fieldset legend="Kind of calendar" class="radios">
            {KIND_CHOICES.map((choice) => (
              <Radio
                key={choice.value}
                name="calendar-kind"
                value={choice.value}
                current={kind}
                label={choice.label}
                hint={choice.hint(member.name)}
                onChange={(value) => {
                  setKind(value);
                  setAnnouncement('');
                }}
              />
            ))}
          </Fieldset>
        )}
        {kind === 'google' && <GoogleConnect member={member} onCheckAgain={calendars.reload} />}
        {kind === 'caldav' && (
          <CalDavConnect
            key={replacing?.id ?? 'new'}
            memberId={member.id}
            replacing={replacing}
            onCancelReplace={() => setReplacing(null)}
            onStored={calendars.reload}
            onChanged={(message, discovered) => {
              setReplacing(null);
              changed(message, discovered);
            }}
          />
        )}
        {kind === 'service_account' && <ServiceAccountConnect member={member} onConnected={(connection) => changed(`Connected ${connection.label}.`)} />}
        {kind === 'builtin' && (
          <BuiltinConnect
            member={member}
            alreadyConnected={Boolean(list?.some((c) => c.provider === 'builtin'))}
            onConnected={(connection) => changed(`Connected ${connection.label}.`)}
          />
        )}
      </div>
    </section>
  );
}

function ConnectionCard(props: {
  connection: CalendarConnection;
  member: Member;
  names: ReadonlyMap<string, string>;
  onReconnect: (connection: CalendarConnection) => void;
  onRemoved: () => void;
  onChanged: (message: string, discovered: DiscoveredCalendar[]) => void;
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

  const openChoice = async () => {
    setListError(null);
    if (connection.provider !== 'caldav') return setChoosing(null);
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
    requestAnimationFrame(() => changeButton.current?.focus());
  };
  const headingId = `connection-${connection.id}`;
  const zone = browserTimeZone();

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
      <dl class="facts">
        <div>
          <dt>Provider</dt>
          <dd>{PROVIDER_LABELS[connection.provider]}</dd>
        </div>
        <div>
          <dt>Busy time</dt>
          <dd>{describeBusyCalendars(connection, props.names)}</dd>
        </div>
        <div>
          <dt>Interviews</dt>
          <dd>{describeWriteCalendar(connection, props.names)}</dd>
        </div>
        <div>
          <dt>Connected</dt>
          <dd>{formatLocalDate(localDate(connection.createdAt, zone), undefined, 'medium')}</dd>
        </div>
      </dl>
      {broken && (
        <Notice kind="warning" title={`Not working: ${member.name} is not offered for interviews until this is fixed`}>
          {connection.lastError && <p class="last-error">The calendar said: {connection.lastError}</p>}
          <p>{brokenConnectionFix(connection.provider, member.name)}</p>
          {connection.provider !== 'builtin' && (
            <button type="button" class="button-primary button-small" onClick={() => props.onReconnect(connection)}>
              Reconnect<span class="visually-hidden"> {connection.label}</span>
            </button>
          )}
        </Notice>
      )}
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
    </li>
  );
}

function GoogleConnect(props: { member: Member; onCheckAgain: () => void }) {
  const { member } = props;
  const [link, setLink] = useState<GoogleConnectLink | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      setLink(await api.googleConnectLink(member.id));
    } catch (e) {
      setLink(null);
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="connect-google">
      <p>
        {member.name} opens a sign-in link in their own browser, signs in with Google and allows Beckon to see when they are busy and to add interviews. Beckon
        then uses their primary calendar. Signing in again replaces a broken Google connection.
      </p>
      <button type="button" class="button-primary" onClick={create} disabled={busy}>
        {busy ? 'Creating…' : link ? 'Create a new sign-in link' : 'Create a Google sign-in link'}
      </button>
      {error &&
        (error.code === 'google_oauth_not_configured' ? (
          <Notice kind="warning" title="Google sign-in is not set up on this server">
            <p>{error.message}.</p>
            <p>
              docs/calendars.md (“Google Calendar with your own OAuth client”) has the steps. Until then, connect a Google Workspace service account or a CalDAV
              calendar.
            </p>
          </Notice>
        ) : (
          <Notice kind="error" title="Could not create a sign-in link">
            <p>{error.message}</p>
          </Notice>
        ))}
      {link && (
        <div class="connect-link" role="group" aria-label="Google sign-in link">
          <div class="booking-link">
            <span class="booking-link-label">
              Sign-in link for {member.name}, works until {formatTime(link.expiresAt, browserTimeZone())}
            </span>
            <a class="booking-url" href={link.url} target="_blank" rel="noopener noreferrer">
              {link.url}
            </a>
            <CopyButton text={link.url} label="Copy the Google sign-in link" />
          </div>
          <p class="hint">
            Send it to {member.name}. Once they see “Calendar connected”,{' '}
            <button type="button" class="button-link" onClick={props.onCheckAgain}>
              check again
            </button>{' '}
            to see the connection here.
          </p>
        </div>
      )}
    </div>
  );
}

/** After connecting a CalDAV account with several calendars: the connection and the account's calendars to choose from. */
interface CalendarChoice {
  connection: CalendarConnection;
  discovered: DiscoveredCalendar[];
}

function CalDavConnect(props: {
  memberId: string;
  replacing: CalendarConnection | null;
  onCancelReplace: () => void;
  /** A connection was stored or removed on the way (the list should show it). */
  onStored: () => void;
  onChanged: (message: string, discovered: DiscoveredCalendar[]) => void;
}) {
  const [draft, setDraft] = useState<CalDavDraft>(() => emptyCalDavDraft());
  const [choice, setChoice] = useState<CalendarChoice | null>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const service = CALDAV_SERVICES.find((s) => s.value === draft.service)!;
  const set = (patch: Partial<CalDavDraft>) => setDraft((d) => ({ ...d, ...patch }));

  /** Connects; the connection it replaces (a broken one, or the first try before a calendar choice) goes once the new one works. */
  const connect = async (body: CalDavConnect, replaces: CalendarConnection | null) => {
    const result = await api.connectCalendar(props.memberId, body);
    let removeProblem = '';
    if (replaces) {
      await api.disconnectCalendar(props.memberId, replaces.id).catch((e: unknown) => {
        removeProblem = ` ${replaces.label} could not be removed (${toApiError(e).message}); remove it below.`;
      });
    }
    return { ...result, removeProblem };
  };

  const finish = (message: string, discovered: DiscoveredCalendar[]) => {
    // The password is not kept a moment longer than the connecting takes.
    setDraft(emptyCalDavDraft(draft.service));
    setChoice(null);
    setProblems([]);
    props.onChanged(message, discovered);
  };

  const submitCredentials = async () => {
    const result = calDavFromDraft(draft);
    if ('problems' in result) return setProblems(result.problems);
    setBusy(true);
    setProblems([]);
    try {
      const { calendar, discovered = [], removeProblem } = await connect(result.body, props.replacing);
      const calendarsWithEvents = discovered.filter((c) => c.events);
      if (calendarsWithEvents.length > 1) {
        props.onStored();
        // Choosing calendars uses the stored connection: the password is not needed any more.
        setDraft(emptyCalDavDraft(draft.service));
        setChoice({ connection: calendar, discovered: calendarsWithEvents });
        if (removeProblem) setProblems([{ message: removeProblem.trim() }]);
      } else {
        finish(`Connected ${calendar.label}.${removeProblem}`, calendarsWithEvents);
      }
    } catch (error) {
      const e = toApiError(error);
      setProblems([{ field: fieldOfError(e), message: connectErrorMessage(e) }]);
    } finally {
      setBusy(false);
    }
  };

  if (choice) {
    return (
      <CalendarChoiceForm
        memberId={props.memberId}
        connection={choice.connection}
        calendars={choice.discovered}
        formLabel="Choose calendars"
        saveLabel="Save calendar choice"
        intro={
          <Notice kind="success" live>
            <p>
              Connected {choice.connection.label}. It has {choice.discovered.length} calendars: choose which ones count as busy time and which one gets the interviews.
            </p>
            {problems.map((problem) => (
              <p key={problem.message}>{problem.message}</p>
            ))}
          </Notice>
        }
        cancelLabel="Keep it as it is"
        onCancel={() => finish(`Connected ${choice.connection.label}.`, choice.discovered)}
        onSaved={(connection, discovered) => finish(`Connected ${connection.label}.`, discovered)}
      />
    );
  }

  return (
    <Form problems={problems} onSubmit={submitCredentials} aria-label={props.replacing ? `Reconnect ${props.replacing.label}` : 'Connect a CalDAV calendar'}>
      {props.replacing && (
        <p>
          Connect the account again with a new app-specific password. {props.replacing.label} is removed once the new connection works.
        </p>
      )}
      <SelectField<CalDavService>
        path="service"
        label="Service"
        value={draft.service}
        options={CALDAV_SERVICES.map((s) => ({ value: s.value, label: s.label }))}
        onChange={(next) => {
          // Swap the address only when it is still the previous service's own.
          const known = CALDAV_SERVICES.find((s) => s.value === next)!.serverUrl;
          set({ service: next, serverUrl: known || (draft.serverUrl === service.serverUrl ? '' : draft.serverUrl) });
        }}
      />
      <TextField
        path="serverUrl"
        label="Server address"
        hint={
          draft.service === 'nextcloud'
            ? 'Your Nextcloud address followed by /remote.php/dav, e.g. https://cloud.example.com/remote.php/dav'
            : 'Beckon finds the calendars from this address.'
        }
        type="url"
        value={draft.serverUrl}
        spellcheck={false}
        autoComplete="off"
        placeholder="https://caldav.example.com"
        onInput={(serverUrl) => set({ serverUrl })}
      />
      <div class="row">
        <TextField path="username" label="Username" hint={service.username} value={draft.username} size="medium" spellcheck={false} autoComplete="off" onInput={(username) => set({ username })} />
        <TextField
          path="password"
          label="App-specific password"
          hint={service.password}
          type="password"
          value={draft.password}
          size="medium"
          autoComplete="new-password"
          onInput={(password) => set({ password })}
        />
      </div>
      <TextField
        path="label"
        label="Shown here as (optional)"
        hint="Default: the username @ the server"
        value={draft.label}
        maxLength={120}
        size="medium"
        onInput={(label) => set({ label })}
      />
      <p class="hint">Beckon signs in with the password before it stores anything, keeps it encrypted, and never shows it again.</p>
      <SaveActions
        busy={busy}
        label={props.replacing ? 'Reconnect' : 'Connect'}
        status=""
        secondary={
          props.replacing && (
            <button type="button" class="button-secondary" onClick={props.onCancelReplace}>
              Cancel
            </button>
          )
        }
      />
    </Form>
  );
}

/**
 * Which calendars count as busy time and which one gets the interviews, saved on the connection
 * with the access it already has. CalDAV calendars are listed; Google ones are typed as ids.
 */
function CalendarChoiceForm(props: {
  memberId: string;
  connection: CalendarConnection;
  /** The account's calendars; null where they are not listed (Google). */
  calendars: DiscoveredCalendar[] | null;
  formLabel: string;
  saveLabel: string;
  intro?: ComponentChildren;
  cancelLabel: string;
  onCancel: () => void;
  onSaved: (connection: CalendarConnection, discovered: DiscoveredCalendar[]) => void;
}) {
  const { connection, calendars } = props;
  // Field paths per connection: a card's form and a new connection's can be open at once.
  const scope = `calendars-${connection.id}`;
  const form = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Opened on request: the first choice takes focus.
    form.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, []);
  const [draft, setDraft] = useState<CalendarChoiceDraft>(() => choiceDraftOf(connection));
  const [typedBusy, setTypedBusy] = useState(() => connection.busyCalendarIds.join('\n'));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    const result = calendarChoiceFromDraft(calendars ? draft : { ...draft, busy: calendarIdsOfText(typedBusy) }, connection);
    if ('problems' in result) return setProblems(result.problems.map((problem) => ({ ...problem, field: `${scope}.${problem.field}` })));
    if (!result.body) return props.onSaved(connection, calendars ?? []);
    setSaving(true);
    setProblems([]);
    try {
      const saved = await api.chooseCalendars(props.memberId, connection.id, result.body);
      props.onSaved(saved.calendar, saved.discovered ?? calendars ?? []);
    } catch (error) {
      const problem = problemOfError(error);
      setProblems([{ ...problem, field: problem.field && `${scope}.${problem.field}` }]);
    } finally {
      setSaving(false);
    }
  };

  const nameOf = (calendar: DiscoveredCalendar) => calendar.displayName || calendarName(calendar.url);
  return (
    <Form problems={problems} onSubmit={submit} aria-label={props.formLabel} class="calendar-choice">
      <div ref={form}>
      {props.intro}
      {calendars ? (
        <>
          <Fieldset path={`${scope}.busyCalendarIds`} legend="Check for busy time" class="checks">
            {calendars.map((calendar) => (
              <Checkbox
                key={calendar.url}
                label={nameOf(calendar)}
                checked={draft.busy.includes(calendar.url)}
                onChange={(on) => setDraft({ ...draft, busy: on ? [...draft.busy, calendar.url] : draft.busy.filter((url) => url !== calendar.url) })}
              />
            ))}
          </Fieldset>
          <Fieldset path={`${scope}.writeCalendarId`} legend="Add interviews to" class="radios">
            {calendars.map((calendar) => (
              <Radio key={calendar.url} name={`write-${connection.id}`} value={calendar.url} current={draft.write} label={nameOf(calendar)} onChange={(write) => setDraft({ ...draft, write })} />
            ))}
            <Radio
              name={`write-${connection.id}`}
              value=""
              current={draft.write}
              label="None"
              hint="Interviews reach the calendar only through the invite email"
              onChange={(write) => setDraft({ ...draft, write })}
            />
          </Fieldset>
        </>
      ) : (
        <>
          <TextAreaField
            path={`${scope}.busyCalendarIds`}
            label="Check for busy time"
            hint="Calendar ids, one per line: primary is the main calendar; the others are under the calendar’s settings in Google Calendar, “Calendar ID”."
            value={typedBusy}
            rows={3}
            code
            onInput={setTypedBusy}
          />
          <TextField
            path={`${scope}.writeCalendarId`}
            label="Add interviews to"
            hint="A calendar id, such as primary; empty: interviews reach the calendar only through the invite email"
            value={draft.write}
            size="medium"
            spellcheck={false}
            autoComplete="off"
            onInput={(write) => setDraft({ ...draft, write })}
          />
        </>
      )}
      </div>
      <SaveActions
        busy={saving}
        label={props.saveLabel}
        status=""
        secondary={
          <button type="button" class="button-secondary" onClick={props.onCancel}>
            {props.cancelLabel}
          </button>
        }
      />
    </Form>
  );
}

function ServiceAccountConnect(props: { member: Member; onConnected: (connection: CalendarConnection) => void }) {
  const { member } = props;
  const empty: ServiceAccountDraft = { keyFile: '', subject: '' };
  const [draft, setDraft] = useState<ServiceAccountDraft>(empty);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const result = serviceAccountFromDraft(draft);
    if ('problems' in result) return setProblems(result.problems);
    setBusy(true);
    setProblems([]);
    try {
      const { calendar } = await api.connectCalendar(member.id, result.body);
      setDraft(empty);
      props.onConnected(calendar);
    } catch (error) {
      const e = toApiError(error);
      setProblems([{ field: serviceAccountField(fieldOfError(e)), message: connectErrorMessage(e) }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form problems={problems} onSubmit={submit} aria-label="Connect with a Google service account">
      <p class="hint">
        A service account with domain-wide delegation acts as {member.name}; docs/calendars.md lists the steps and the two scopes to grant. Beckon checks the key
        by reading free/busy, keeps it encrypted, and never shows it again.
      </p>
      <TextAreaField
        path="keyFile"
        label="Key file (JSON)"
        hint="Paste the whole key file downloaded from Google Cloud."
        value={draft.keyFile}
        rows={5}
        code
        onInput={(keyFile) => setDraft({ ...draft, keyFile })}
      />
      <TextField
        path="subject"
        label="Act as (optional)"
        hint={`The Workspace user whose calendar to use; ${member.email} if empty`}
        type="email"
        value={draft.subject}
        size="medium"
        autoComplete="off"
        onInput={(subject) => setDraft({ ...draft, subject })}
      />
      <SaveActions busy={busy} label="Connect" status="" />
    </Form>
  );
}

function BuiltinConnect(props: { member: Member; alreadyConnected: boolean; onConnected: (connection: CalendarConnection) => void }) {
  const { member } = props;
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const connect = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onConnected((await api.connectCalendar(member.id, { provider: 'builtin' })).calendar);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <p>
        Only {member.name}’s Beckon bookings count as busy time, and the invite in the confirmation email is the calendar entry. For interviewers whose calendar
        Beckon cannot read.
      </p>
      {props.alreadyConnected ? (
        <p class="muted">{member.name} already uses the built-in calendar.</p>
      ) : (
        <button type="button" class="button-primary" onClick={connect} disabled={busy}>
          Use the built-in calendar
        </button>
      )}
      {error && (
        <Notice kind="error" title="Could not connect">
          <p>{error.message}</p>
        </Notice>
      )}
    </div>
  );
}
