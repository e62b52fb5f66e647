import type { Member, Study } from '@beckon/shared/api';
import { incentiveText } from '@beckon/shared/participant';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import type { FieldProblem } from '../lib/fields.js';
import {
  draftFromStudy,
  emptyStudyDraft,
  INCENTIVE_LABELS,
  MEETING_LABELS,
  problemOfSaveError,
  STATUS_LABELS,
  studyFromDraft,
  type AssignmentMode,
  type IncentiveKind,
  type MeetingKind,
  type StudyDraft,
  type StudyStatus,
} from '../lib/study-form.js';
import { href, navigate } from '../router.js';
import { can } from '../session.js';
import { LoadError, Loading, minutesSuffix, Notice, PageHeading, setFlash, toApiError, useLoad } from '../ui/common.js';
import { Checkbox, Fieldset, Form, NumberField, Radio, ReadOnly, SelectField, TextAreaField, TextField, SaveActions } from '../ui/form.js';
import { ScreenerEditor } from './ScreenerEditor.js';
import { StudyPreviewDialog } from './StudyPreview.js';
import { TargetingEditor } from './TargetingEditor.js';
import { TriggersEditor } from './TriggersEditor.js';
import './StudyEditor.css';

export function StudyEditorScreen(props: { studyId?: string }) {
  const { studyId } = props;
  const study = useLoad(() => (studyId ? api.getStudy(studyId) : Promise.resolve(null)), [studyId]);
  const members = useLoad(() => api.listMembers(), []);
  const readOnly = !can('studies:write');
  const title = studyId ? (study.data ? (readOnly ? study.data.name : `Edit “${study.data.name}”`) : 'Edit study') : 'New study';

  return (
    <>
      <p class="breadcrumb">
        <a href={href('/studies')}>← Studies</a>
      </p>
      <PageHeading title={title}>{title}</PageHeading>
      {study.error && <LoadError error={study.error} what="Study" onRetry={study.reload} />}
      {members.error && <LoadError error={members.error} what="Members" onRetry={members.reload} />}
      {(study.loading || members.loading) && <Loading what="the study" />}
      {!study.loading && !members.loading && !study.error && members.data && (
        <ReadOnly when={readOnly}>
          <StudyForm key={study.data?.id ?? 'new'} study={study.data ?? null} members={members.data} onSaved={(saved) => study.set(saved)} />
        </ReadOnly>
      )}
    </>
  );
}

