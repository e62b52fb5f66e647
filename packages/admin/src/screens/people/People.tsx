// The panel: everyone Beckon knows in this workspace, one record per person, with search and
// filters (kept in the address, so a filtered view can be shared), the CSV export of exactly what
// is shown, and the people funnel above it.
import type { PeopleFunnelCounts, Person } from '@beckon/shared/api';
import { PEOPLE_FUNNEL_COLUMNS } from '@beckon/shared/vocabulary';
import { api } from '../../api.js';
import { href, navigate, type Location } from '../../router.js';
import { LoadError, Loading, PageHeading, StatusBadge, useDisplayZone, useLoad } from '../../ui/common.js';
import { SelectField, TextField } from '../../ui/form.js';
import { formatDateTime } from '../../lib/time.js';
import { RULE_LABELS } from './rules.js';
import './people.css';

const FILTERS = ['q', 'trait', 'segment', 'contactedAfter', 'contactedBefore', 'minInterviews', 'minNoShows', 'doNotContact', 'page'] as const;
const COLUMN_LABELS: Record<keyof PeopleFunnelCounts, string> = {
  eligible: 'Eligible',
  shown: 'Shown',
  opted_in: 'Opted in',
  screened_in: 'Screened in',
  booked: 'Booked',
  attended: 'Attended',
  screened_out: 'Screened out',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};
const PAGE_SIZE = 50;

/** The filters as the address has them, as the API takes them (dates as instants). */
function filtersOf(location: Location): Record<string, string | undefined> {
  const filters: Record<string, string | undefined> = {};
  for (const name of FILTERS) filters[name] = location.query.get(name) || undefined;
  for (const name of ['contactedAfter', 'contactedBefore'] as const) if (filters[name]) filters[name] = `${filters[name]}T00:00:00Z`;
  return filters;
}

