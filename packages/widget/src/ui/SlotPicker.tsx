// Free times grouped by day in the participant's zone (detected, changeable). Days are tabs
// (←/→, Home/End); times are buttons (arrow keys move between them too, Enter picks).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { StepProps } from './step.js';
import { fetchSlots, type SlotsAnswer } from './api.js';
import { isWakingSlot, zoneLabel } from '@beckon/shared/participant';
import { dayLabel, groupByDay, rangeLabel, timeLabel, zones, type Slot } from './time.js';

const UNAVAILABLE: Record<string, string> = {
  no_free_time: 'There are no free times in the coming weeks.',
  weekly_quota_reached: 'This week’s interviews are all booked.',
  total_quota_reached: 'This study has all the interviews it needs.',
};

/** Moves focus among `selector` siblings with the arrow keys; returns the index focused, if any. */
function arrows(e: KeyboardEvent, selector: string, prev: string[], next: string[]): number | undefined {
  const items = [...((e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>(selector))];
  const at = items.indexOf(e.target as HTMLElement);
  if (at < 0) return;
  const to =
    e.key == 'Home' ? 0 : e.key == 'End' ? items.length - 1 : prev.includes(e.key) ? at - 1 : next.includes(e.key) ? at + 1 : -1;
  if (to < 0 || to >= items.length) return;
  e.preventDefault();
  items[to]!.focus();
  return to;
}

export function SlotPicker({
  o,
  say,
  timeZone,
  onTimeZone,
  alternatives,
  onPick,
}: StepProps & { timeZone: string; onTimeZone: (tz: string) => void; alternatives?: Slot[]; onPick: (s: Slot) => void }) {
  const [answer, setAnswer] = useState<SlotsAnswer | 'error'>();
  const [attempt, setAttempt] = useState(0);
  const [day, setDay] = useState(0);
  // By default only 07:00–21:00 in their zone; the rest on request.
  const [all, setAll] = useState(false);
  const tabs = useRef<HTMLDivElement>(null);
  const locale = o.workspace.locale || undefined;

  useEffect(() => {
    let current = true;
    setAnswer(undefined);
    fetchSlots(o.api, o.study.id, timeZone).then(
      (a) => current && setAnswer(a),
      () => current && setAnswer('error'),
    );
    return () => {
      current = false;
    };
  }, [timeZone, attempt]);

  const every = useMemo(
    () => (answer && answer != 'error' ? (answer.timeZone == timeZone && answer.days) || groupByDay(answer.slots, timeZone) : []),
    [answer, timeZone],
  );
  const waking = useMemo(() => every.map((d) => ({ ...d, slots: d.slots.filter((s) => isWakingSlot(s, timeZone)) })).filter((d) => d.slots.length), [every]);
  const hidden = every.reduce((n, d) => n + d.slots.length, 0) - waking.reduce((n, d) => n + d.slots.length, 0);
  const days = all || !waking.length ? every : waking;
  const selected = Math.min(day, Math.max(days.length - 1, 0));
  const zoneList = useMemo(() => zones(timeZone), [timeZone]);

  let content;
  if (answer == 'error') {
    content = (
      <>
        <p role="alert">We couldn’t load the free times.</p>
        <div class="row">
          <button type="button" class="btn" onClick={() => setAttempt(attempt + 1)}>
            Try again
          </button>
        </div>
      </>
    );
  } else if (!answer) {
    content = <p class="muted">Finding free times…</p>;
  } else if (!days.length) {
    content = <p>{UNAVAILABLE[answer.unavailableReason ?? ''] ?? 'There are no free times right now.'} Thank you for offering your time.</p>;
  } else {
    const current = days[selected]!;
    content = (
      <>
        <div
          ref={tabs}
          class="days"
          role="tablist"
          aria-label="Days"
          onKeyDown={(e) => {
            const to = arrows(e, '[role=tab]', ['ArrowLeft', 'ArrowUp'], ['ArrowRight', 'ArrowDown']);
            if (to != null) setDay(to);
          }}
        >
          {days.map((d, i) => (
            <button
              type="button"
              role="tab"
              class="day"
              key={d.date}
              id={`beckon-day-${i}`}
              aria-selected={i == selected}
              aria-controls="beckon-times"
              tabIndex={i == selected ? 0 : -1}
              onClick={() => setDay(i)}
            >
              {dayLabel(d.date, locale)}
            </button>
          ))}
        </div>
        <div role="tabpanel" id="beckon-times" aria-labelledby={`beckon-day-${selected}`}>
          <ul class="times" onKeyDown={(e) => arrows(e, 'button', ['ArrowLeft', 'ArrowUp'], ['ArrowRight', 'ArrowDown'])}>
            {current.slots.map((s) => (
              <li key={s.start}>
                <button
                  type="button"
                  class="btn sec"
                  aria-label={rangeLabel(s, timeZone, locale)}
                  onClick={() => onPick(s)}
                >
                  {timeLabel(s.start, timeZone, locale)}
                </button>
              </li>
            ))}
          </ul>
        </div>
        {hidden > 0 && waking.length > 0 && (
          <button type="button" class="link" onClick={() => (setAll(!all), setDay(0))}>
            {all ? 'Only 7:00–21:00' : `Show all times (+${hidden})`}
          </button>
        )}
      </>
    );
  }

  return (
    <>
      {alternatives && (
        <div class="notice">
          <p>Someone booked that time a moment ago. The nearest free times:</p>
          <ul class="times alts">
            {alternatives.slice(0, 5).map((s) => (
              <li key={s.start}>
                <button type="button" class="btn sec" onClick={() => onPick(s)}>
                  {rangeLabel(s, timeZone, locale)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class="tzrow">
        <label for="beckon-tz">Time zone</label>
        <select
          id="beckon-tz"
          class="tz"
          value={timeZone}
          onChange={(e) => {
            onTimeZone(e.currentTarget.value);
            say(`Times now shown in ${e.currentTarget.value.replace(/_/g, ' ')}`);
          }}
        >
          {zoneList.map((z) => (
            <option key={z} value={z}>
              {/* Labelling all 400 zones through Intl would be a long task: the chosen one only. */}
              {z == timeZone ? zoneLabel(z) : z.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </div>
      <div aria-busy={!answer}>{content}</div>
    </>
  );
}
