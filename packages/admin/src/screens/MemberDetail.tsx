import type { Availability, Member } from '@beckon/shared/api';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import {
  availabilityFromDraft,
  copyDay,
  draftFromAvailability,
  flatIndex,
  WEEKDAYS,
  type AvailabilityDraft,
  type Interval,
  type OverrideDraft,
} from '../lib/availability.js';
import { fieldId, type FieldProblem } from '../lib/fields.js';
import { addDays, browserTimeZone, localDate, timeZones } from '../lib/time.js';
import { href } from '../router.js';
import { canForMember } from '../session.js';
import { LoadError, Loading, minutesSuffix, PageHeading, problemOfError, toApiError, useLoad } from '../ui/common.js';
import { Checkbox, ErrorSlot, Fieldset, Form, NumberField, ReadOnly, SelectField, TextField, useFieldError, SaveActions } from '../ui/form.js';
import { CalendarConnections } from './calendars/index.js';
import { ZoomConnection } from './calendars/ZoomConnection.js';
import { ROLE_OPTIONS, type Role } from './Members.js';
import './MemberDetail.css';

export function MemberDetailScreen(props: { memberId: string }) {
  const members = useLoad(() => api.listMembers(), []);
  const availability = useLoad(() => api.getAvailability(props.memberId), [props.memberId]);
  const member = members.data?.find((m) => m.id === props.memberId);
  const title = member ? member.name : 'Member';

  return (
    <>
      <p class="breadcrumb">
        <a href={href('/members')}>← Members</a>
      </p>
      <PageHeading title={title}>{title}</PageHeading>
      {members.error && <LoadError error={members.error} what="Members" onRetry={members.reload} />}
      {(members.loading || availability.loading) && <Loading what="the member" />}
      {members.data && !member && <LoadError error={toApiError(new Error('No such member in this workspace'))} what="Member" />}
      {member && (
        <ReadOnly when={!canForMember('members:write', member.id)}>
          <MemberDetails
            key={member.id}
            member={member}
            onSaved={(updated) => members.set((members.data ?? []).map((m) => (m.id === updated.id ? updated : m)))}
          />
        </ReadOnly>
      )}
      {member && <CalendarConnections key={member.id} member={member} mayChange={canForMember('calendars:write', member.id)} />}
      {member && <ZoomConnection key={member.id} member={member} mayChange={canForMember('calendars:write', member.id)} />}
      {availability.error && <LoadError error={availability.error} what="Availability" onRetry={availability.reload} />}
      {member && availability.data && (
        <ReadOnly when={!canForMember('availability:write', member.id)}>
          <AvailabilityEditor
            key={member.id}
            memberId={member.id}
            availability={availability.data}
            onSaved={(saved) => {
              availability.set(saved);
              members.set((members.data ?? []).map((m) => (m.id === member.id ? { ...m, timeZone: saved.timeZone } : m)));
            }}
          />
        </ReadOnly>
      )}
    </>
  );
}

type FallbackKind = NonNullable<Member['joinFallback']>['kind'];
const FALLBACK_LABELS: Record<FallbackKind, string> = { video_url: 'Personal meeting link', phone: 'Phone number', in_person: 'Address' };

