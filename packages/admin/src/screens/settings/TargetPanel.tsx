// The workspace's week: how many interviews it wants each week, and the zone its weeks run in
// (Monday 00:00 to Monday 00:00 there: the home page, the studies' targets and the Monday digest).
import { timeZones } from '../../lib/time.js';
import { NumberField, SelectField } from '../../ui/form.js';
import type { PanelProps } from './WorkspaceForm.js';

export function TargetPanel({ draft, set }: PanelProps) {
  return (
    <section class="section" aria-labelledby="s-week">
      <h2 id="s-week" class="section-title">
        Interviews every week
      </h2>
      <div class="row">
        <NumberField
          path="weeklyTarget"
          label="Interviews a week"
          hint="Across all studies; the home page says whether this week will have them. Each study can have its own target too."
          value={draft.weeklyTarget}
          suffix="a week"
          onInput={(weeklyTarget) => set({ weeklyTarget })}
        />
        <SelectField
          path="timeZone"
          label="Weeks run in"
          hint="Weeks run Monday to Sunday in this time zone; the Monday digest goes out at 8:00 there."
          value={draft.timeZone}
          options={timeZones(draft.timeZone)}
          onChange={(timeZone) => set({ timeZone })}
        />
      </div>
    </section>
  );
}
