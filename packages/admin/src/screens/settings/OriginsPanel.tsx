// The sites the widget may run on: one input per origin, with add and remove.
import { useEffect, useRef, useState } from 'preact/hooks';
import { fieldId } from '../../lib/fields.js';
import { Fieldset, TextField } from '../../ui/form.js';
import type { PanelProps } from './WorkspaceForm.js';
import { ago, originSightings } from '../../lib/workspace-form.js';

export function OriginsPanel({ draft, set, seen }: PanelProps & { seen: Record<string, string> }) {
  const sightings = originSightings(draft.allowedOrigins, seen);
  return (
    <Fieldset
      path="allowedOrigins"
      legend="Allowed origins"
      legendClass="section-title"
      class="section"
      hint="The sites the widget may run on: http:// or https://, the host, and a port if it is not the default; no path. List staging and production separately."
    >
      <OriginsEditor origins={draft.allowedOrigins} onChange={(allowedOrigins) => set({ allowedOrigins })} />
      {sightings.allowed.length > 0 && (
        <ul class="origin-seen" aria-label="Where the snippet was seen">
          {sightings.allowed.map(({ origin, at }) => (
            <li key={origin}>
              <code>{origin}</code>: {at ? `snippet seen ${ago(at)}` : 'not seen yet (is the snippet on this site?)'}
            </li>
          ))}
        </ul>
      )}
      {sightings.refused.length > 0 && (
        <div class="notice notice-warning" role="status">
          <p>The widget was asked for from sites that are not allowed, and shows nothing there:</p>
          <ul>
            {sightings.refused.map(({ origin, at }) => (
              <li key={origin}>
                <code>{origin}</code>, {ago(at!)}
                {' '}
                <button type="button" class="button-secondary button-small" onClick={() => set({ allowedOrigins: [...draft.allowedOrigins, origin] })}>
                  Allow {origin}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Fieldset>
  );
}

/** Focus follows adding and removing, so keyboard users stay in the list. */
function OriginsEditor(props: { origins: string[]; onChange: (origins: string[]) => void }) {
  const { origins, onChange } = props;
  const addButton = useRef<HTMLButtonElement>(null);
  // The row to focus after the next render: a new row, or the one that took a removed row's place.
  const [focusRow, setFocusRow] = useState<number | null>(null);
  useEffect(() => {
    if (focusRow === null) return;
    const input = focusRow >= 0 && focusRow < origins.length ? document.getElementById(fieldId(`allowedOrigins.${focusRow}`)) : null;
    (input ?? addButton.current)?.focus();
    setFocusRow(null);
  }, [focusRow, origins.length]);

  return (
    <>
      {origins.length === 0 && <p class="muted">No origins yet: the widget runs nowhere.</p>}
      {origins.length > 0 && (
        <ul class="origin-list">
          {origins.map((origin, i) => (
            <li key={i} class="origin-row">
              <TextField
                path={`allowedOrigins.${i}`}
                label={`Allowed origin ${i + 1}`}
                hideLabel
                type="url"
                value={origin}
                maxLength={255}
                spellcheck={false}
                autoComplete="off"
                placeholder="https://app.example.com"
                onInput={(value) => onChange(origins.map((o, k) => (k === i ? value : o)))}
              />
              <button
                type="button"
                class="button-secondary button-small"
                aria-label={`Remove ${origin.trim() || `allowed origin ${i + 1}`}`}
                onClick={() => {
                  onChange(origins.filter((_, k) => k !== i));
                  setFocusRow(i < origins.length - 1 ? i : i - 1);
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <button
        ref={addButton}
        type="button"
        class="button-secondary"
        onClick={() => {
          onChange([...origins, '']);
          setFocusRow(origins.length);
        }}
      >
        Add an origin
      </button>
    </>
  );
}
