import type { Member, Study } from '@beckon/shared/api';
import { api } from '../api.js';
import { STATUS_LABELS, describeQuota } from '../lib/study-form.js';
import { describeTargeting } from '../lib/targeting.js';
import { describeTriggers } from '../lib/triggers.js';
import { href } from '../router.js';
import { can } from '../session.js';
import { CopyButton, LoadError, Loading, Notice, PageHeading, StatusBadge, useLoad } from '../ui/common.js';
import { describeExample, liveOverlaps, type Overlap } from '../lib/overlaps.js';
import { incentiveText } from '@beckon/shared/participant';

export function memberNames(ids: readonly string[], members: readonly Member[] | undefined): string {
  if (ids.length === 0) return '—';
  const byId = new Map((members ?? []).map((m) => [m.id, m.name]));
  return ids.map((id) => byId.get(id) ?? 'Unknown member').join(', ');
}

export function StudiesScreen(props: { flash?: string | null }) {
  const studies = useLoad(() => api.listStudies(), []);
  const members = useLoad(() => api.listMembers(), []);
  return (
    <>
      <PageHeading
        title="Studies"
        actions={
          can('studies:write') && (
            <a class="button button-primary" href={href('/studies/new')}>
              New study
            </a>
          )
        }
      >
        Studies
      </PageHeading>
      {props.flash && (
        <Notice kind="success" live>
          <p>{props.flash}</p>
        </Notice>
      )}
      {studies.error && <LoadError error={studies.error} what="Studies" onRetry={studies.reload} />}
      {studies.loading && !studies.data && <Loading what="studies" />}
      {studies.data && studies.data.length === 0 && (
        <div class="empty">
          <h2>No studies yet</h2>
          <p>A study says who to invite, what to ask them and who interviews them. Start with one question you want answered this month.</p>
          {can('studies:write') && (
            <p>
              <a class="button button-primary" href={href('/studies/new')}>
                Create your first study
              </a>
            </p>
          )}
        </div>
      )}
      {studies.data && studies.data.length > 0 && (
        <ul class="cards" aria-label="Studies">
          {(() => {
            const overlaps = liveOverlaps(studies.data);
            return studies.data.map((study) => <StudyCard key={study.id} study={study} members={members.data} overlaps={overlaps.get(study.id) ?? []} />);
          })()}
        </ul>
      )}
    </>
  );
}

function StudyCard({ study, members, overlaps }: { study: Study; members: Member[] | undefined; overlaps: Overlap[] }) {
  const headingId = `study-${study.id}`;
  return (
    <li class="card study-card" aria-labelledby={headingId}>
      <div class="card-head">
        <h2 id={headingId} class="card-title">
          <a href={href(`/studies/${study.id}`)}>{study.name}</a>
        </h2>
        <StatusBadge status={study.status} label={STATUS_LABELS[study.status]} />
      </div>
      <dl class="facts">
        <div>
          <dt>Quota</dt>
          <dd>{describeQuota(study)}</dd>
        </div>
        <div>
          <dt>Who</dt>
          <dd>
            {describeTargeting(study.targeting)}
            {study.samplingPercent < 100 ? ` · ${study.samplingPercent}% sampled` : ''}
          </dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>{describeTriggers(study.triggers)}</dd>
        </div>
        <div>
          <dt>Hosts</dt>
          <dd>{memberNames(study.hostIds, members)}</dd>
        </div>
        <div>
          <dt>Interview</dt>
          <dd>
            {study.durationMinutes} min{study.incentive ? ` · ${incentiveText(study.incentive)}` : ''}
          </dd>
        </div>
      </dl>
      {overlaps.map(({ other, example, wins }) => (
        <p key={other.id} class="notice notice-warning overlap" role="status">
          Shares visitors with the live study “{other.name}” (for example {describeExample(example)}). Such a visitor is asked for{' '}
          {wins ? 'this study' : `“${other.name}”`}, by priority ({study.priority} here, {other.priority} there).
        </p>
      ))}
      {study.problem && (
        <p class="notice notice-error" role="status">
          Not offered to anyone until fixed: {study.problem}. Edit the study to change it.
        </p>
      )}
      <div class="booking-link">
        <span class="booking-link-label">
          Booking link
        </span>
        <a class="booking-url" href={study.bookingUrl} target="_blank" rel="noopener">
          {study.bookingUrl}
        </a>
        <CopyButton text={study.bookingUrl} label={`Copy booking link of ${study.name}`} />
      </div>
      <div class="card-actions">
        <a class="button button-secondary button-small" href={href(`/studies/${study.id}`)} aria-label={`Edit ${study.name}`}>
          Edit
        </a>
        <a class="button button-secondary button-small" href={href(`/studies/${study.id}/funnel`)} aria-label={`Funnel of ${study.name}`}>
          Funnel
        </a>
        <a class="button button-secondary button-small" href={href('/bookings', { study: study.id })} aria-label={`Bookings of ${study.name}`}>
          Bookings
        </a>
      </div>
    </li>
  );
}
