// One person: what Beckon holds about them, why they may or may not be asked now, their consents,
// and everything that happened, newest first; do-not-contact, and the JSON export of it all.
import type { HistoryEntry } from '@beckon/shared/api';
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { formatDateTime } from '../../lib/time.js';
import { href } from '../../router.js';
import { can } from '../../session.js';
import { LoadError, Loading, Notice, PageHeading, toApiError, useDisplayZone, useLoad } from '../../ui/common.js';
import { personName } from './People.js';
import { RULE_LABELS } from './rules.js';
import './people.css';

const KIND_LABELS: Record<HistoryEntry['kind'], string> = {
  eligible: 'Eligible',
  shown: 'Invitation shown',
  dismissed: 'Dismissed',
  snoozed: 'Not now',
  opted_out: 'Don’t ask again',
  opted_in: 'Said yes',
  screened_in: 'Screened in',
  screened_out: 'Screened out',
  booked: 'Booked',
  cancelled: 'Cancelled',
  attended: 'Attended',
  no_show: 'No-show',
  incentive: 'Incentive sent',
  email: 'Email sent',
  consent: 'Accepted',
  do_not_contact: 'Do not contact',
};

export function PersonDetailScreen(props: { personId: string }) {
  const person = useLoad(() => api.getPerson(props.personId), [props.personId]);
  const [zone] = useDisplayZone();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const p = person.data;
  const toggle = async () => {
    if (!p) return;
    setBusy(true);
    setError(null);
    try {
      person.set(await api.updatePerson(p.id, { doNotContact: !p.doNotContact }));
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeading title={p ? personName(p) : 'Person'}>{p ? personName(p) : 'Person'}</PageHeading>
      <p>
        <a href={href('/people')}>All people</a>
      </p>
      {person.error && <LoadError error={person.error} what="This person" onRetry={person.reload} />}
      {person.loading && !p && <Loading what="this person" />}
      {p && (
        <>
          <dl class="facts">
            <dt>Email</dt>
            <dd>{p.email ?? '—'}</dd>
            <dt>User id</dt>
            <dd>{p.userId ?? '—'}</dd>
            <dt>Interviews attended</dt>
            <dd>{p.interviews}</dd>
            <dt>No-shows</dt>
            <dd>{p.noShows}</dd>
            <dt>Upcoming</dt>
            <dd>{p.upcoming}</dd>
            <dt>May be asked now</dt>
            <dd>{p.blockedBy ? `No: ${RULE_LABELS[p.blockedBy]}` : 'Yes'}</dd>
            <dt>Consents</dt>
            <dd>{p.consents.length === 0 ? 'None on record' : p.consents.map((c) => `${c.title}, version ${c.version}, ${formatDateTime(c.acceptedAt, zone)}`).join('; ')}</dd>
          </dl>
          {p.doNotContact && (
            <Notice kind="warning">
              <p>
                Do not contact, set by {p.doNotContact.by === 'team' ? 'the team' : 'the participant'} on {formatDateTime(p.doNotContact.at, zone)}. No intercept shows to them and no non-transactional
                email goes to them.
              </p>
            </Notice>
          )}
          {can('participants:write') && !p.erased && (
            <p>
              <button type="button" class="button-secondary" disabled={busy} onClick={toggle}>
                {p.doNotContact ? 'Allow contact again' : 'Mark do not contact'}
              </button>
            </p>
          )}
          {error && (
            <Notice kind="error" live>
              <p>{error}</p>
            </Notice>
          )}
          <p>
            <a href={api.exportUrl(`participants/${encodeURIComponent(p.id)}/export`)} download>
              Download everything held about this person (JSON)
            </a>
          </p>
          <section class="section" aria-labelledby="history">
            <h2 id="history" class="section-title">
              History
            </h2>
            {p.history.length === 0 ? (
              <p class="muted">Nothing yet.</p>
            ) : (
              <ol class="history">
                {p.history.map((entry, i) => (
                  <li key={i}>
                    <time dateTime={entry.at}>{formatDateTime(entry.at, zone)}</time> <strong>{KIND_LABELS[entry.kind]}</strong>
                    {entry.studyName && <span> · {entry.studyName}</span>}
                    {entry.detail && <span class="muted"> · {entry.detail}</span>}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </>
  );
}
