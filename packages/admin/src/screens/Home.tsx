// The home page: the week's health. Will we have our interviews this week, and if not, why and
// what to do. The workspace as a whole, then each live study with a weekly target: this week's
// bookings against the target, the forecast with its range and chance, the status, and when
// the week is at risk the reason in words with a link to where it is fixed; a chart of the
// last nine weeks against the target, and the numbers behind it.
import type { AutopilotWeek, WeekHealth } from '@beckon/shared/api';
import { RISK_FIXES, RISK_WORDS, riskFixPath } from '@beckon/shared/vocabulary';
import type { ComponentChildren } from 'preact';
import { api } from '../api.js';
import { bookedLine, forecastLine, STATUS_WORDS, weekChart, weekLabel } from '../lib/week.js';
import { href } from '../router.js';
import { can } from '../session.js';
import { LoadError, Loading, PageHeading, useLoad } from '../ui/common.js';
import './Home.css';

export function HomeScreen() {
  const week = useLoad(() => api.autopilotWeek(), []);
  const studies = useLoad(() => api.listStudies(), []);
  const untargeted = (studies.data ?? []).filter((s) => s.status === 'live' && s.weeklyTarget === null);
  return (
    <>
      <PageHeading title="This week">This week</PageHeading>
      {week.error && <LoadError error={week.error} what="The week's health" onRetry={week.reload} />}
      {week.loading && !week.data && <Loading what="this week" />}
      {week.data && <Week week={week.data} untargeted={untargeted} />}
    </>
  );
}

