import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { formatPercent, funnelRows } from '../lib/funnel.js';
import { addDays, dateRange, formatLocalDate, localDate } from '../lib/time.js';
import { href, navigate, type Location } from '../router.js';
import { LoadError, Loading, PageHeading, useDisplayZone, useLoad } from '../ui/common.js';
import { Form, SelectField, TextField } from '../ui/form.js';
import type { FieldProblem } from '../lib/fields.js';
import './Funnel.css';

const DATE = /^\d{4}-\d\d-\d\d$/;
const PRESET_DAYS = [7, 30, 90];

export function FunnelScreen(props: { studyId: string; location: Location }) {
  const { studyId, location } = props;
  const [zone] = useDisplayZone();
  const today = localDate(Date.now(), zone);
  const to = DATE.test(location.query.get('to') ?? '') ? location.query.get('to')! : today;
  const from = DATE.test(location.query.get('from') ?? '') ? location.query.get('from')! : addDays(to, -29);

  const studies = useLoad(() => api.listStudies(), []);
  const range = dateRange(from, to, zone);
  const steps = useLoad(() => api.funnel(studyId, range), [studyId, range.from, range.to]);
  const study = studies.data?.find((s) => s.id === studyId);
  const rows = steps.data ? funnelRows(steps.data.steps) : [];
  const sources = steps.data?.sources ?? [];
  const max = Math.max(1, ...rows.map((r) => r.count));
  const title = study ? `Funnel: ${study.name}` : 'Funnel';

  const [draft, setDraft] = useState({ from, to });
  useEffect(() => setDraft({ from, to }), [from, to]);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const show = (next: { from: string; to: string }, id = studyId) => navigate(href(`/studies/${id}/funnel`, next), { replace: true });

  return (
    <>
      <p class="breadcrumb">
        <a href={href('/studies')}>← Studies</a>
      </p>
      <PageHeading title={title}>{title}</PageHeading>
      <div class="filters">
        <SelectField
          path="funnel-study"
          label="Study"
          value={studyId}
          options={(studies.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          onChange={(id) => show({ from, to }, id)}
        />
      </div>
      <Form
        problems={problems}
        aria-label="Date range"
        class="range"
        onSubmit={() => {
          const found: FieldProblem[] = [];
          if (!DATE.test(draft.from)) found.push({ field: 'from', message: 'Pick the first day' });
          if (!DATE.test(draft.to)) found.push({ field: 'to', message: 'Pick the last day' });
          if (found.length === 0 && draft.from > draft.to) found.push({ field: 'to', message: 'The last day must not be before the first' });
          setProblems(found);
          if (found.length === 0) show(draft);
        }}
      >
        <div class="row row-end">
          <TextField path="from" label="From" type="date" value={draft.from} onInput={(value) => setDraft((d) => ({ ...d, from: value }))} />
          <TextField path="to" label="To" type="date" value={draft.to} onInput={(value) => setDraft((d) => ({ ...d, to: value }))} />
          <button type="submit" class="button-primary">
            Show
          </button>
        </div>
        <p class="quick-ranges">
          {PRESET_DAYS.map((n) => (
            <button
              key={n}
              type="button"
              class="button-link"
              onClick={() => {
                const next = { from: addDays(today, -(n - 1)), to: today };
                setDraft(next);
                show(next);
              }}
            >
              Last {n} days
            </button>
          ))}
        </p>
        <p class="hint">Days are counted in {zone}.</p>
      </Form>

      {steps.error && <LoadError error={steps.error} what="Funnel numbers" onRetry={steps.reload} />}
      {steps.loading && !steps.data && <Loading what="the funnel" />}
      {steps.data && (
        <table class="table funnel" aria-busy={steps.loading ? 'true' : 'false'}>
          <caption>
            {formatLocalDate(from, undefined, 'medium')} – {formatLocalDate(to, undefined, 'medium')}
            {rows[0] && rows[0].count > 0 && rows[4] ? ` · ${rows[4].count} booked of ${rows[0].count} eligible (${formatPercent(rows[4].ofFirst)})` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col" class="num">
                Count
              </th>
              <th scope="col" class="num">
                From previous step
              </th>
              <th scope="col" class="num">
                Of eligible
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.step}>
                <th scope="row" data-label="Step">
                  {row.label}
                  <span class="bar" aria-hidden="true">
                    <span class="bar-fill" style={{ width: `${(row.count / max) * 100}%` }} />
                  </span>
                </th>
                <td class="num" data-label="Count">
                  {row.count.toLocaleString()}
                </td>
                <td class="num" data-label="From previous step">
                  {formatPercent(row.fromPrevious)}
                </td>
                <td class="num" data-label="Of eligible">
                  {formatPercent(row.ofFirst)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {steps.data && sources.length > 0 && (
        <section class="section" aria-labelledby="sources">
          <h2 id="sources" class="section-title">
            Where bookings came from
          </h2>
          <ul class="sources">
            {sources.map((s) => (
              <li key={s.source}>
                <span>{s.source === 'widget' ? 'Widget on your site' : `Booking link, ref “${s.source}”`}</span>
                <strong>{s.count.toLocaleString()}</strong>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
