import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { fieldOfError, type FieldProblem } from '../lib/fields.js';
import { browserTimeZone, describeMinutes } from '../lib/time.js';
import { takeHeadingFocusRequest } from '../router.js';

export interface Loadable<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
  set: (data: T) => void;
}

/** Loads on mount and whenever `deps` change; ignores answers that arrive after a newer request. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loadable<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const ticket = ++latest.current;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => ticket === latest.current && setState({ data, loading: false }),
      (error: unknown) => ticket === latest.current && setState((s) => ({ ...s, error: toApiError(error), loading: false })),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    reload: useCallback(() => setTick((t) => t + 1), []),
    set: useCallback((data: T) => setState({ data, loading: false }), []),
  };
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'client_error', error instanceof Error ? error.message : String(error));
}

/** A failed request as a problem at the field it names (or, with none, about the whole form). */
export function problemOfError(error: unknown): FieldProblem {
  const e = toApiError(error);
  return { field: fieldOfError(e), message: e.message };
}

export function Notice(props: { kind?: 'info' | 'error' | 'success' | 'warning'; title?: string; children?: ComponentChildren; live?: boolean }) {
  const kind = props.kind ?? 'info';
  const role = kind === 'error' ? 'alert' : props.live ? 'status' : undefined;
  return (
    <div class={`notice notice-${kind}`} role={role}>
      {props.title && <p class="notice-title">{props.title}</p>}
      {props.children}
    </div>
  );
}

export function LoadError(props: { error: ApiError; what: string; onRetry?: () => void }) {
  if (props.error.routeMissing) {
    return (
      <Notice kind="warning" title={`${props.what} are not available on this server yet`}>
        <p>The server does not offer this part of the admin API ({props.error.message}). Once the server is updated, it appears here.</p>
      </Notice>
    );
  }
  return (
    <Notice kind="error" title={`Could not load ${props.what.toLowerCase()}`}>
      <p>{props.error.message}</p>
      {props.onRetry && (
        <button type="button" class="button-secondary" onClick={props.onRetry}>
          Try again
        </button>
      )}
    </Notice>
  );
}

export function Loading(props: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {props.what}…
    </p>
  );
}

/** A participant as the team sees them: the name they gave, and their email to write to. */
export function ParticipantContact(props: { participant: { name: string | null; email: string | null } }) {
  const { name, email } = props.participant;
  return (
    <>
      {name ?? 'No name given'}
      {email && (
        <>
          {' · '}
          <a href={`mailto:${email}`}>{email}</a>
        </>
      )}
    </>
  );
}

export function StatusBadge(props: { status: string; label?: string }) {
  return <span class={`badge badge-${props.status.replace(/_/g, '-')}`}>{props.label ?? props.status}</span>;
}

/** Sets the document title and gives the page's heading focus after navigation (for screen readers). */
export function PageHeading(props: { children: ComponentChildren; title: string; actions?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · Beckon`;
  }, [props.title]);
  useEffect(() => {
    if (takeHeadingFocusRequest()) ref.current?.focus();
  }, []);
  return (
    <div class="page-head">
      <h1 tabIndex={-1} ref={ref}>
        {props.children}
      </h1>
      {props.actions && <div class="page-actions">{props.actions}</div>}
    </div>
  );
}

/** Copies `text`; `what` names it in the status a screen reader hears ('link' unless told). */
export function CopyButton(props: { text: string; label: string; what?: string }) {
  const what = props.what ?? 'link';
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (copied === 'idle') return;
    const timer = setTimeout(() => setCopied('idle'), 2500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <>
      <button
        type="button"
        class="button-small button-secondary"
        aria-label={props.label}
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(props.text);
            setCopied('copied');
          } catch {
            setCopied('failed');
          }
        }}
      >
        {copied === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span class="visually-hidden" role="status">
        {copied === 'copied' ? `${what[0]!.toUpperCase()}${what.slice(1)} copied` : copied === 'failed' ? `Could not copy; select the ${what} and copy it` : ''}
      </span>
    </>
  );
}

/**
 * A button that asks before it acts: the question replaces the button, focus moves to the
 * confirming button, and back to the button when the question closes (if it is still there).
 * `onConfirm` reports its own errors; the question closes when it settles.
 */
export function ConfirmButton(props: {
  children: ComponentChildren;
  'aria-label'?: string;
  class?: string;
  /** Names the question for screen readers, e.g. "Confirm removing Work". */
  groupLabel: string;
  question: ComponentChildren;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => Promise<void> | void;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);
  useEffect(() => {
    if (open) confirmButton.current?.focus();
    else if (returnFocus.current) button.current?.focus();
    returnFocus.current = false;
  }, [open]);
  const close = () => {
    returnFocus.current = true;
    setOpen(false);
  };
  if (!open) {
    return (
      <button ref={button} type="button" class={props.class} aria-label={props['aria-label']} onClick={() => setOpen(true)}>
        {props.children}
      </button>
    );
  }
  return (
    <div class="confirm" role="group" aria-label={props.groupLabel}>
      <p>{props.question}</p>
      <button
        ref={confirmButton}
        type="button"
        class="button-danger"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await props.onConfirm();
          } finally {
            // The action may have removed what this button was for (and so this button).
            if (mounted.current) {
              setBusy(false);
              close();
            }
          }
        }}
      >
        {props.confirmLabel}
      </button>
      <button type="button" class="button-secondary" onClick={close}>
        {props.cancelLabel}
      </button>
    </div>
  );
}

let flash: string | null = null;
/** A message for the next screen (e.g. "Study created" after leaving the editor). */
export function setFlash(message: string): void {
  flash = message;
}
export function useFlash(): string | null {
  const [message] = useState(() => {
    const current = flash;
    flash = null;
    return current;
  });
  return message;
}

const ZONE_KEY = 'beckon.admin.displayTimeZone';
/** The zone times are shown in: the PM's choice (a preference, not a secret), else the browser's. */
export function useDisplayZone(): [string, (zone: string) => void] {
  const [zone, setZone] = useState(() => {
    try {
      return window.localStorage.getItem(ZONE_KEY) || browserTimeZone();
    } catch {
      return browserTimeZone();
    }
  });
  return [
    zone,
    (next: string) => {
      setZone(next);
      try {
        window.localStorage.setItem(ZONE_KEY, next);
      } catch {
        // preference not kept: fine
      }
    },
  ];
}

/** 'min' or 'min (= 4 h)' beside a minutes input. */
export function minutesSuffix(minutes: number, text: string): string {
  return Number.isInteger(minutes) && minutes >= 60 && text.trim() ? `min (${describeMinutes(minutes)})` : 'min';
}