export function PeopleScreen(props: { location: Location }) {
  const query = props.location.query;
  const filters = filtersOf(props.location);
  const key = JSON.stringify(filters);
  const [zone] = useDisplayZone();
  const people = useLoad(() => api.listPeople({ ...filters, pageSize: String(PAGE_SIZE) }), [key]);
  const funnel = useLoad(() => api.peopleFunnel({}), []);
  const studies = useLoad(() => api.listStudies(), []);
  const go = (patch: Record<string, string | undefined>) => {
    const next: Record<string, string | undefined> = {};
    for (const name of FILTERS) next[name] = query.get(name) || undefined;
    navigate(href('/people', { ...next, page: undefined, ...patch }), { replace: true });
  };
  const page = Number(query.get('page') ?? '1');
  const pages = people.data ? Math.max(1, Math.ceil(people.data.total / PAGE_SIZE)) : 1;
  const { page: _page, ...csvFilters } = filters;

  return (
    <>
      <PageHeading title="People">People</PageHeading>
      <p class="lede">One record per person, across devices and studies: who was asked, who took part, and who must not be asked again.</p>

      <section class="section" aria-labelledby="people-funnel">
        <h2 id="people-funnel" class="section-title">
          Funnel of people
        </h2>
        {funnel.error && <LoadError error={funnel.error} what="The funnel" onRetry={funnel.reload} />}
        {funnel.data && (
          <table class="table funnel-people">
            <caption class="visually-hidden">Unique people at each step</caption>
            <thead>
              <tr>
                {PEOPLE_FUNNEL_COLUMNS.map((column) => (
                  <th scope="col" key={column}>
                    {COLUMN_LABELS[column]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                {PEOPLE_FUNNEL_COLUMNS.map((column) => (
                  <td key={column} data-label={COLUMN_LABELS[column]}>
                    {funnel.data!.totals[column]}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        )}
        <p>
          <a href={api.exportUrl('exports/funnel.csv')} download>
            Download the funnel by week, segment and source (CSV)
          </a>
        </p>
      </section>

      <form
        class="filters"
        role="search"
        aria-label="Filter people"
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          go(Object.fromEntries(['q', 'trait', 'contactedAfter', 'contactedBefore', 'minInterviews', 'minNoShows'].map((name) => [name, String(data.get(name) ?? '').trim() || undefined])));
        }}
      >
        <FilterInput name="q" label="Search" hint="Name, email or user id" value={query.get('q') ?? ''} type="search" />
        <FilterInput name="trait" label="Trait" hint="plan=pro" value={query.get('trait') ?? ''} />
        <SelectField
          path="segment"
          label="Segment"
          value={query.get('segment') ?? ''}
          options={[{ value: '', label: 'Anyone' }, ...(studies.data ?? []).map((s) => ({ value: s.id, label: `Fits “${s.name}”` }))]}
          onChange={(segment) => go({ segment: segment || undefined })}
        />
        <FilterInput name="contactedAfter" label="Last contacted from" value={query.get('contactedAfter') ?? ''} type="date" />
        <FilterInput name="contactedBefore" label="Last contacted before" value={query.get('contactedBefore') ?? ''} type="date" />
        <FilterInput name="minInterviews" label="Interviews at least" value={query.get('minInterviews') ?? ''} />
        <FilterInput name="minNoShows" label="No-shows at least" value={query.get('minNoShows') ?? ''} />
        <SelectField
          path="doNotContact"
          label="Do not contact"
          value={query.get('doNotContact') ?? ''}
          options={[
            { value: '', label: 'Everyone' },
            { value: 'true', label: 'Only do-not-contact' },
            { value: 'false', label: 'Only contactable' },
          ]}
          onChange={(doNotContact) => go({ doNotContact: doNotContact || undefined })}
        />
        <button type="submit" class="button-secondary">
          Apply filters
        </button>
      </form>
      <p>
        <a href={api.exportUrl('exports/participants.csv', csvFilters)} download>
          Download these people (CSV)
        </a>
      </p>

      {people.error && <LoadError error={people.error} what="People" onRetry={people.reload} />}
      {people.loading && !people.data && <Loading what="people" />}
      {people.data && people.data.people.length === 0 && <p class="muted">Nobody matches these filters.</p>}
      {people.data && people.data.people.length > 0 && (
        <>
          <p class="muted" role="status">
            {people.data.total} {people.data.total === 1 ? 'person' : 'people'}
          </p>
          <table class="table">
            <caption class="visually-hidden">People</caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Last contacted</th>
                <th scope="col">Interviews</th>
                <th scope="col">No-shows</th>
                <th scope="col">May be asked</th>
              </tr>
            </thead>
            <tbody>
              {people.data.people.map((person) => (
                <PersonRow key={person.id} person={person} zone={zone} />
              ))}
            </tbody>
          </table>
          {pages > 1 && (
            <nav aria-label="Pages" class="row">
              {page > 1 && (
                <button type="button" class="button-secondary" onClick={() => go({ ...pick(query), page: String(page - 1) })}>
                  Previous page
                </button>
              )}
              <span class="muted">
                Page {page} of {pages}
              </span>
              {page < pages && (
                <button type="button" class="button-secondary" onClick={() => go({ ...pick(query), page: String(page + 1) })}>
                  Next page
                </button>
              )}
            </nav>
          )}
        </>
      )}
    </>
  );
}

const pick = (query: URLSearchParams) => Object.fromEntries(FILTERS.map((name) => [name, query.get(name) || undefined]));

function FilterInput(props: { name: string; label: string; value: string; hint?: string; type?: 'search' | 'date' }) {
  return (
    <label class="field">
      <span class="label">{props.label}</span>
      <input name={props.name} type={props.type ?? 'text'} defaultValue={props.value} placeholder={props.hint} />
    </label>
  );
}

export function personName(person: Pick<Person, 'name' | 'email' | 'userId' | 'erased'>): string {
  if (person.erased) return 'Erased person';
  return person.name ?? person.email ?? person.userId ?? 'Someone';
}

function PersonRow({ person, zone }: { person: Person; zone: string }) {
  return (
    <tr>
      <th scope="row" data-label="Person">
        <a href={href(`/people/${person.id}`)}>{personName(person)}</a>
        {person.email && person.name && <span class="muted"> {person.email}</span>}
        {person.userId && <span class="muted"> · {person.userId}</span>}
      </th>
      <td data-label="Last contacted">{person.lastContactedAt ? formatDateTime(person.lastContactedAt, zone) : 'Never'}</td>
      <td data-label="Interviews">{person.interviews}</td>
      <td data-label="No-shows">{person.noShows}</td>
      <td data-label="May be asked">{person.blockedBy ? <StatusBadge status="inactive" label={RULE_LABELS[person.blockedBy]} /> : 'Yes'}</td>
    </tr>
  );
}