function StudyForm(props: { study: Study | null; members: Member[]; onSaved: (study: Study) => void }) {
  const { study, members } = props;
  const [draft, setDraft] = useState<StudyDraft>(() => (study ? draftFromStudy(study) : emptyStudyDraft()));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [previewing, setPreviewing] = useState(false);
  const set = (patch: Partial<StudyDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
  };
  const active = members.filter((m) => m.active || draft.hostIds.includes(m.id) || draft.observerIds.includes(m.id));

  useEffect(() => {
    // Opened at a part of the form (the home page's fix for a week at risk): bring it into view.
    const target = window.location.hash ? document.getElementById(decodeURIComponent(window.location.hash.slice(1))) : null;
    if (target) {
      target.scrollIntoView({ block: 'start' });
      target.focus({ preventScroll: true });
    }
  }, []);

  useEffect(() => {
    // A new study with one member: that member hosts, so the first study takes one step less.
    if (!study && active.length === 1 && draft.hostIds.length === 0) set({ hostIds: [active[0]!.id] });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = async () => {
    const result = studyFromDraft(draft);
    if ('problems' in result) {
      setProblems(result.problems);
      return;
    }
    setBusy(true);
    setProblems([]);
    try {
      if (study) {
        const updated = await api.updateStudy(study.id, result.body);
        setDraft(draftFromStudy(updated));
        props.onSaved(updated);
        setSaved(true);
      } else {
        const created = await api.createStudy(result.body);
        // Saved, not refused: what would leave participants without a way to join is said at once.
        const warnings = (created.warnings ?? []).filter((w) => w.code === 'no_way_to_join').map((w) => w.message);
        setFlash([`Study “${created.name}” created.`, ...warnings].join(' '));
        navigate(href('/studies'));
      }
    } catch (error) {
      setProblems([problemOfSaveError(toApiError(error), draft)]);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!study) return;
    setBusy(true);
    try {
      await api.deleteStudy(study.id);
      setFlash(`Study “${study.name}” deleted.`);
      navigate(href('/studies'));
    } catch (error) {
      const e = toApiError(error);
      setProblems([{ message: e.message }]);
      setConfirmDelete(false);
      setBusy(false);
    }
  };

  const toggle = (list: string[], id: string, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id));
  const noticeMinutes = Number(draft.minimumNoticeMinutes);

  return (
    <>
      <Form problems={problems} onSubmit={submit} class="study-form" aria-label="Study">
        <section class="section" aria-labelledby="s-basics">
          <h2 id="s-basics" class="section-title">
            Basics
          </h2>
          <TextField path="name" label="Name" hint="For your team; participants do not see it." value={draft.name} maxLength={120} required onInput={(name) => set({ name })} />
          <TextField
            path="publicTitle"
            label="Title for participants"
            hint={`On the booking and manage pages, emails and calendar invites. Empty: "A ${draft.durationMinutes || '20'}-minute conversation with" your company.`}
            value={draft.publicTitle}
            maxLength={120}
            onInput={(publicTitle) => set({ publicTitle })}
          />
          <TextAreaField
            path="publicDescription"
            label="What it is about, for participants"
            hint="Optional; empty: the invitation text below."
            value={draft.publicDescription}
            maxLength={600}
            rows={2}
            onInput={(publicDescription) => set({ publicDescription })}
          />
          <Fieldset path="status" legend="Status" hint="Only live studies are shown by the widget and accept bookings.">
            <div class="radios radios-inline">
              {(Object.keys(STATUS_LABELS) as StudyStatus[]).map((status) => (
                <Radio key={status} name="status" value={status} current={draft.status} label={STATUS_LABELS[status]} onChange={(s) => set({ status: s })} />
              ))}
            </div>
          </Fieldset>
          <TextField
            path="slug"
            label="Booking link name"
            hint={study ? `The booking link is …/b/${draft.slug || study.slug}. Changing it breaks links already shared.` : 'Optional: the end of the booking link. Leave empty to generate one.'}
            value={draft.slug}
            spellcheck={false}
            size="medium"
            onInput={(slug) => set({ slug })}
          />
        </section>

        <section class="section" aria-labelledby="s-invite">
          <h2 id="s-invite" class="section-title">
            Invitation
          </h2>
          <TextField path="intercept.title" label="Title" value={draft.interceptTitle} maxLength={120} required onInput={(interceptTitle) => set({ interceptTitle })} />
          <TextAreaField
            path="intercept.body"
            label="Text"
            hint="Say how long it takes, what it is about and what they get."
            value={draft.interceptBody}
            maxLength={600}
            rows={3}
            required
            onInput={(interceptBody) => set({ interceptBody })}
          />
          <div class="row">
            <TextField path="intercept.acceptLabel" label="Yes button" hint="Optional" value={draft.acceptLabel} maxLength={40} size="medium" onInput={(acceptLabel) => set({ acceptLabel })} />
            <TextField path="intercept.declineLabel" label="No button" hint="Optional" value={draft.declineLabel} maxLength={40} size="medium" onInput={(declineLabel) => set({ declineLabel })} />
          </div>
          <Fieldset path="incentive" legend="Incentive" hint="A $25–50 gift card or account credit lifts the yes rate markedly.">
            <div class="row">
              <SelectField<IncentiveKind | ''>
                path="incentive.kind"
                label="Kind"
                value={draft.incentiveKind}
                options={[{ value: '', label: 'No incentive' }, ...(Object.keys(INCENTIVE_LABELS) as IncentiveKind[]).map((k) => ({ value: k, label: INCENTIVE_LABELS[k] }))]}
                onChange={(incentiveKind) => set({ incentiveKind })}
              />
              {draft.incentiveKind && (
                <>
                  <TextField
                    path="incentive.amountCents"
                    label="Amount (optional)"
                    inputMode="decimal"
                    size="short"
                    value={draft.incentiveAmount}
                    onInput={(incentiveAmount) => set({ incentiveAmount })}
                  />
                  <TextField
                    path="incentive.currency"
                    label="Currency"
                    size="short"
                    maxLength={3}
                    spellcheck={false}
                    value={draft.incentiveCurrency}
                    onInput={(incentiveCurrency) => set({ incentiveCurrency: incentiveCurrency.toUpperCase() })}
                  />
                </>
              )}
            </div>
            {draft.incentiveKind && (
              <TextField
                path="incentive.description"
                label="As participants read it"
                hint={`Write {amount} where the amount goes, e.g. "a {amount} Amazon gift card"; a figure typed by hand is replaced by the amount. Reads: ${incentiveText({ description: draft.incentiveDescription || '…', amountCents: draft.incentiveAmount.trim() && Number.isFinite(Number(draft.incentiveAmount)) ? Math.round(Number(draft.incentiveAmount) * 100) : null, currency: draft.incentiveCurrency })}`}
                value={draft.incentiveDescription}
                maxLength={200}
                onInput={(incentiveDescription) => set({ incentiveDescription })}
              />
            )}
            {draft.incentiveKind && (
              <div class="row">
                <SelectField<'manual' | 'tremendous'>
                  path="incentive.payout"
                  label="Paid"
                  value={draft.incentivePayout}
                  options={[
                    { value: 'manual', label: 'By the team (a code, a link, or another way)' },
                    { value: 'tremendous', label: 'Through Tremendous, when the interview is marked done' },
                  ]}
                  onChange={(incentivePayout) => set({ incentivePayout })}
                />
                <TextField
                  path="incentive.budgetCents"
                  label="Budget in all (optional)"
                  inputMode="decimal"
                  size="short"
                  value={draft.incentiveBudget}
                  onInput={(incentiveBudget) => set({ incentiveBudget })}
                />
                <TextField
                  path="incentive.weeklyBudgetCents"
                  label="Budget per week (optional)"
                  inputMode="decimal"
                  size="short"
                  value={draft.incentiveWeeklyBudget}
                  onInput={(incentiveWeeklyBudget) => set({ incentiveWeeklyBudget })}
                />
              </div>
            )}
          </Fieldset>
        </section>

        <section class="section" aria-labelledby="s-who">
          <h2 id="s-who" class="section-title">
            Who to invite
          </h2>
          <TargetingEditor draft={draft.targeting} onChange={(targeting) => set({ targeting })} />
          <NumberField
            path="samplingPercent"
            label="Sampling"
            hint="The share of matching users who may be asked at all; lower it to spread invitations out."
            value={draft.samplingPercent}
            suffix="%"
            onInput={(samplingPercent) => set({ samplingPercent })}
          />
        </section>

        <TriggersEditor draft={draft.triggers} onChange={(triggers) => set({ triggers })} />

        <ScreenerEditor questions={draft.questions} onChange={(questions) => set({ questions })} />

        <section class="section" aria-labelledby="s-team">
          <h2 id="s-team" class="section-title">
            Interviewers
          </h2>
          {active.length === 0 ? (
            <Notice kind="warning" title="Add an interviewer first">
              <p>
                Every study needs a host. <a href={href('/members')}>Add a member</a> and set their availability, then come back.
              </p>
            </Notice>
          ) : (
            <>
              <Fieldset path="hostIds" legend="Hosts" hint="Lead the interviews; slots come from their availability." class="checks">
                {active.map((m) => (
                  <Checkbox
                    key={m.id}
                    label={m.name}
                    hint={` · ${m.timeZone}`}
                    checked={draft.hostIds.includes(m.id)}
                    onChange={(on) => set({ hostIds: toggle(draft.hostIds, m.id, on), observerIds: draft.observerIds.filter((x) => x !== m.id) })}
                  />
                ))}
              </Fieldset>
              <Fieldset path="observerIds" legend="Observers" hint="Get the calendar invite and join to take notes (one or two is plenty)." class="checks">
                {active.map((m) => (
                  <Checkbox
                    key={m.id}
                    label={m.name}
                    hint={draft.hostIds.includes(m.id) ? ' · hosting' : undefined}
                    disabled={draft.hostIds.includes(m.id)}
                    checked={draft.observerIds.includes(m.id)}
                    onChange={(on) => set({ observerIds: toggle(draft.observerIds, m.id, on) })}
                  />
                ))}
              </Fieldset>
              <Fieldset path="assignmentMode" legend="Who leads each interview">
                <div class="radios">
                  <Radio<AssignmentMode>
                    name="assignmentMode"
                    value="round_robin"
                    current={draft.assignmentMode}
                    label="Rotate between hosts"
                    hint="One host per interview, taking turns (round robin)."
                    onChange={(assignmentMode) => set({ assignmentMode })}
                  />
                  <Radio<AssignmentMode>
                    name="assignmentMode"
                    value="all_hosts"
                    current={draft.assignmentMode}
                    label="All hosts together"
                    hint="Only times when every host is free."
                    onChange={(assignmentMode) => set({ assignmentMode })}
                  />
                </div>
              </Fieldset>
            </>
          )}
        </section>

        <section class="section" aria-labelledby="s-schedule">
          <h2 id="s-schedule" class="section-title">
            Scheduling and quotas
          </h2>
          <div class="row">
            <NumberField path="durationMinutes" label="Duration" hint="15–20 minutes asks little." value={draft.durationMinutes} suffix="min" onInput={(durationMinutes) => set({ durationMinutes })} />
            <NumberField path="weeklyQuota" label="Weekly quota" hint="Empty: no limit" value={draft.weeklyQuota} suffix="a week" onInput={(weeklyQuota) => set({ weeklyQuota })} />
            <NumberField path="totalQuota" label="Total quota" hint="Empty: no limit" value={draft.totalQuota} suffix="in total" onInput={(totalQuota) => set({ totalQuota })} />
          </div>
          <NumberField
            path="weeklyTarget"
            label="Weekly target"
            hint="Interviews wanted each week: Beckon paces who is asked so they are booked by the week's end, and says on the home page if the week is at risk. Empty: no target (sampling and quotas alone decide)."
            value={draft.weeklyTarget}
            suffix="a week"
            onInput={(weeklyTarget) => set({ weeklyTarget })}
          />
          <div class="row">
            <NumberField
              path="bookingWindowDays"
              label="Booking window"
              hint="How far ahead people can book."
              value={draft.bookingWindowDays}
              suffix="days"
              onInput={(bookingWindowDays) => set({ bookingWindowDays })}
            />
            <NumberField
              path="minimumNoticeMinutes"
              label="Minimum notice"
              hint="Before an interview can start."
              value={draft.minimumNoticeMinutes}
              suffix={minutesSuffix(noticeMinutes, draft.minimumNoticeMinutes)}
              onInput={(minimumNoticeMinutes) => set({ minimumNoticeMinutes })}
            />
            <NumberField path="slotStepMinutes" label="Start times every" hint="10:00, 10:15, …" value={draft.slotStepMinutes} suffix="min" onInput={(slotStepMinutes) => set({ slotStepMinutes })} />
          </div>
          <Fieldset path="meetingLocation" legend="Where the interview happens">
            {(study?.warnings ?? []).length > 0 && (
              <Notice kind="warning" title="How participants join">
                {study!.warnings!.map((warning) => (
                  <p key={`${warning.code}-${warning.hostId ?? ''}`}>{warning.message}</p>
                ))}
              </Notice>
            )}
            <SelectField<MeetingKind>
              path="meetingLocation.kind"
              label="Meeting"
              value={draft.meetingKind}
              options={(Object.keys(MEETING_LABELS) as MeetingKind[]).map((k) => ({ value: k, label: MEETING_LABELS[k] }))}
              onChange={(meetingKind) => set({ meetingKind })}
            />
            {draft.meetingKind !== 'google_meet' && draft.meetingKind !== 'microsoft_teams' && draft.meetingKind !== 'zoom' && (
              <TextField
                path="meetingLocation.details"
                label={draft.meetingKind === 'video_url' ? 'Video link' : draft.meetingKind === 'phone' ? 'Phone instructions' : 'Address'}
                value={draft.meetingDetails}
                maxLength={500}
                onInput={(meetingDetails) => set({ meetingDetails })}
              />
            )}
          </Fieldset>
        </section>

        <section class="section" aria-labelledby="s-guide">
          <h2 id="s-guide" class="section-title">
            Interview guide
          </h2>
          <TextAreaField
            path="interviewGuide"
            label="Guide for the interviewer"
            hint="Story-based prompts (“Tell me about the last time you…”). Sent to hosts with each booking."
            value={draft.interviewGuide}
            maxLength={20000}
            rows={8}
            onInput={(interviewGuide) => set({ interviewGuide })}
          />
          <details class="advanced">
            <summary>Advanced</summary>
            <div class="row">
              <NumberField path="priority" label="Priority" hint="Higher wins when several studies match one page view." value={draft.priority} onInput={(priority) => set({ priority })} />
              <NumberField
                path="recontactDays"
                label="Ask the same person again after"
                hint="Empty: the workspace setting."
                value={draft.recontactDays}
                suffix="days"
                onInput={(recontactDays) => set({ recontactDays })}
              />
            </div>
          </details>
        </section>

        <SaveActions
          busy={busy}
          label={study ? 'Save changes' : 'Create study'}
          status={saved ? 'Saved.' : ''}
          secondary={
            <>
              <button type="button" class="button-secondary" onClick={() => setPreviewing(true)}>
                Preview
              </button>
              <a class="button button-secondary" href={href('/studies')}>
                {study ? 'Back to studies' : 'Cancel'}
              </a>
            </>
          }
        >
          {study && !confirmDelete && (
            <button type="button" class="button-danger button-end" onClick={() => setConfirmDelete(true)}>
              Delete study
            </button>
          )}
        </SaveActions>
        {study && confirmDelete && (
          <div class="confirm" role="group" aria-label="Confirm delete">
            <p>Delete “{study.name}”? A study with bookings cannot be deleted; set it to Ended instead.</p>
            <button type="button" class="button-danger" onClick={remove} disabled={busy}>
              Yes, delete
            </button>
            <button type="button" class="button-secondary" onClick={() => setConfirmDelete(false)}>
              Keep it
            </button>
          </div>
        )}
      </Form>
      {previewing && <StudyPreviewDialog study={study} draft={draft} onClose={() => setPreviewing(false)} />}
    </>
  );
}
