// Labelled form controls that show their own error, and a Form that puts every problem in an
// error summary (focused, with links to the controls) and next to the control it names.
import { createContext, type ComponentChildren, type JSX } from 'preact';
import { useContext, useId, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fieldId, humanMessage, resolveField, type FieldProblem } from '../lib/fields.js';

const FieldErrors = createContext<Record<string, string>>({});
const ReadOnlyContext = createContext(false);

/** Inside it, when `when` holds, forms show what they hold but offer no save (the role cannot change it). */
export function ReadOnly(props: { when: boolean; children: ComponentChildren }) {
  return <ReadOnlyContext.Provider value={props.when}>{props.children}</ReadOnlyContext.Provider>;
}

export function useFieldError(path: string): string | undefined {
  return useContext(FieldErrors)[path];
}

/** Moves focus to a field's control (or the first control inside a group). */
export function focusField(path: string): void {
  const element = document.getElementById(fieldId(path));
  if (!element) return;
  const target = element.matches('input, select, textarea, button') ? element : element.querySelector<HTMLElement>('input, select, textarea, button');
  (target ?? element).focus();
  element.scrollIntoView({ block: 'center' });
}

export function Form(props: {
  problems: FieldProblem[];
  onSubmit: () => void;
  children: ComponentChildren;
  class?: string;
  'aria-label'?: string;
}) {
  const ref = useRef<HTMLFormElement>(null);
  const summary = useRef<HTMLDivElement>(null);
  // Several forms can show their problems at once (one per card): each summary names its own heading.
  const summaryTitle = `error-summary-${useId()}`;
  const [resolved, setResolved] = useState<{ path: string | undefined; message: string }[]>([]);

  useLayoutEffect(() => {
    const elements = [...(ref.current?.querySelectorAll('[data-field]') ?? [])];
    const paths = elements.map((el) => el.getAttribute('data-field') ?? '');
    setResolved(
      props.problems.map((p) => {
        const path = resolveField(p.field, paths);
        // "intercept.title must NOT have fewer than 1 characters" → "Title is required"
        const label = path ? elements[paths.indexOf(path)]?.querySelector(':scope > label, :scope > legend')?.textContent?.trim() : undefined;
        return { path, message: humanMessage(p, path === p.field ? label : undefined) };
      }),
    );
    if (props.problems.length > 0) requestAnimationFrame(() => summary.current?.focus());
  }, [props.problems]);

  const errors = useMemo(() => {
    const map: Record<string, string> = {};
    for (const r of resolved) if (r.path && !(r.path in map)) map[r.path] = r.message;
    return map;
  }, [resolved]);

  return (
    <form
      ref={ref}
      class={props.class}
      aria-label={props['aria-label']}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        props.onSubmit();
      }}
    >
      {resolved.length > 0 && (
        <div class="error-summary" role="alert" tabIndex={-1} ref={summary} aria-labelledby={summaryTitle}>
          <h2 id={summaryTitle}>{resolved.length === 1 ? 'There is a problem' : `There are ${resolved.length} problems`}</h2>
          <ul>
            {resolved.map((r, i) => (
              <li key={i}>
                {r.path ? (
                  <a
                    href={`#${fieldId(r.path)}`}
                    onClick={(event) => {
                      event.preventDefault();
                      focusField(r.path!);
                    }}
                  >
                    {r.message}
                  </a>
                ) : (
                  r.message
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      <FieldErrors.Provider value={errors}>{props.children}</FieldErrors.Provider>
    </form>
  );
}

interface FieldFrame {
  path: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  class?: string;
  /** Keep the label for screen readers only (rows whose meaning is plain from their place). */
  hideLabel?: boolean;
  /** The error is shown by the surrounding row under this id (the control still points to it). */
  errorShownAt?: string;
}

/** The label, hint and error around one control; `render` gets the control's id and ARIA props. */
export function Field(props: FieldFrame & { render: (a: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: 'true' }) => JSX.Element }) {
  const error = useFieldError(props.path);
  const id = fieldId(props.path);
  const inline = error && !props.errorShownAt;
  const described = [props.hint ? `${id}-hint` : '', error ? (props.errorShownAt ?? `${id}-error`) : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${inline ? ' field-error' : ''}${props.class ? ` ${props.class}` : ''}`} data-field={props.path}>
      <label for={id} class={props.hideLabel ? 'visually-hidden' : undefined}>
        {props.label}
      </label>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {inline && (
        <p class="error" id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      )}
      {props.render({ id, ...(described ? { 'aria-describedby': described } : {}), ...(error ? { 'aria-invalid': 'true' as const } : {}) })}
    </div>
  );
}

const valueOf = (event: Event) => (event.currentTarget as HTMLInputElement).value;

export function TextField(
  props: FieldFrame & {
    value: string;
    onInput: (value: string) => void;
    type?: 'text' | 'email' | 'url' | 'password' | 'date' | 'time' | 'number' | 'search';
    required?: boolean;
    autoComplete?: string;
    inputMode?: 'numeric' | 'decimal' | 'text' | 'email' | 'url';
    min?: number;
    max?: number;
    step?: number | 'any';
    maxLength?: number;
    placeholder?: string;
    suffix?: ComponentChildren;
    size?: 'short' | 'medium';
    spellcheck?: boolean;
  },
) {
  return (
    <Field
      {...props}
      render={(a) => {
        const input = (
          <input
            {...a}
            class={props.size ? `input-${props.size}` : undefined}
            type={props.type ?? 'text'}
            value={props.value}
            onInput={(e) => props.onInput(valueOf(e))}
            required={props.required}
            aria-required={props.required ? 'true' : undefined}
            autoComplete={props.autoComplete}
            inputMode={props.inputMode}
            min={props.min}
            max={props.max}
            step={props.step}
            maxLength={props.maxLength}
            placeholder={props.placeholder}
            spellcheck={props.spellcheck}
          />
        );
        return props.suffix ? (
          <span class="with-suffix">
            {input}
            <span class="suffix">{props.suffix}</span>
          </span>
        ) : (
          input
        );
      }}
    />
  );
}

/** A whole-number input: numeric keyboard on phones, no scroll-wheel surprises. */
export function NumberField(props: Omit<Parameters<typeof TextField>[0], 'type' | 'inputMode'>) {
  return <TextField size="short" {...props} type="text" inputMode="numeric" />;
}

export function TextAreaField(props: FieldFrame & { value: string; onInput: (value: string) => void; rows?: number; maxLength?: number; required?: boolean; code?: boolean }) {
  return (
    <Field
      {...props}
      render={(a) => (
        <textarea
          {...a}
          class={props.code ? 'code' : undefined}
          rows={props.rows ?? 4}
          value={props.value}
          maxLength={props.maxLength}
          aria-required={props.required ? 'true' : undefined}
          spellcheck={props.code ? false : undefined}
          onInput={(e) => props.onInput((e.currentTarget as HTMLTextAreaElement).value)}
        />
      )}
    />
  );
}

export function SelectField<T extends string>(
  props: FieldFrame & { value: T; onChange: (value: T) => void; options: readonly { value: T; label: string }[] | readonly T[] },
) {
  return (
    <Field
      {...props}
      render={(a) => (
        <select {...a} value={props.value} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value as T)}>
          {props.options.map((o) => {
            const option = typeof o === 'string' ? { value: o, label: o } : o;
            return (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            );
          })}
        </select>
      )}
    />
  );
}

/** A group of controls (radios, checkboxes, rows) with one legend, hint and error. */
export function Fieldset(props: { path?: string; legend: ComponentChildren; hint?: ComponentChildren; children: ComponentChildren; class?: string; legendClass?: string }) {
  const error = useFieldError(props.path ?? '\0');
  const id = props.path ? fieldId(props.path) : undefined;
  const described = id ? [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') : '';
  return (
    <fieldset
      id={id}
      class={`${props.class ?? ''}${error ? ' field-error' : ''}`.trim() || undefined}
      data-field={props.path}
      aria-describedby={described || undefined}
      tabIndex={id ? -1 : undefined}
    >
      <legend class={props.legendClass}>{props.legend}</legend>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="error" id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      )}
      {props.children}
    </fieldset>
  );
}

export function Checkbox(props: { id?: string; label: ComponentChildren; checked: boolean; onChange: (checked: boolean) => void; hint?: string; disabled?: boolean }) {
  return (
    <label class="check">
      <input id={props.id} type="checkbox" checked={props.checked} disabled={props.disabled} onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)} />
      <span>
        {props.label}
        {props.hint && <span class="hint-inline">{props.hint}</span>}
      </span>
    </label>
  );
}

export function Radio<T extends string>(props: { name: string; value: T; current: T; label: ComponentChildren; hint?: string; onChange: (value: T) => void }) {
  return (
    <label class="check">
      <input type="radio" name={props.name} value={props.value} checked={props.current === props.value} onChange={() => props.onChange(props.value)} />
      <span>
        {props.label}
        {props.hint && <span class="hint-inline">{props.hint}</span>}
      </span>
    </label>
  );
}

/** A plain container that takes the errors of its path (for rows that are not one control). */
export function ErrorSlot(props: { path: string; class?: string; children: ComponentChildren }) {
  const error = useFieldError(props.path);
  return (
    <div class={`${props.class ?? ''}${error ? ' field-error' : ''}`.trim()} data-field={props.path} id={fieldId(props.path)} tabIndex={-1}>
      {error && (
        <p class="error">
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      )}
      {props.children}
    </div>
  );
}

/** A form's save button, the actions beside it, and the polite "saved" status after it. */
export function SaveActions(props: { busy: boolean; label: string; status: ComponentChildren; secondary?: ComponentChildren; children?: ComponentChildren }) {
  if (useContext(ReadOnlyContext)) {
    return (
      <div class="form-actions">
        <p class="muted read-only-note">Your role can see this but not change it.</p>
        {props.secondary}
      </div>
    );
  }
  return (
    <div class="form-actions">
      <button type="submit" class="button-primary" disabled={props.busy}>
        {props.busy ? 'Saving…' : props.label}
      </button>
      {props.secondary}
      <span role="status" class="saved">
        {props.status}
      </span>
      {props.children}
    </div>
  );
}
