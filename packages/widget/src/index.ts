// The npm package: the same SDK as the script tag, with the UI and the rules as lazily imported chunks.
// Importing this module does nothing until `init` (safe during server-side rendering).
import { createBeckon } from './loader/core.js';
import type { LoadChunk } from './contract.js';
import type { IdentifyOptions, InitOptions, Traits } from './types.js';

export type { IdentifyOptions, InitOptions, Theme, Traits } from './types.js';

const call = createBeckon(((name: 'ui' | 'rules') => (name == 'ui' ? import('./ui/index.js').then((m) => m.mount) : import('./rules/index.js'))) as LoadChunk);

/** Starts Beckon: `init({ publicKey: 'pk_…', apiHost: 'https://beckon.example.com' })`. Later calls are ignored. */
export const init = (options: InitOptions): void => call('init', options);
/** Who the signed-in user is; replaces the traits given before. */
export const identify = (userId: string | null, traits?: Traits, options?: IdentifyOptions): void => call('identify', userId, traits, options);
/** Something the user did, for event rules and event triggers. */
export const track = (event: string): void => call('track', event);
/** A page view, for routers that change the page without the History API. */
export const page = (): void => call('page');
/** On logout: forgets the user and starts a new anonymous identity. */
export const reset = (): void => call('reset');
/** With `requireConsent`: `consent(true)` starts, `consent(false)` stops and deletes what was stored. */
export const consent = (granted: boolean): void => call('consent', granted);
/** Shows a study now, whatever its targeting (for previews); records no events. */
export const show = (studyId: string): void => call('show', studyId);
