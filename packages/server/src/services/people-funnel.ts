// The funnel of people: unique people at each step (eligible, shown, opted in, screened in, booked,
// attended) and the ways out as their own columns (screened out, cancelled, no-show), by week (in
// the workspace's zone, Monday to Monday), by segment (each study recruits one) and by source.
//
// Who is a person: their panel record (people.ts) when the visitor was identified, otherwise the
// browser (its anonymous id), which is all that is known of an anonymous visitor.
// Where each step comes from:
//   eligible      the server's `eligible` events (an identified user whose signed traits match the
//                 study's targeting was served the configuration), and anyone shown (they were eligible)
//   shown, opted in, screened out   the widget's events
//   screened in   the widget's `screened_in`, an opt-in to a study with no screener, or any booking
//   booked        bookings not cancelled (a cancelled one is only in `cancelled`)
//   attended, no-show   bookings marked so, in the week of the interview
// Source: widget for the widget's events and bookings; a hosted link's booking is `link` or
// `link:<ref>`, and a ref beginning with `email` is an email invitation (`email`).
import { sql } from 'drizzle-orm';
import { type PeopleFunnel, type PeopleFunnelCounts, type PeopleFunnelQuery, type PeopleFunnelRow } from '@beckon/shared/api';
import { PEOPLE_FUNNEL_COLUMNS } from '@beckon/shared/vocabulary';
import type { Database } from '../db/client.js';
import type { Workspace } from './workspaces.js';

type Column = (typeof PEOPLE_FUNNEL_COLUMNS)[number];

interface StepRow {
  person: string;
  step: Column;
  week: string;
  study_id: string;
  study_name: string;
  source: string;
}

const zero = (): PeopleFunnelCounts => Object.fromEntries(PEOPLE_FUNNEL_COLUMNS.map((column) => [column, 0])) as PeopleFunnelCounts;

/** Where a booking's `source` says it came from, as the funnel names it. */
export function sourceName(source: string): string {
  if (source === 'widget' || source === 'link') return source;
  if (source.startsWith('email')) return 'email';
  return `link:${source}`;
}

export async function peopleFunnel(db: Database, workspace: Workspace, query: PeopleFunnelQuery): Promise<PeopleFunnel> {
  const tz = workspace.timeZone;
  const range = (column: ReturnType<typeof sql>) =>
    sql.join([sql`true`, ...(query.from ? [sql`${column} >= ${query.from}::timestamptz`] : []), ...(query.to ? [sql`${column} < ${query.to}::timestamptz`] : [])], sql` and `);
  const study = query.studyId ? sql`s.id = ${query.studyId}::uuid` : sql`true`;
  const result = await db.execute(sql`
    with steps as (
      select coalesce(pa.person_id::text, 'browser:' || e.anonymous_id) as person, k.step, e.at, e.study_id, 'widget' as source
      from intercept_events e
      join studies s on s.id = e.study_id
      left join participants pa on pa.id = e.participant_id
      cross join lateral (values
        (case when e.kind in ('eligible', 'shown') then 'eligible' end),
        (case when e.kind in ('shown', 'opted_in', 'screened_out') then e.kind end),
        (case when e.kind = 'screened_in' or (e.kind = 'opted_in' and s.screener is null) then 'screened_in' end)
      ) as k(step)
      where e.workspace_id = ${workspace.id} and ${study} and k.step is not null
      union all
      select coalesce(pa.person_id::text, 'participant:' || b.participant_id::text), k.step, k.at, b.study_id, b.source
      from bookings b
      join studies s on s.id = b.study_id
      join participants pa on pa.id = b.participant_id
      cross join lateral (values
        ('screened_in', b.created_at),
        (case when b.status <> 'cancelled' then 'booked' else 'cancelled' end, case when b.status <> 'cancelled' then b.created_at else coalesce(b.cancelled_at, b.updated_at) end),
        (case b.status when 'completed' then 'attended' when 'no_show' then 'no_show' end, b.starts_at)
      ) as k(step, at)
      where b.workspace_id = ${workspace.id} and ${study} and k.step is not null
    )
    select distinct st.person, st.step, to_char(date_trunc('week', st.at at time zone ${tz}), 'YYYY-MM-DD') as week, st.study_id, s.name as study_name, st.source
    from steps st join studies s on s.id = st.study_id
    where ${range(sql`st.at`)}
  `);
  const rows = (result as unknown as { rows: StepRow[] }).rows;
  const groups = new Map<string, { row: Omit<PeopleFunnelRow, 'counts'>; people: Map<Column, Set<string>> }>();
  const everyone = new Map<Column, Set<string>>(PEOPLE_FUNNEL_COLUMNS.map((column) => [column, new Set()]));
  for (const step of rows) {
    const source = sourceName(step.source);
    const key = `${step.week}\n${step.study_id}\n${source}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { row: { week: step.week, segment: step.study_name, studyId: step.study_id, source }, people: new Map() }));
    if (!group.people.has(step.step)) group.people.set(step.step, new Set());
    group.people.get(step.step)!.add(step.person);
    everyone.get(step.step)!.add(step.person);
  }
  const count = (people: Map<Column, Set<string>>) => {
    const counts = zero();
    for (const column of PEOPLE_FUNNEL_COLUMNS) counts[column] = people.get(column)?.size ?? 0;
    return counts;
  };
  return {
    timeZone: tz,
    totals: count(everyone),
    rows: [...groups.values()]
      .map((group) => ({ ...group.row, counts: count(group.people) }))
      .sort((a, b) => a.week.localeCompare(b.week) || a.segment.localeCompare(b.segment) || a.source.localeCompare(b.source)),
  };
}
