// Connecting a CalDAV account (iCloud, Fastmail, Nextcloud…) with an app-specific password, then,
// when the account has several calendars, choosing which ones Beckon uses. Also reconnects a
// broken CalDAV connection: the new one replaces it once it works.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { CALDAV_SERVICES, calDavFromDraft, connectErrorMessage, emptyCalDavDraft, type CalDavDraft, type CalDavService } from '../../lib/calendars.js';
import { fieldOfError, type FieldProblem } from '../../lib/fields.js';
import type { CalDavConnect as CalDavConnectBody, CalendarConnection, DiscoveredCalendar } from '../../types.js';
import { Notice, toApiError } from '../../ui/common.js';
import { Form, SaveActions, SelectField, TextField } from '../../ui/form.js';
import { CalendarChoiceForm } from './CalendarChoiceForm.js';

/** After connecting a CalDAV account with several calendars: the connection and the account's calendars to choose from. */
interface PendingChoice {
  connection: CalendarConnection;
  discovered: DiscoveredCalendar[];
}

export function CalDavConnect(props: {
  memberId: string;
  replacing: CalendarConnection | null;
  onCancelReplace: () => void;
  /** A connection was stored or removed on the way (the list should show it). */
  onStored: () => void;
  onChanged: (message: string, discovered: DiscoveredCalendar[]) => void;
}) {
  const [draft, setDraft] = useState<CalDavDraft>(() => emptyCalDavDraft());
  const [choice, setChoice] = useState<PendingChoice | null>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);

  /** Connects; the connection it replaces (a broken one, or the first try before a calendar choice) goes once the new one works. */
  const connect = async (body: CalDavConnectBody, replaces: CalendarConnection | null) => {
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
    <CredentialsForm
      draft={draft}
      onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))}
      problems={problems}
      busy={busy}
      replacing={props.replacing}
      onCancelReplace={props.onCancelReplace}
      onSubmit={submitCredentials}
    />
  );
}

/** The account's address, username and app-specific password, with hints for the chosen service. */
function CredentialsForm(props: {
  draft: CalDavDraft;
  onChange: (patch: Partial<CalDavDraft>) => void;
  problems: FieldProblem[];
  busy: boolean;
  replacing: CalendarConnection | null;
  onCancelReplace: () => void;
  onSubmit: () => void;
}) {
  const { draft, onChange: set, replacing } = props;
  const service = CALDAV_SERVICES.find((s) => s.value === draft.service)!;
  return (
    <Form problems={props.problems} onSubmit={props.onSubmit} aria-label={replacing ? `Reconnect ${replacing.label}` : 'Connect a CalDAV calendar'}>
      {replacing && <p>Connect the account again with a new app-specific password. {replacing.label} is removed once the new connection works.</p>}
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
        busy={props.busy}
        label={replacing ? 'Reconnect' : 'Connect'}
        status=""
        secondary={
          replacing && (
            <button type="button" class="button-secondary" onClick={props.onCancelReplace}>
              Cancel
            </button>
          )
        }
      />
    </Form>
  );
}
