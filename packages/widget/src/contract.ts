// What the loader and its two chunks (the UI, the rules) hand each other. Type-only: the bundles
// meet at run time through `Chunks`.
import type { UIEventKind, WidgetConfig } from '@beckon/shared/api';
import type { SuppressionState } from '@beckon/shared/rules';
import type { Theme, Traits } from './types.js';

export type WidgetStudy = WidgetConfig['studies'][number];
export type WorkspaceSettings = WidgetConfig['workspace'];

/** What the UI records (the events route's kinds). */
export type UIEvent = UIEventKind;

export interface MountOptions {
  study: WidgetStudy;
  workspace: WorkspaceSettings;
  /** `${apiHost}/v1/w/${publicKey}` */
  api: string;
  anonymousId: string;
  userId?: string;
  traits: Traits;
  signature?: string;
  /** Booking source: "widget", or a hosted link's ref. */
  source?: string;
  theme?: Theme;
  position?: string;
  zIndex?: number;
  nonce?: string;
  /** Render into this element, full-page, from the first step after the intercept (hosted booking page). */
  inline?: HTMLElement;
  /** A preview (`show`): records nothing, remembers nothing. */
  preview?: boolean;
  /** The stored "when not to ask" state, and where to keep the new one ("Not now", opt-out, shown). */
  suppression?: SuppressionState;
  onSuppress?(state: SuppressionState): void;
  /** Days "Not now" hides the study. */
  snoozeDays?: number;
  /** The participant said yes: from now on navigation does not take the widget away. */
  onEngage?(): void;
  /** The participant closed the widget. */
  onClose?(): void;
}

export interface UIHandle {
  /** Remove the widget (navigation made it irrelevant, reset, consent withdrawn). */
  close(): void;
}

export type Mount = (options: MountOptions) => UIHandle;

/** The decision chunk (src/rules). */
export type Rules = typeof import('./rules/index.js');

/** What each lazily fetched chunk provides, by name (`beckon-ui.js`, `beckon-rules.js`). */
export interface Chunks {
  ui: Mount;
  rules: Rules;
}

export type LoadChunk = <K extends keyof Chunks>(name: K) => Promise<Chunks[K]>;
