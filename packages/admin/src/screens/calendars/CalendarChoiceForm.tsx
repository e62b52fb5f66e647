// Which calendars count as busy time and which one gets the interviews, saved on the connection
// with the access it already has (no password again). CalDAV and Microsoft calendars are listed
// to tick; Google ones are typed as ids, since Beckon does not list them.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { calendarChoiceFromDraft, calendarIdsOfText, calendarName, choiceDraftOf, type CalendarChoiceDraft } from '../../lib/calendars.js';
import type { FieldProblem } from '../../lib/fields.js';
import type { CalendarConnection, DiscoveredCalendar } from '../../types.js';
import { problemOfError } from '../../ui/common.js';
import { Checkbox, Fieldset, Form, Radio, SaveActions, TextAreaField, TextField } from '../../ui/form.js';

export function CalendarChoiceForm(props: {
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

  return (
    <Form problems={problems} onSubmit={submit} aria-label={props.formLabel} class="calendar-choice">
      <div ref={form}>
        {props.intro}
        {calendars ? (
          <ListedCalendars scope={scope} connectionId={connection.id} calendars={calendars} draft={draft} onChange={setDraft} />
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

/** A CalDAV or Microsoft account's calendars: tick those to read, pick the one to write to (or none). */
function ListedCalendars(props: {
  scope: string;
  connectionId: string;
  calendars: DiscoveredCalendar[];
  draft: CalendarChoiceDraft;
  onChange: (draft: CalendarChoiceDraft) => void;
}) {
  const { scope, calendars, draft, onChange } = props;
  const nameOf = (calendar: DiscoveredCalendar) => calendar.displayName || calendarName(calendar.url);
  const radioName = `write-${props.connectionId}`;
  return (
    <>
      <Fieldset path={`${scope}.busyCalendarIds`} legend="Check for busy time" class="checks">
        {calendars.map((calendar) => (
          <Checkbox
            key={calendar.url}
            label={nameOf(calendar)}
            checked={draft.busy.includes(calendar.url)}
            onChange={(on) => onChange({ ...draft, busy: on ? [...draft.busy, calendar.url] : draft.busy.filter((url) => url !== calendar.url) })}
          />
        ))}
      </Fieldset>
      <Fieldset path={`${scope}.writeCalendarId`} legend="Add interviews to" class="radios">
        {calendars.map((calendar) => (
          <Radio key={calendar.url} name={radioName} value={calendar.url} current={draft.write} label={nameOf(calendar)} onChange={(write) => onChange({ ...draft, write })} />
        ))}
        <Radio
          name={radioName}
          value=""
          current={draft.write}
          label="None"
          hint="Interviews reach the calendar only through the invite email"
          onChange={(write) => onChange({ ...draft, write })}
        />
      </Fieldset>
    </>
  );
}
