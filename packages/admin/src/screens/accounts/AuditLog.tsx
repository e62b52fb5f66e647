// The audit log (owners and admins): who changed what, newest first, filtered by who, by action
// (exact, or a prefix ending in a dot) and by dates in the zone the times are shown in. The
// filters live in the address, so a filtered view can be shared and Back undoes a filter.
import type { AuditEntry } from '@beckon/shared/api';
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import type { FieldProblem } from '../../lib/fields.js';
import { addDays, formatDateTime, startOfDay, timeZones } from '../../lib/time.js';
import { href, navigate, type Location } from '../../router.js';
import { can } from '../../session.js';
import { LoadError, Loading, PageHeading, useDisplayZone, useLoad } from '../../ui/common.js';
import { Form, SelectField, TextField } from '../../ui/form.js';
import './accounts.css';

const LIMIT = 200;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function value(change: unknown): string {
  if (change === undefined) return '—';
  const text = typeof change === 'string' ? change : JSON.stringify(change);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function Changes(props: { changes: AuditEntry['changes'] }) {
  const all = Object.entries(props.changes);
  // A whole-record save names every field it sent: show the ones that changed.
  const fields = all.filter(([, change]) => !('before' in change && 'after' in change) || JSON.stringify(change.before) !== JSON.stringify(change.after));
  const same = all.length - fields.length;
  if (all.length === 0) return <span class="muted">—</span>;
  return (
    <ul class="audit-changes">
      {fields.map(([field, { before, after }]) => (
        <li key={field}>
          <strong>{field}</strong>: <code>{value(before)}</code> → <code>{value(after)}</code>
        </li>
      ))}
      {same > 0 && (
        <li class="muted">
          {same} {same === 1 ? 'field' : 'fields'} sent unchanged
        </li>
      )}
    </ul>
  );
}

export function AuditLogScreen(props: { location: Location }) {
  const { query } = props.location;
  const applied = { actor: query.get('actor') ?? '', action: query.get('action') ?? '', from: query.get('from') ?? '', to: query.get('to') ?? '' };
  const [draft, setDraft] = useState(applied);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [zone, setZone] = useDisplayZone();
  const team = useLoad(() => api.listTeam(), []);
  const keys = useLoad(() => (can('api_keys:manage') ? api.listApiKeys() : Promise.resolve([])), []);
  const search = props.location.query.toString();
  const entries = useLoad(
    () =>
      api.auditLog({
        actor: applied.actor || undefined,
        action: applied.action || undefined,
        from: DATE.test(applied.from) ? startOfDay(applied.from, zone) : undefined,
        to: DATE.test(applied.to) ? startOfDay(addDays(applied.to, 1), zone) : undefined,
        limit: String(LIMIT),
      }),
    [search, zone],
  );

  const set = (patch: Partial<typeof draft>) => setDraft((d) => ({ ...d, ...patch }));
  const apply = () => {
    const found: FieldProblem[] = [];
    if (draft.action && !/^[a-z_.]+$/.test(draft.action.trim())) found.push({ field: 'action', message: 'An action is lower-case words joined by dots, like study.update or study.' });
    if (draft.from && draft.to && draft.from > draft.to) found.push({ field: 'to', message: 'The last day must be on or after the first day' });
    setProblems(found);
    if (found.length > 0) return;
    navigate(href('/audit-log', { actor: draft.actor || undefined, action: draft.action.trim() || undefined, from: draft.from || undefined, to: draft.to || undefined }));
  };
  const filtered = Boolean(applied.actor || applied.action || applied.from || applied.to);

  const actors = [
    { value: '', label: 'Anyone' },
    ...(team.data ?? []).map((p) => ({ value: p.userId, label: p.name ? `${p.name} (${p.email})` : p.email })),
    ...(keys.data ?? []).map((k) => ({ value: k.id, label: `API key: ${k.name}` })),
  ];
  if (applied.actor && !actors.some((a) => a.value === applied.actor)) actors.push({ value: applied.actor, label: applied.actor });

  return (
    <>
      <PageHeading title="Audit log">Audit log</PageHeading>
      <p class="lede">Every change made in this workspace, by a person or an API key, newest first. Nobody can change or delete it.</p>
      <section class="section" aria-labelledby="audit-filters">
        <h2 id="audit-filters" class="section-title">
          Filter
        </h2>
        <Form problems={problems} onSubmit={apply} aria-label="Filter the audit log">
          <div class="filters">
            <SelectField path="actor" label="Who" value={draft.actor} options={actors} onChange={(actor) => set({ actor })} />
            <TextField path="action" label="Action" hint="Exact, or a start ending in a dot: study." value={draft.action} spellcheck={false} onInput={(action) => set({ action })} size="medium" />
            <TextField path="from" label="From" type="date" value={draft.from} onInput={(from) => set({ from })} />
            <TextField path="to" label="To (inclusive)" type="date" value={draft.to} onInput={(to) => set({ to })} />
            <SelectField path="zone" label="Times in" value={zone} options={timeZones(zone)} onChange={setZone} />
          </div>
          <div class="form-actions">
            <button type="submit" class="button-primary">
              Show entries
            </button>
            {filtered && (
              <a class="button button-secondary" href={href('/audit-log')} onClick={() => setDraft({ actor: '', action: '', from: '', to: '' })}>
                Clear filters
              </a>
            )}
          </div>
        </Form>
      </section>
      {entries.error && <LoadError error={entries.error} what="The audit log" onRetry={entries.reload} />}
      {entries.loading && !entries.data && <Loading what="the audit log" />}
      {entries.data && entries.data.length === 0 && <p class="empty-inline">{filtered ? 'No entries match these filters.' : 'Nothing has been changed yet.'}</p>}
      {entries.data && entries.data.length > 0 && (
        <>
          <p class="muted" role="status">
            {entries.data.length === LIMIT ? `The newest ${LIMIT} entries${filtered ? ' that match' : ''}; narrow the dates to see older ones.` : `${entries.data.length} ${entries.data.length === 1 ? 'entry' : 'entries'}${filtered ? ' match' : ''}.`}
          </p>
          <table class="table">
            <caption class="visually-hidden">Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {entries.data.map((entry) => (
                <tr key={entry.id}>
                  <td data-label="When" class="audit-when">
                    {formatDateTime(entry.at, zone)}
                  </td>
                  <td data-label="Who">
                    {entry.actor.type === 'api_key' ? `API key: ${entry.actor.label ?? 'deleted'}` : entry.actor.type === 'system' ? 'Beckon' : (entry.actor.label ?? 'Someone removed')}
                  </td>
                  <th scope="row" data-label="Action">
                    <code>{entry.action}</code>
                  </th>
                  <td data-label="Changes">
                    <Changes changes={entry.changes} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
