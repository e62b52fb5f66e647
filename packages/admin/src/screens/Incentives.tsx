import { useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import type { FieldProblem } from '../lib/fields.js';
import {
  apiQueryOfIncentiveView,
  deliveryLine,
  formatIncentiveAmount,
  EMPTY_SEND_DRAFT,
  INCENTIVE_FILTERS,
  INCENTIVE_STATE_LABELS,
  incentiveSendFromDraft,
  incentiveState,
  incentiveTerms,
  incentiveViewFromQuery,
  isStaleIncentiveError,
  participantName,
  queryOfIncentiveView,
  scopeProblem,
  SEND_LIMITS,
  type IncentiveFilter,
  type IncentiveView,
  type SendDraft,
} from '../lib/incentives.js';
import { formatDateTime, timeZones } from '../lib/time.js';
import { href, navigate, type Location } from '../router.js';
import { can } from '../session.js';
import type { AdminIncentive, IncentiveDeliveryMethod } from '../types.js';
import { ConfirmButton, LoadError, Loading, PageHeading, ParticipantContact, problemOfError, StatusBadge, toApiError, useDisplayZone, useLoad } from '../ui/common.js';
import { incentivesChanged } from '../ui/due-incentives.js';
import { Form, SelectField, TextAreaField, TextField } from '../ui/form.js';
import './Incentives.css';

const LIST_TITLES: Record<IncentiveFilter, string> = { due: 'To send', upcoming: 'Upcoming', sent: 'Sent', void: 'Void', all: 'All incentives' };

/** Each empty view says how incentives get there, so the PM knows what to do next. */
function EmptyText(props: { filter: IncentiveFilter }) {
  const bookings = <a href={href('/bookings', { view: 'past' })}>Bookings</a>;
  switch (props.filter) {
    case 'due':
      return <>Nothing to send. Incentives become due when you mark an interview done on {bookings}.</>;
    case 'upcoming':
      return <>No upcoming incentives. Each booking of a study that offers an incentive adds one, due once you mark its interview done on {bookings}.</>;
    case 'sent':
      return <>Nothing sent yet. Incentives you email, or mark as given another way, are listed here.</>;
    case 'void':
      return <>Nothing void. An incentive is void when its interview is cancelled or the participant does not come.</>;
    case 'all':
      return <>No incentives yet. When a study offers one (set it in the study’s editor), each booking adds one here.</>;
  }
}

export function IncentivesScreen(props: { location: Location }) {
  const view = incentiveViewFromQuery(props.location.query);
  const [zone, setZone] = useDisplayZone();
  const studies = useLoad(() => api.listStudies(), []);
  const incentives = useLoad(() => api.listIncentives(apiQueryOfIncentiveView(view)), [view.filter, view.studyId]);
  const [announcement, setAnnouncement] = useState('');
  const listHeading = useRef<HTMLHeadingElement>(null);
  // Sends finish after the render that started them: update the list as it is now, not as it was.
  const latest = useRef(incentives.data);
  latest.current = incentives.data;

  const go = (patch: Partial<IncentiveView>) => {
    setAnnouncement('');
    navigate(href('/incentives', queryOfIncentiveView({ ...view, ...patch })), { replace: true });
  };

  // The card's form is gone once it is sent: focus goes to the list's heading, where the next one starts.
  const sent = (updated: AdminIncentive, method: IncentiveDeliveryMethod) => {
    incentives.set((latest.current ?? []).map((i) => (i.id === updated.id ? updated : i)));
    const who = participantName(updated.participant);
    setAnnouncement(method === 'email' ? `Sent to ${who}.` : `Marked as given to ${who}.`);
    incentivesChanged();
    listHeading.current?.focus();
  };
  const outdated = (message: string) => {
    setAnnouncement(`${message} The list is shown again as it is now.`);
    incentives.reload();
    incentivesChanged();
    listHeading.current?.focus();
  };

  const list = incentives.data;
  const dueLeft = list?.filter((i) => incentiveState(i) === 'due').length ?? 0;

  return (
    <>
      <PageHeading title="Incentives">Incentives</PageHeading>
      <p class="lede">What you promised participants for their time. Send each one once the interview is done: Beckon emails the code or link, or you record that it was given another way.</p>
      <div class="filters incentive-filters" role="search" aria-label="Filter incentives">
        <div class="field">
          <span class="label" id="incentive-filter-label">
            Show
          </span>
          <div class="segmented" role="group" aria-labelledby="incentive-filter-label">
            {INCENTIVE_FILTERS.map((filter) => (
              <button key={filter.value} type="button" aria-pressed={view.filter === filter.value} onClick={() => go({ filter: filter.value })}>
                {filter.label}
              </button>
            ))}
          </div>
        </div>
        <SelectField
          path="filter-study"
          label="Study"
          value={view.studyId}
          options={[{ value: '', label: 'All studies' }, ...(studies.data ?? []).map((s) => ({ value: s.id, label: s.name }))]}
          onChange={(studyId) => go({ studyId })}
        />
        <SelectField path="filter-zone" label="Times in" value={zone} options={timeZones(zone)} onChange={setZone} />
      </div>

      <Budgets />
      <p role="status" class="saved">
        {announcement}
      </p>
      {incentives.error && <LoadError error={incentives.error} what="Incentives" onRetry={incentives.reload} />}
      {incentives.loading && !list && <Loading what="incentives" />}
      {list && (
        <section aria-labelledby="incentive-list-title">
          <h2 id="incentive-list-title" class="list-title" tabIndex={-1} ref={listHeading}>
            {LIST_TITLES[view.filter]}
          </h2>
          {list.length === 0 ? (
            <p class="empty-inline">
              <EmptyText filter={view.filter} />
              {view.studyId && ' Only one study is shown.'}
            </p>
          ) : (
            <>
              <p class="muted list-summary">
                {view.filter === 'due' ? (dueLeft === 0 ? 'All sent.' : `${dueLeft} still to send.`) : `${list.length} ${list.length === 1 ? 'incentive' : 'incentives'}.`} Newest interview
                first.
              </p>
              <ul class="incentive-list">
                {list.map((incentive) => (
                  <IncentiveCard key={incentive.id} incentive={incentive} zone={zone} onSent={sent} onOutdated={outdated} />
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </>
  );
}

/** Where a provider's order stands; a failure says what to do. */
function PayoutLine(props: { payout: NonNullable<AdminIncentive['payout']> }) {
  const { payout } = props;
  if (payout.held) {
    return (
      <p class="incentive-outcome incentive-payout-held" role="note">
        <strong>Payout held:</strong> no Tremendous account is connected. Connect one under <a href="#/settings">Settings → Payouts</a> and it is ordered, or hand it over yourself.
      </p>
    );
  }
  if (payout.error) {
    return (
      <p class="incentive-outcome incentive-payout-error" role="note">
        <strong>Payout failed:</strong> {payout.error}. Beckon retries the order; you can also hand it over yourself.
      </p>
    );
  }
  return (
    <p class="incentive-outcome muted">
      Ordered through Tremendous{payout.orderId && <> (order <code>{payout.orderId}</code>)</>}
      {payout.status && <>: {payout.status}</>}
    </p>
  );
}

/** Each paid study's spend against its incentive budget (owed counts pending and sent rewards). */
function Budgets() {
  const budgets = useLoad(() => api.incentiveBudgets(), []);
  const rows = budgets.data?.filter((b) => b.budgetCents !== null || b.weeklyBudgetCents !== null || b.owedCents > 0) ?? [];
  if (rows.length === 0) return null;
  const money = (cents: number | null, currency: string | null) => (cents === null ? 'no limit' : (formatIncentiveAmount(cents, currency ?? 'USD') ?? String(cents)));
  return (
    <section aria-labelledby="budget-title" class="section">
      <h2 id="budget-title" class="list-title">
        Spend against budget
      </h2>
      <table class="table">
        <caption class="visually-hidden">Incentive spend against budget, by study</caption>
        <thead>
          <tr>
            <th scope="col">Study</th>
            <th scope="col">Owed or sent</th>
            <th scope="col">Budget</th>
            <th scope="col">This week</th>
            <th scope="col">Weekly budget</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((b) => (
            <tr key={b.studyId}>
              <th scope="row" data-label="Study">
                {b.studyName}
              </th>
              <td data-label="Owed or sent">
                {money(b.owedCents, b.currency)} <span class="muted">({money(b.sentCents, b.currency)} sent)</span>
              </td>
              <td data-label="Budget">{money(b.budgetCents, b.currency)}</td>
              <td data-label="This week">{money(b.thisWeekCents, b.currency)}</td>
              <td data-label="Weekly budget">{money(b.weeklyBudgetCents, b.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const BOOKING_NOTES: Record<AdminIncentive['bookingStatus'], string> = { confirmed: '', completed: 'marked done', cancelled: 'cancelled', no_show: 'no-show' };

function IncentiveCard(props: {
  incentive: AdminIncentive;
  zone: string;
  onSent: (updated: AdminIncentive, method: IncentiveDeliveryMethod) => void;
  onOutdated: (message: string) => void;
}) {
  const { incentive, zone } = props;
  const state = incentiveState(incentive);
  const who = participantName(incentive.participant);
  const titleId = `i-${incentive.id}`;
  const bookingNote = BOOKING_NOTES[incentive.bookingStatus];
  const interviewHappened = Date.parse(incentive.interviewStart) <= Date.now();

  return (
    <li class={`card incentive incentive-${state}`} aria-labelledby={titleId}>
      <div class="card-head">
        <h3 id={titleId} class="card-title">
          {who}
        </h3>
        <StatusBadge status={`incentive-${state}`} label={INCENTIVE_STATE_LABELS[state]} />
      </div>
      <div class="incentive-body">
        <div>
          <dl class="facts">
            <div>
              <dt>Promised</dt>
              <dd>
                {incentive.description} <span class="muted">· {incentiveTerms(incentive)}</span>
              </dd>
            </div>
            <div>
              <dt>Interview</dt>
              <dd>
                {formatDateTime(incentive.interviewStart, zone)}
                {bookingNote && <span class="muted"> ({bookingNote})</span>}
              </dd>
            </div>
            <div>
              <dt>Study</dt>
              <dd>
                <a href={href(`/studies/${incentive.studyId}`)}>{incentive.studyName}</a>
              </dd>
            </div>
            <div>
              <dt>Participant</dt>
              <dd>
                <ParticipantContact participant={incentive.participant} />
              </dd>
            </div>
          </dl>
          {state === 'sent' && <p class="incentive-outcome incentive-outcome-sent">{deliveryLine(incentive, zone)}</p>}
          {incentive.payout && <PayoutLine payout={incentive.payout} />}
          {state === 'void' && (
            <p class="incentive-outcome muted">
              Not owed: {incentive.bookingStatus === 'no_show' ? `${who} did not come to the interview.` : incentive.bookingStatus === 'cancelled' ? 'the interview was cancelled.' : 'it was voided.'}
            </p>
          )}
          {state === 'upcoming' && (
            <p class="incentive-outcome hint">
              {interviewHappened ? 'Becomes due when you mark the interview done on ' : 'Becomes due once the interview has happened and you mark it done on '}
              <a href={href('/bookings', { view: interviewHappened ? 'past' : undefined, study: incentive.studyId })}>Bookings</a>.
            </p>
          )}
        </div>
        {state === 'due' && can('incentives:send') && <SendForm incentive={incentive} who={who} onSent={props.onSent} onOutdated={props.onOutdated} />}
      </div>
    </li>
  );
}

function SendForm(props: {
  incentive: AdminIncentive;
  who: string;
  onSent: (updated: AdminIncentive, method: IncentiveDeliveryMethod) => void;
  onOutdated: (message: string) => void;
}) {
  const { incentive, who } = props;
  // Every card's form is on one page: its controls are named under its own scope.
  const scope = `incentive-${incentive.id}`;
  const [draft, setDraft] = useState<SendDraft>(EMPTY_SEND_DRAFT);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState<IncentiveDeliveryMethod | null>(null);
  const email = incentive.participant.email;
  const set = (patch: Partial<SendDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const send = async (method: IncentiveDeliveryMethod) => {
    if (busy) return;
    const result = incentiveSendFromDraft(draft, method);
    if ('problems' in result) return setProblems(result.problems.map((p) => scopeProblem(p, scope)));
    setProblems([]);
    setBusy(method);
    try {
      const updated = await api.sendIncentive(incentive.id, result.body);
      // A gift card code is money: it is not kept in the page once it has been sent.
      setDraft(EMPTY_SEND_DRAFT);
      setBusy(null);
      props.onSent(updated, method);
    } catch (e) {
      setBusy(null);
      const error = toApiError(e);
      if (isStaleIncentiveError(error)) props.onOutdated(`${who}: ${error.message}`);
      else setProblems([scopeProblem(problemOfError(error), scope)]);
    }
  };

  return (
    <Form problems={problems} onSubmit={() => void (email && send('email'))} aria-label={`Send ${who} the incentive`} class="incentive-send">
      <h4 class="send-title">Send it</h4>
      {email ? (
        <>
          <TextField
            path={`${scope}.code`}
            label="Code (optional)"
            hint="A gift card or voucher code. It is only in the participant’s email, never shown here again."
            value={draft.code}
            maxLength={SEND_LIMITS.code}
            spellcheck={false}
            autoComplete="off"
            onInput={(code) => set({ code })}
          />
          <TextField
            path={`${scope}.url`}
            label="Redeem link (optional)"
            type="url"
            value={draft.url}
            maxLength={SEND_LIMITS.url}
            spellcheck={false}
            autoComplete="off"
            placeholder="https://"
            onInput={(url) => set({ url })}
          />
          <TextAreaField
            path={`${scope}.message`}
            label="Message to the participant (optional)"
            hint="For example how to redeem it, or that the credit is already on their account."
            rows={3}
            value={draft.message}
            maxLength={SEND_LIMITS.message}
            onInput={(message) => set({ message })}
          />
        </>
      ) : (
        <p class="hint">There is no email address for {who}, so Beckon cannot email it. Give it another way, then record that here.</p>
      )}
      <div class="form-actions">
        {email && (
          <button type="submit" class="button-primary" disabled={busy !== null}>
            {busy === 'email' ? 'Sending…' : `Email it to ${who}`}
          </button>
        )}
        {/* Nothing to type, and no undo: one stray click must not record a promise as kept. */}
        <ConfirmButton
          class="button-secondary"
          groupLabel={`Confirm ${who} was given it another way`}
          question={
            <>
              Record that {who} was given {incentive.description} another way? Nothing is emailed, and this cannot be undone.
            </>
          }
          confirmLabel="Yes, it was given"
          cancelLabel="Not yet"
          onConfirm={() => send('elsewhere')}
        >
          Mark as given another way<span class="visually-hidden"> to {who}</span>
        </ConfirmButton>
      </div>
      {email && (
        <p class="hint send-how">
          Email sends {email} what you entered above. “Given another way” is for credit applied in your product or a card handed over: nothing is emailed.
        </p>
      )}
    </Form>
  );
}
