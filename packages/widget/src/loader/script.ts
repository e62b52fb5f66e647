// The script tag entry (dist/beckon.js). Replaces the snippet's queueing stub with the real
// function and replays the queued calls in order. A second copy of the script does nothing.
import type { LoadChunk } from '../contract.js';
import { createBeckon, type Call } from './core.js';

/** The chunks' file names by chunk name, with a hash of their content: written in by build.mjs. */
declare const BECKON_CHUNKS: Record<string, string>;

try {
  const w = window as unknown as { beckon?: Call & { q?: unknown[][]; v?: number } };
  // currentScript is null only when something else ran us; then the tag is found by its name.
  const me = (document.currentScript || document.querySelector('script[src*="/beckon.js"]')) as HTMLScriptElement | null;
  if (!w.beckon?.v) {
    const src = me?.src || '';
    const nonce = me?.nonce;
    const chunks: Record<string, Promise<any> | undefined> = {};
    // A chunk is fetched once, when first needed, from beside this script, with this script's
    // nonce; it announces itself with the window event `beckon:<name>` (no global of its own).
    const load: LoadChunk = (name) =>
      (chunks[name] ||= new Promise((resolve, reject) => {
        addEventListener('beckon:' + name, (e) => resolve((e as CustomEvent).detail), { once: true });
        const s = document.createElement('script');
        s.src = new URL(BECKON_CHUNKS[name]!, src).href;
        s.nonce = nonce || '';
        // Failed (offline, or a loader cached from before a release): gone, and tried again when next needed.
        s.onerror = () => (s.remove(), reject((chunks[name] = undefined)));
        document.head.appendChild(s);
      }));
    const queued = w.beckon?.q || [];
    const beckon: Call & { v?: number } = (w.beckon = createBeckon(load, { apiHost: src && new URL(src).origin, nonce }));
    beckon.v = 1;
    for (const args of queued) beckon(...(args as [string]));
    // <script src=".../beckon.js" data-public-key="pk_…"> works without the snippet.
    if (me?.dataset.publicKey) beckon('init', { publicKey: me.dataset.publicKey });
  }
} catch {
  // Never into the host page.
}