function MemberDetails(props: { member: Member; onSaved: (member: Member) => void }) {
  const { member } = props;
  const [draft, setDraft] = useState({
    name: member.name,
    email: member.email,
    role: member.role as Role,
    active: member.active,
    fallbackKind: (member.joinFallback?.kind ?? '') as FallbackKind | '',
    fallbackDetails: member.joinFallback?.details ?? '',
  });
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<typeof draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setStatus('');
  };
  const submit = async () => {
    if (!draft.name.trim()) return setProblems([{ field: 'name', message: 'Name is required' }]);
    const details = draft.fallbackDetails.trim();
    if (draft.fallbackKind && !details) return setProblems([{ field: 'joinFallback.details', message: `Enter the ${FALLBACK_LABELS[draft.fallbackKind].toLowerCase()}` }]);
    const joinFallback = draft.fallbackKind ? { kind: draft.fallbackKind, details } : null;
    setBusy(true);
    setProblems([]);
    try {
      const updated = await api.updateMember(member.id, { name: draft.name.trim(), email: draft.email.trim(), role: draft.role, active: draft.active, joinFallback });
      props.onSaved(updated);
      setStatus('Saved.');
    } catch (error) {
      setProblems([problemOfError(error)]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="section" aria-labelledby="member-details">
      <h2 id="member-details" class="section-title">
        Details
      </h2>
      <Form problems={problems} onSubmit={submit} aria-label="Member details">
        <div class="row">
          <TextField path="name" label="Name" value={draft.name} maxLength={120} size="medium" onInput={(name) => set({ name })} />
          <TextField path="email" label="Email" type="email" value={draft.email} size="medium" onInput={(email) => set({ email })} />
          <SelectField path="role" label="Role" value={draft.role} options={ROLE_OPTIONS} onChange={(role) => set({ role })} />
        </div>
        <Checkbox label="Active" hint=" · inactive members are not offered for new studies" checked={draft.active} onChange={(active) => set({ active })} />
        <Fieldset path="joinFallback" legend="If a study gives no way to join">
          <p class="hint">Used when a Google Meet, Teams or Zoom study cannot make a link (no Google or Microsoft calendar or Zoom connected here, or Zoom cannot be reached), or a study names no link, number or address.</p>
          <div class="row">
            <SelectField<FallbackKind | ''>
              path="joinFallback.kind"
              label="Participants get"
              value={draft.fallbackKind}
              options={[{ value: '', label: 'Nothing (a warning instead)' }, ...(Object.keys(FALLBACK_LABELS) as FallbackKind[]).map((k) => ({ value: k, label: FALLBACK_LABELS[k] }))]}
              onChange={(fallbackKind) => set({ fallbackKind })}
            />
            {draft.fallbackKind && (
              <TextField
                path="joinFallback.details"
                label={FALLBACK_LABELS[draft.fallbackKind]}
                type={draft.fallbackKind === 'video_url' ? 'url' : 'text'}
                value={draft.fallbackDetails}
                maxLength={500}
                size="medium"
                onInput={(fallbackDetails) => set({ fallbackDetails })}
              />
            )}
          </div>
        </Fieldset>
        <SaveActions busy={busy} label="Save details" status={status} />
      </Form>
    </section>
  );
}

function IntervalRow(props: { path: string; label: string; interval: Interval; onChange: (interval: Interval) => void; onRemove: () => void }) {
  // Errors of the row, its start or its end are shown once, under the row.
  const errors = [useFieldError(props.path), useFieldError(`${props.path}.start`), useFieldError(`${props.path}.end`)].filter(Boolean);
  const id = fieldId(props.path);
  const errorId = `${id}-error`;
  return (
    <div class={`interval${errors.length > 0 ? ' field-error' : ''}`} data-field={props.path} role="group" aria-label={props.label} id={id} tabIndex={-1}>
      <TextField
        path={`${props.path}.start`}
        label="From"
        type="time"
        step={900}
        errorShownAt={errorId}
        value={props.interval.start}
        onInput={(start) => props.onChange({ ...props.interval, start })}
      />
      <span class="interval-dash" aria-hidden="true">
        –
      </span>
      <TextField path={`${props.path}.end`} label="To" type="time" step={900} errorShownAt={errorId} value={props.interval.end} onInput={(end) => props.onChange({ ...props.interval, end })} />
      <button type="button" class="button-icon" aria-label={`Remove ${props.label}`} onClick={props.onRemove}>
        ×
      </button>
      {errors.length > 0 && (
        <p class="error interval-error" id={errorId}>
          <span class="visually-hidden">Error: </span>
          {errors.join('. ')}
        </p>
      )}
    </div>
  );
}

const DEFAULT_HOURS: Interval = { start: '09:00', end: '17:00' };

function AvailabilityEditor(props: { memberId: string; availability: Availability; onSaved: (availability: Availability) => void }) {
  const [draft, setDraft] = useState<AvailabilityDraft>(() => {
    const d = draftFromAvailability(props.availability);
    return d.timeZone ? d : { ...d, timeZone: browserTimeZone() };
  });
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<AvailabilityDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setStatus('');
  };
  const setDay = (day: number, intervals: Interval[]) => set({ weekly: draft.weekly.map((list, d) => (d === day ? intervals : list)) });
  const setOverride = (k: number, patch: Partial<OverrideDraft>) => set({ overrides: draft.overrides.map((o, i) => (i === k ? { ...o, ...patch } : o)) });

  const submit = async () => {
    const result = availabilityFromDraft(draft);
    if ('problems' in result) return setProblems(result.problems);
    setBusy(true);
    setProblems([]);
    try {
      const saved = await api.putAvailability(props.memberId, result.body);
      setDraft(draftFromAvailability(saved));
      props.onSaved(saved);
      setStatus('Availability saved.');
    } catch (error) {
      setProblems([problemOfError(error)]);
    } finally {
      setBusy(false);
    }
  };

  const today = localDate(Date.now(), draft.timeZone);
  const notice = Number(draft.minimumNoticeMinutes);

  return (
    <section class="section" aria-labelledby="availability">
      <h2 id="availability" class="section-title">
        Availability
      </h2>
      <Form problems={problems} onSubmit={submit} aria-label="Availability" class="availability">
        <SelectField
          path="timeZone"
          label="Time zone"
          hint="The hours below are in this zone; participants see slots in their own."
          value={draft.timeZone}
          options={timeZones(draft.timeZone)}
          onChange={(timeZone) => set({ timeZone })}
        />

        <Fieldset path="weekly" legend="Weekly hours" hint="An end of 00:00 means midnight at the end of the day." class="weekly">
          {WEEKDAYS.map((dayName, day) => {
            const intervals = draft.weekly[day] ?? [];
            return (
              <div class="weekday" key={dayName} role="group" aria-labelledby={`day-${day}`}>
                <div class="weekday-head">
                  <Checkbox
                    id={`day-${day}`}
                    label={<strong>{dayName}</strong>}
                    checked={intervals.length > 0}
                    onChange={(on) => setDay(day, on ? [{ ...DEFAULT_HOURS }] : [])}
                  />
                </div>
                <div class="weekday-hours">
                  {intervals.length === 0 && <p class="muted unavailable">Unavailable</p>}
                  {intervals.map((interval, i) => (
                    <IntervalRow
                      key={i}
                      path={`weekly.${flatIndex(draft.weekly, day, i)}`}
                      label={`${dayName} hours ${i + 1}`}
                      interval={interval}
                      onChange={(next) => setDay(day, intervals.map((x, k) => (k === i ? next : x)))}
                      onRemove={() => setDay(day, intervals.filter((_, k) => k !== i))}
                    />
                  ))}
                  <div class="weekday-actions">
                    <button
                      type="button"
                      class="button-link"
                      aria-label={`Add hours on ${dayName}`}
                      onClick={() => {
                        const last = intervals[intervals.length - 1];
                        setDay(day, [...intervals, last ? { start: last.end === '00:00' ? '23:00' : last.end, end: '00:00' } : { ...DEFAULT_HOURS }]);
                      }}
                    >
                      + Add hours
                    </button>
                    {day === 0 && intervals.length > 0 && (
                      <button type="button" class="button-link" onClick={() => set({ weekly: copyDay(draft.weekly, 0, [1, 2, 3, 4]) })}>
                        Copy to Tuesday–Friday
                      </button>
                    )}
                  </div>
                </div>
              </div>
            );
          })}
        </Fieldset>

        <Fieldset path="overrides" legend="Date overrides" hint="A day off, or different hours on one date; replaces that date’s weekly hours.">
          {draft.overrides.length === 0 && <p class="muted">No overrides.</p>}
          <ul class="overrides">
            {draft.overrides.map((o, k) => (
              <li key={k} class="override">
                <div class="row">
                  <TextField path={`overrides.${k}.date`} label={`Date ${k + 1}`} type="date" value={o.date} onInput={(date) => setOverride(k, { date })} />
                  <div class="field field-check">
                    <Checkbox
                      label="Day off"
                      checked={o.dayOff}
                      onChange={(dayOff) => setOverride(k, { dayOff, intervals: !dayOff && o.intervals.length === 0 ? [{ ...DEFAULT_HOURS }] : o.intervals })}
                    />
                  </div>
                  <button type="button" class="button-small button-danger override-remove" aria-label={`Remove override ${k + 1}`} onClick={() => set({ overrides: draft.overrides.filter((_, i) => i !== k) })}>
                    Remove
                  </button>
                </div>
                {!o.dayOff && (
                  <ErrorSlot class="override-hours" path={`overrides.${k}.intervals`}>
                    {o.intervals.map((interval, j) => (
                      <IntervalRow
                        key={j}
                        path={`overrides.${k}.intervals.${j}`}
                        label={`Override ${k + 1} hours ${j + 1}`}
                        interval={interval}
                        onChange={(next) => setOverride(k, { intervals: o.intervals.map((x, i) => (i === j ? next : x)) })}
                        onRemove={() => setOverride(k, { intervals: o.intervals.filter((_, i) => i !== j) })}
                      />
                    ))}
                    <button type="button" class="button-link" onClick={() => setOverride(k, { intervals: [...o.intervals, { ...DEFAULT_HOURS }] })}>
                      + Add hours
                    </button>
                  </ErrorSlot>
                )}
              </li>
            ))}
          </ul>
          <button
            type="button"
            class="button-secondary"
            onClick={() => {
              const last = draft.overrides[draft.overrides.length - 1]?.date;
              set({ overrides: [...draft.overrides, { date: addDays(last && last >= today ? last : today, 1), dayOff: true, intervals: [] }] });
            }}
          >
            Add a date override
          </button>
        </Fieldset>

        <Fieldset legend="Limits">
          <div class="row">
            <NumberField path="bufferBeforeMinutes" label="Buffer before" value={draft.bufferBeforeMinutes} suffix="min" onInput={(bufferBeforeMinutes) => set({ bufferBeforeMinutes })} />
            <NumberField path="bufferAfterMinutes" label="Buffer after" value={draft.bufferAfterMinutes} suffix="min" onInput={(bufferAfterMinutes) => set({ bufferAfterMinutes })} />
            <NumberField
              path="minimumNoticeMinutes"
              label="Minimum notice"
              value={draft.minimumNoticeMinutes}
              suffix={minutesSuffix(notice, draft.minimumNoticeMinutes)}
              onInput={(minimumNoticeMinutes) => set({ minimumNoticeMinutes })}
            />
            <NumberField
              path="bookingWindowDays"
              label="Booking window"
              value={draft.bookingWindowDays}
              suffix="days ahead"
              onInput={(bookingWindowDays) => set({ bookingWindowDays })}
            />
          </div>
          <div class="row">
            <NumberField path="maxPerDay" label="At most per day" hint="Empty: no cap" value={draft.maxPerDay} suffix="interviews" onInput={(maxPerDay) => set({ maxPerDay })} />
            <NumberField path="maxPerWeek" label="At most per week" hint="Empty: no cap" value={draft.maxPerWeek} suffix="interviews" onInput={(maxPerWeek) => set({ maxPerWeek })} />
          </div>
        </Fieldset>

        <SaveActions busy={busy} label="Save availability" status={status} />
      </Form>
    </section>
  );
}
