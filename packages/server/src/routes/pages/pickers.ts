// The pickers the participant pages share, as plain HTML that works without JavaScript: the time
// zone (named as people know it), and a day picker over the whole booking window with that day's
// times, within waking hours unless they ask for all.
import { groupSlotsByDay } from '@beckon/shared/schedule';
import { isWakingSlot, WAKING_HOURS, zoneLabel } from '@beckon/shared/participant';
import { html, SafeHtml } from '../../mail/layout.js';
import { ZONE_LABELS } from './zone-labels.js';

interface Slot {
  start: string;
  end: string;
}

/** Every zone as an option, grouped by region, labelled from the generated table (see zone-labels.ts). */
let zoneOptions: { region: string; zones: { zone: string; label: string }[] }[] | undefined;
function zonesByRegion() {
  if (!zoneOptions) {
    const regions = new Map<string, { zone: string; label: string }[]>();
    // A zone newer than the table is named live: one zone's Intl cost, not all of them.
    for (const zone of ['UTC', ...Intl.supportedValuesOf('timeZone')]) {
      const region = zone.includes('/') ? zone.split('/')[0]! : 'Other';
      regions.set(region, [...(regions.get(region) ?? []), { zone, label: ZONE_LABELS[zone] ?? zoneLabel(zone) }]);
    }
    zoneOptions = [...regions].map(([region, zones]) => ({ region, zones: zones.sort((a, b) => a.label.localeCompare(b.label)) }));
  }
  return zoneOptions;
}

/** A select of every zone; `selected` undefined: none chosen yet, and the participant must choose. */
export function zoneSelect(selected: string | undefined): SafeHtml {
  return html`<select name="tz" id="tz" aria-label="Your time zone" required>${selected ? '' : html`<option value="" selected disabled>Choose your time zone&hellip;</option>`}${zonesByRegion().map(
    ({ region, zones }) =>
      html`<optgroup label="${region}">${zones.map(({ zone, label }) => html`<option value="${zone}" ${zone === selected ? new SafeHtml('selected') : ''}>${label}</option>`)}</optgroup>`,
  )}</select>`;
}

/** The zone as a GET form, keeping the page's other parameters; it changes how times read, nothing else. */
export function zoneForm(action: string, timeZone: string | undefined, hidden: Record<string, string> = {}): SafeHtml {
  return html`<form method="get" action="${action}" class="zone">${Object.entries(hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<label for="tz">${timeZone ? 'Times are shown in' : 'Which time zone are you in?'}</label> ${zoneSelect(timeZone)}
<button class="secondary" type="submit">${timeZone ? 'Change' : 'Show times'}</button></form>`;
}

export interface DayPickerOptions {
  /** The page's address; day links add `day`, `tz` and `all` to it. */
  action: string;
  timeZone: string;
  /** The local date (YYYY-MM-DD) asked for; the first day with times when absent or empty. */
  day?: string | undefined;
  /** Every hour of the day, not only 07:00–21:00 local. */
  all: boolean;
  /** Other parameters the links keep (the hosted link's ref). */
  keep?: Record<string, string>;
  /** The start to preselect (after a form problem). */
  chosen?: string | undefined;
  /** Local dates of the whole window, first to last, so days without times show too. */
  window: { from: Date; to: Date };
}

function localDate(at: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Each local date from the window's start to its end, in the participant's zone. */
function windowDates(window: { from: Date; to: Date }, timeZone: string): string[] {
  const dates: string[] = [];
  // Noon-to-noon steps of whole hours, checked by the zone's own date: a DST day is never skipped or doubled.
  for (let at = window.from.getTime(); at <= window.to.getTime() + 12 * 3_600_000; at += 6 * 3_600_000) {
    const date = localDate(new Date(Math.min(at, window.to.getTime())), timeZone);
    if (dates[dates.length - 1] !== date) dates.push(date);
  }
  return dates;
}

/** The day tabs (links, so they work without JavaScript) and the chosen day's times as radio buttons. */
export function dayPicker(slots: Slot[], options: DayPickerOptions): { picker: SafeHtml; day: string | undefined; count: number } {
  const { timeZone, all } = options;
  if (slots.length === 0) {
    return { picker: html`<p class="notice">There are no free times right now. Please check back in a few days.</p>`, day: undefined, count: 0 };
  }
  const shown = all ? slots : slots.filter((slot) => isWakingSlot(slot, timeZone));
  const hidden = slots.length - shown.length;
  const days = new Map(groupSlotsByDay(shown, timeZone).map((day) => [day.date, day.slots]));
  const chosenDay = options.chosen ? localDate(new Date(options.chosen), timeZone) : undefined;
  const day = options.day && days.has(options.day) ? options.day : chosenDay && days.has(chosenDay) ? chosenDay : [...days.keys()][0];
  const link = (params: Record<string, string | undefined>) => {
    const query = new URLSearchParams({ ...options.keep, tz: timeZone, ...(all ? { all: '1' } : {}) });
    for (const [name, value] of Object.entries(params)) {
      if (value === undefined) query.delete(name);
      else query.set(name, value);
    }
    return `${options.action}?${query.toString()}#times`;
  };
  const dates = windowDates(options.window, timeZone);
  const tabDay = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short' });
  const tabDate = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' });
  const longDay = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' });
  const asDate = (date: string) => new Date(`${date}T12:00:00Z`);
  const timeLabel = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' });
  const daySlots = day ? (days.get(day) ?? []) : [];
  const hours = `${WAKING_HOURS.from}:00–${WAKING_HOURS.to}:00`;
  const toggle = all
    ? html`<a href="${link({ all: undefined, day })}">Show only ${hours}</a>`
    : hidden > 0
      ? html`<a href="${link({ all: '1', day })}">Show early and late times too</a> <span class="muted">(${hidden} outside ${hours})</span>`
      : '';
  const picker = html`<nav class="days" aria-label="Days" id="times">${dates.map((date) => {
    const count = days.get(date)?.length ?? 0;
    const label = html`<span>${tabDay.format(asDate(date))}</span> <strong>${tabDate.format(asDate(date))}</strong>`;
    if (count === 0) return html`<span class="day empty" aria-disabled="true" title="No free times">${label}</span>`;
    return html`<a class="day" href="${link({ day: date })}" ${date === day ? new SafeHtml('aria-current="date"') : ''} title="${count} free ${count === 1 ? 'time' : 'times'}">${label}</a>`;
  })}</nav>
<p class="muted toggle">${toggle}</p>
${
  day
    ? html`<fieldset><legend>${longDay.format(asDate(day))}</legend><input type="hidden" name="day" value="${day}"><div class="slots">${daySlots.map(
        (slot) =>
          html`<label><input type="radio" name="start" value="${slot.start}" required ${slot.start === options.chosen ? new SafeHtml('checked') : ''}> <span>${timeLabel.format(new Date(slot.start))}</span></label>`,
      )}</div></fieldset>`
    : html`<p class="notice">No free times between ${hours} in your zone. <a href="${link({ all: '1' })}">Show all times</a></p>`
}`;
  return { picker, day, count: daySlots.length };
}
