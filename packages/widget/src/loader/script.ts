// The script tag entry (dist/beckon.js). Replaces the snippet's queueing stub with the real
// function and replays the queued calls in order. A second copy of the script does nothing.
import type { Mount } from '../contract.js';
import { createBeckon, type Call } from './core.js';

/** The UI chunk announces itself with this window event (no global of its own). */
export const UI_EVENT = 'beckon:ui';

try {
  const w = window as unknown as { beckon?: Call & { q?: unknown[][]; v?: number } };
  // currentScript is null only when something else ran us; then the tag is found by its name.
  const me = (document.currentScript || document.querySelector('script[src*="/beckon.js"]')) as HTMLScriptElement | null;
  if (!w.beckon?.v) {
    const src = me?.src || '';
    const nonce = me?.nonce;
    let ui: Promise<Mount> | undefined;
    // Fetched only when an intercept is to show, from beside this script, with this script's nonce.
    const loadUI = () =>
      (ui ||= new Promise<Mount>((resolve, reject) => {
        addEventListener(UI_EVENT, (e) => resolve((e as CustomEvent<Mount>).detail), { once: true });
        const s = document.createElement('script');
        s.src = new URL('beckon-ui.js', src).href;
        s.nonce = nonce || '';
        s.onerror = () => reject((ui = undefined));
        document.head.appendChild(s);
      }));
    const queued = w.beckon?.q || [];
    const beckon: Call & { v?: number } = (w.beckon = createBeckon(loadUI, { apiHost: src && new URL(src).origin, nonce }));
    beckon.v = 1;
    for (const args of queued) beckon(...(args as [string]));
    // <script src=".../beckon.js" data-public-key="pk_…"> works without the snippet.
    if (me?.dataset.publicKey) beckon('init', { publicKey: me.dataset.publicKey });
  }
} catch {
  // Never into the host page.
}
