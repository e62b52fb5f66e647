// When the intercept is shown on the page: pages to ask on and never to ask on, time on the page,
// page views, tracked events and exit intent, with the result in one plain-English line.
import type { UrlMatch } from '@beckon/shared/rules';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import {
  describeTriggers,
  MATCH_LABELS,
  MAX_EVENT_LENGTH,
  MAX_PATTERN_LENGTH,
  MAX_TRIGGERS,
  newEvent,
  newUrlPattern,
  triggerCount,
  triggerPaths,
  triggersFromDraft,
  type EventDraft,
  type TriggersDraft,
  type UrlPatternDraft,
} from '../lib/triggers.js';
import { Checkbox, ErrorSlot, Fieldset, focusField, NumberField, SelectField, TextField } from '../ui/form.js';

const MATCH_OPTIONS = (['glob', 'exact', 'contains'] as const).map((value) => ({ value, label: MATCH_LABELS[value] }));

export function TriggersEditor(props: { draft: TriggersDraft; onChange: (draft: TriggersDraft) => void }) {
  const { draft, onChange } = props;
  const set = (patch: Partial<TriggersDraft>) => onChange({ ...draft, ...patch });
  const canAdd = triggerCount(draft) < MAX_TRIGGERS;
  // After adding or removing a row, focus goes to a control that is still there once it renders.
  const [focusPath, setFocusPath] = useState<string | null>(null);
  useEffect(() => {
    if (!focusPath) return;
    focusField(focusPath);
    setFocusPath(null);
  }, [focusPath]);

  return (
    <Fieldset
      path={triggerPaths.section}
      legend="When to ask"
      legendClass="section-title"
      class="section"
      hint="Leave it all empty to ask on any page as soon as it loads. Everything you set must hold at once; within a list, any one entry is enough."
    >
      <UrlPatternList
        list="pages"
        legend="Pages to ask on"
        hint={
          <>
            Any one of these; none: every page. <code>/app/*</code> means /app and every page under it, such as /app/settings; <code>/pricing</code> means just that page.
            Addresses starting with / ignore the domain, and the ?query and #part unless you type them. Case does not matter.
          </>
        }
        rowLabel="to ask on"
        placeholder="e.g. /pricing"
        addLabel="Add a page to ask on"
        rows={draft.pages}
        canAdd={canAdd}
        onChange={(pages) => set({ pages })}
        onFocus={setFocusPath}
      />
      <UrlPatternList
        list="excludedPages"
        legend="Pages never to ask on"
        hint="Checkout, sign-up, anywhere an interruption hurts. These win over everything else."
        rowLabel="never to ask on"
        placeholder="e.g. /checkout*"
        addLabel="Add a page never to ask on"
        rows={draft.excludedPages}
        canAdd={canAdd}
        onChange={(excludedPages) => set({ excludedPages })}
        onFocus={setFocusPath}
      />

      <div class="row">
        <NumberField
          path={triggerPaths.delay}
          label="Wait on the page for"
          hint="Empty: as soon as the page loads."
          value={draft.delaySeconds}
          suffix="seconds"
          onInput={(delaySeconds) => set({ delaySeconds })}
        />
        <NumberField
          path={triggerPaths.pageViews}
          label="From page view number"
          hint="Empty: from the first page view."
          value={draft.pageViews}
          suffix="in the visit"
          onInput={(pageViews) => set({ pageViews })}
        />
      </div>

      <EventList rows={draft.events} canAdd={canAdd} onChange={(events) => set({ events })} onFocus={setFocusPath} />

      <ErrorSlot path={triggerPaths.exitIntent} class="field">
        <Checkbox
          label="When they are about to leave the page"
          hint=" · exit intent: the pointer heads for the tabs or address bar (desktop only)"
          checked={draft.exitIntent}
          disabled={!draft.exitIntent && !canAdd}
          onChange={(exitIntent) => set({ exitIntent })}
        />
      </ErrorSlot>

      <p class="trigger-summary">
        <strong>Shown:</strong> {describeTriggers(triggersFromDraft(draft).triggers)}
      </p>
    </Fieldset>
  );
}

/**
 * A list of trigger rows with add and remove. Focus follows the keyboard user: to a new row, or
 * after a removal to the row before (with none left, to the group, whose first control is then
 * the add button).
 */
function TriggerRows<Row extends { id: string }>(props: {
  path: string;
  legend: string;
  hint: ComponentChildren;
  rows: Row[];
  canAdd: boolean;
  addLabel: string;
  newRow: () => Row;
  /** The path of row i's first control, where focus goes. */
  rowPath: (i: number) => string;
  removeLabel: (i: number) => string;
  renderRow: (row: Row, i: number, update: (patch: Partial<Row>) => void) => ComponentChildren;
  onChange: (rows: Row[]) => void;
  onFocus: (path: string) => void;
}) {
  const { rows, onChange } = props;
  const remove = (i: number) => {
    onChange(rows.filter((_, k) => k !== i));
    props.onFocus(rows.length > 1 ? props.rowPath(Math.max(0, i - 1)) : props.path);
  };
  return (
    <Fieldset path={props.path} legend={props.legend} hint={props.hint} class="trigger-list">
      {rows.length > 0 && (
        <ul class="trigger-rows">
          {rows.map((row, i) => (
            <li key={row.id} class="trigger-row">
              {props.renderRow(row, i, (patch) => onChange(rows.map((r, k) => (k === i ? { ...r, ...patch } : r))))}
              <button type="button" class="button-icon" aria-label={props.removeLabel(i)} onClick={() => remove(i)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {props.canAdd && (
        <button
          type="button"
          class="button-link"
          onClick={() => {
            onChange([...rows, props.newRow()]);
            props.onFocus(props.rowPath(rows.length));
          }}
        >
          + {props.addLabel}
        </button>
      )}
    </Fieldset>
  );
}

function UrlPatternList(props: {
  list: 'pages' | 'excludedPages';
  legend: string;
  hint: ComponentChildren;
  /** Completes "Page 2 …" in the labels of a row's controls. */
  rowLabel: string;
  placeholder: string;
  addLabel: string;
  rows: UrlPatternDraft[];
  canAdd: boolean;
  onChange: (rows: UrlPatternDraft[]) => void;
  onFocus: (path: string) => void;
}) {
  const { list } = props;
  return (
    <TriggerRows
      path={triggerPaths[list]}
      legend={props.legend}
      hint={props.hint}
      rows={props.rows}
      canAdd={props.canAdd}
      addLabel={props.addLabel}
      newRow={newUrlPattern}
      rowPath={(i) => triggerPaths.pattern(list, i)}
      removeLabel={(i) => `Remove page ${i + 1} ${props.rowLabel}`}
      onChange={props.onChange}
      onFocus={props.onFocus}
      renderRow={(row, i, update) => (
        <>
          <SelectField<UrlMatch>
            path={triggerPaths.match(list, i)}
            label={`How page ${i + 1} ${props.rowLabel} is matched`}
            hideLabel
            value={row.match}
            options={MATCH_OPTIONS}
            onChange={(match) => update({ match })}
          />
          <TextField
            path={triggerPaths.pattern(list, i)}
            label={`Page ${i + 1} ${props.rowLabel}`}
            hideLabel
            placeholder={props.placeholder}
            value={row.pattern}
            maxLength={MAX_PATTERN_LENGTH}
            spellcheck={false}
            onInput={(pattern) => update({ pattern })}
          />
        </>
      )}
    />
  );
}

function EventList(props: { rows: EventDraft[]; canAdd: boolean; onChange: (rows: EventDraft[]) => void; onFocus: (path: string) => void }) {
  return (
    <TriggerRows
      path={triggerPaths.events}
      legend="Right after the user does"
      hint="An event your product sends with track(), e.g. report_exported; any one of them. None: no event needed."
      rows={props.rows}
      canAdd={props.canAdd}
      addLabel="Add an event"
      newRow={newEvent}
      rowPath={(i) => triggerPaths.event(i)}
      removeLabel={(i) => `Remove event ${i + 1}`}
      onChange={props.onChange}
      onFocus={props.onFocus}
      renderRow={(row, i, update) => (
        <TextField
          path={triggerPaths.event(i)}
          label={`Event ${i + 1}`}
          hideLabel
          placeholder="e.g. report_exported"
          value={row.event}
          maxLength={MAX_EVENT_LENGTH}
          spellcheck={false}
          onInput={(event) => update({ event })}
        />
      )}
    />
  );
}