function Week(props: { week: AutopilotWeek; untargeted: { id: string; name: string }[] }) {
  const { week, untargeted } = props;
  return (
    <>
      <p class="week-intro">
        Week of {weekLabel(week.weekKey)} · weeks run Monday to Sunday in {week.timeZone}
        {can('settings:write') && (
          <>
            {' '}
            · <a href={href('/settings')}>change the target or zone</a>
          </>
        )}
      </p>
      <HealthCard id="workspace" title="All studies" health={week.workspace} fixPath={week.workspace.forecast.reason ? riskFixPath(week.workspace.forecast.reason, null) : null} />
      <h2 class="week-heading">Studies with a weekly target</h2>
      {week.studies.length === 0 ? (
        <p class="empty">
          No live study has a weekly target yet. Give one a target (in its editor, under Scheduling and quotas) and Beckon paces who is asked so the interviews are booked by the week's end.
        </p>
      ) : (
        <ul class="week-list" aria-label="Studies this week">
          {week.studies.map((study) => (
            <li key={study.studyId}>
              <HealthCard
                id={study.studyId}
                title={<a href={href(`/studies/${study.studyId}`)}>{study.name}</a>}
                health={study}
                fixPath={study.forecast.reason ? riskFixPath(study.forecast.reason, study.studyId) : null}
              />
            </li>
          ))}
        </ul>
      )}
      {untargeted.length > 0 && (
        <p class="muted week-untargeted">
          Live without a target (asked by sampling alone): {untargeted.map((s, i) => (
            <span key={s.id}>
              {i > 0 && ', '}
              <a href={href(`/studies/${s.id}`)}>{s.name}</a>
            </span>
          ))}
          .
        </p>
      )}
    </>
  );
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function HealthCard(props: { id: string; title: ComponentChildren; health: WeekHealth; fixPath: string | null }) {
  const { health, fixPath } = props;
  const { forecast } = health;
  const thisWeek = health.weeks[health.weeks.length - 1]!;
  const headingId = `h-${props.id}`;
  return (
    <section class={`section week-card week-${forecast.status.replace(/_/g, '-')}`} aria-labelledby={headingId}>
      <div class="week-card-text">
        <div class="week-card-head">
          <h3 id={headingId} class="week-card-title">
            {props.title}
          </h3>
          <span class={`badge week-status week-status-${forecast.status.replace(/_/g, '-')}`}>{STATUS_WORDS[forecast.status]}</span>
        </div>
        <p class="week-booked">{capitalise(bookedLine(thisWeek))}.</p>
        <p class="week-forecast">{forecastLine(forecast, thisWeek.booked)}</p>
        {forecast.reason && (
          <div class="week-risk">
            <p>
              <strong>Why: </strong>
              {RISK_WORDS[forecast.reason]}
            </p>
            {fixPath ? (
              <a class="button button-secondary button-small week-fix" href={href(fixPath)}>
                {capitalise(RISK_FIXES[forecast.reason])}
              </a>
            ) : (
              <p>
                <strong>Fix: </strong>
                {RISK_FIXES[forecast.reason]}
              </p>
            )}
          </div>
        )}
      </div>
      <div class="week-card-chart">
        <WeekChart health={health} />
      </div>
        <details class="week-numbers">
          <summary>Week by week</summary>
          <table class="table week-table">
            <thead>
              <tr>
                <th scope="col">Week of</th>
                <th scope="col" class="num">
                  Target
                </th>
                <th scope="col" class="num">
                  Booked
                </th>
                <th scope="col" class="num">
                  Attended
                </th>
                <th scope="col" class="num">
                  No-shows
                </th>
              </tr>
            </thead>
            <tbody>
              {[...health.weeks].reverse().map((w, i) => (
                <tr key={w.weekKey}>
                  <th scope="row">{i === 0 ? 'This week' : weekLabel(w.weekKey)}</th>
                  <td class="num">{w.target}</td>
                  <td class="num">{w.booked}</td>
                  <td class="num">{w.attended}</td>
                  <td class="num">{w.noShows}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
    </section>
  );
}

/** Nine weeks of bookings as bars against the target (a dashed line); this week's likely range as a whisker. */
function WeekChart(props: { health: WeekHealth }) {
  const { weeks, forecast } = props.health;
  const chart = weekChart(weeks, forecast);
  const target = weeks[weeks.length - 1]!.target;
  const met = weeks.slice(0, -1).filter((w) => w.booked >= w.target).length;
  const label = `Bookings in the last ${weeks.length - 1} weeks and this one against a target of ${target}: ${weeks.map((w) => w.booked).join(', ')}. The target was met in ${met} of the last ${weeks.length - 1} weeks.`;
  return (
    <svg class="week-chart" viewBox={`0 0 ${chart.width} ${chart.height}`} role="img" aria-label={label}>
      {chart.bars.map((bar) => (
        <g key={bar.weekKey}>
          <rect class={`chart-bar${bar.current ? ' chart-bar-current' : bar.met ? ' chart-bar-met' : ' chart-bar-short'}`} x={bar.x} y={bar.y} width={bar.width} height={Math.max(bar.height, 0.5)} rx={2} />
          {bar.booked > 0 && (
            <text class="chart-value" x={bar.x + bar.width / 2} y={bar.y - 2} text-anchor="middle">
              {bar.booked}
            </text>
          )}
        </g>
      ))}
      <line class="chart-target" x1={chart.left} x2={chart.width} y1={chart.targetY} y2={chart.targetY} />
      <text class="chart-label" x={0} y={chart.targetY + 3}>
        target {target}
      </text>
      {chart.forecast && (
        <g class="chart-forecast">
          <line x1={chart.forecast.x} x2={chart.forecast.x} y1={chart.forecast.lowY} y2={chart.forecast.highY} />
          <circle cx={chart.forecast.x} cy={chart.forecast.expectedY} r={3} />
        </g>
      )}
      <text class="chart-label" x={chart.bars[0]!.x} y={chart.height - 4}>
        {weekLabel(weeks[0]!.weekKey)}
      </text>
      <text class="chart-label" x={chart.width} y={chart.height - 4} text-anchor="end">
        this week
      </text>
    </svg>
  );
}
