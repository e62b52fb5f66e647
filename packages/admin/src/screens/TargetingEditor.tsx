// Who is invited: a segment preset (rules built by @beckon/shared/rules presets) or a raw JSON rule.
import { PRESETS, ruleFromDraft, withPreset, type TargetingDraft } from '../lib/targeting.js';
import { Fieldset, NumberField, Radio, TextAreaField, TextField } from '../ui/form.js';

export function TargetingEditor(props: { draft: TargetingDraft; onChange: (draft: TargetingDraft) => void }) {
  const { draft, onChange } = props;
  const set = (patch: Partial<TargetingDraft>) => onChange({ ...draft, ...patch });
  const result = ruleFromDraft(draft);
  const dayBased = draft.preset === 'recentSignups' || draft.preset === 'recentlyChurned' || draft.preset === 'inactiveUsers';

  return (
    <Fieldset path="targeting" legend="Segment" hint="Traits come from identify() on your product site.">
      <div class="radios">
        {PRESETS.map((p) => (
          <Radio key={p.kind} name="targeting-preset" value={p.kind} current={draft.preset} label={p.label} hint={p.hint} onChange={(kind) => onChange(withPreset(draft, kind))} />
        ))}
      </div>

      {dayBased && (
        <div class="row preset-params">
          <NumberField
            path="targeting.days"
            label={draft.preset === 'inactiveUsers' ? 'Not seen for more than (days)' : draft.preset === 'recentlyChurned' ? 'Churned within the last (days)' : 'Signed up within the last (days)'}
            value={draft.days}
            onInput={(days) => set({ days })}
            suffix="days"
          />
          <TextField
            path="targeting.trait"
            label="Trait with the date"
            hint="The identify() trait holding that date."
            value={draft.trait}
            spellcheck={false}
            size="medium"
            onInput={(trait) => set({ trait })}
          />
        </div>
      )}

      {draft.preset === 'superstars' && (
        <div class="preset-params">
          <Fieldset legend="Measure heavy use by">
            <div class="radios radios-inline">
              <Radio name="superstars-by" value="event" current={draft.superstarsBy} label="A tracked event" onChange={(superstarsBy) => set({ superstarsBy })} />
              <Radio name="superstars-by" value="trait" current={draft.superstarsBy} label="A usage-count trait" onChange={(superstarsBy) => set({ superstarsBy })} />
            </div>
          </Fieldset>
          <div class="row">
            {draft.superstarsBy === 'event' ? (
              <TextField path="targeting.event" label="Event name" hint="As sent with track(), e.g. report_exported" value={draft.event} spellcheck={false} size="medium" onInput={(event) => set({ event })} />
            ) : (
              <TextField path="targeting.countTrait" label="Trait name" hint="A number trait, e.g. reportsCreated" value={draft.countTrait} spellcheck={false} size="medium" onInput={(countTrait) => set({ countTrait })} />
            )}
            <NumberField path="targeting.atLeast" label="At least" value={draft.atLeast} onInput={(atLeast) => set({ atLeast })} suffix={draft.superstarsBy === 'event' ? 'times' : undefined} />
            {draft.superstarsBy === 'event' && (
              <NumberField path="targeting.withinDays" label="Within the last (days)" hint="Empty: ever" value={draft.withinDays} onInput={(withinDays) => set({ withinDays })} suffix="days" />
            )}
          </div>
        </div>
      )}

      {draft.preset === 'custom' && (
        <TextAreaField
          path="targeting.json"
          label="Rule (JSON)"
          hint='For example {"all": [{"trait": "plan", "op": "equals", "value": "pro"}, {"event": "report_exported", "atLeast": 3}]}. Empty: everyone.'
          value={draft.json}
          rows={8}
          code
          onInput={(json) => set({ json })}
        />
      )}

      {draft.preset !== 'everyone' && 'rule' in result && result.rule && (
        <details class="rule-preview">
          <summary>Rule that will be saved</summary>
          <pre>{JSON.stringify(result.rule, null, 2)}</pre>
        </details>
      )}
    </Fieldset>
  );
}
