// How the widget looks on the product: colours and the like as CSS values, and light or dark.
import { THEME_FIELDS, THEME_MODES } from '../../lib/workspace-form.js';
import { SelectField, TextField } from '../../ui/form.js';
import type { PanelProps } from './WorkspaceForm.js';

export function ThemePanel({ draft, set }: PanelProps) {
  // An emptied field is dropped, so the widget's default applies again.
  const setTheme = (key: string, value: string) => {
    const theme = { ...draft.theme };
    if (value === '') delete theme[key];
    else theme[key] = value;
    set({ theme });
  };
  const mode = draft.theme.mode === 'dark' || draft.theme.mode === 'auto' ? draft.theme.mode : '';

  return (
    <section class="section" aria-labelledby="s-theme">
      <h2 id="s-theme" class="section-title">
        Widget appearance
      </h2>
      <p class="hint">Empty fields keep the widget’s defaults. Values are CSS, e.g. #4f46e5 for a colour. A page can still override them with --beckon-brand and the like.</p>
      <div class="row">
        {THEME_FIELDS.map((field) => (
          <TextField
            key={field.key}
            path={`theme.${field.key}`}
            label={field.label}
            hint={field.hint}
            value={draft.theme[field.key] ?? ''}
            maxLength={100}
            size="medium"
            spellcheck={false}
            autoComplete="off"
            onInput={(value) => setTheme(field.key, value)}
          />
        ))}
      </div>
      <SelectField path="theme.mode" label="Light or dark" value={mode} options={THEME_MODES} onChange={(value) => setTheme('mode', value)} />
    </section>
  );
}
