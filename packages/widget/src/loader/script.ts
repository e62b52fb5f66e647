// The script tag entry (dist/beckon.js). Replaces the snippet's queueing stub with the real
// function and replays the queued calls in order. A second copy of the script does nothing.
import type { LoadChunk } from '../contract.js';
import { createBeckon, type Call } from './core.js';

/** The chunks' file names by chunk name, with a hash of their content: written in by build.mjs. */
declare const BECKON_CHUNKS: Record<string, string>;

/** A chunk is 2 to 15 KB, cached for good once fetched: past this, its server is as good as down. */
const CHUNK_TIMEOUT_MS = 15_000;

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
    // Never before the page's load event: a script element holds that event until its server
    // answers, even once removed (a page that still loads beckon.js with a plain script tag).
    const load: LoadChunk = (name) =>
      (chunks[name] ||= new Promise((resolve, reject) => {
        const type = 'beckon:' + name;
        const s = document.createElement('script');
        let timer: ReturnType<typeof setTimeout>;
        const got = (e: Event) => (clearTimeout(timer), resolve((e as CustomEvent).detail));
        // Failed (offline, or a loader cached from before a release) or not there by the deadline:
        // gone, and tried again when next needed. (A removed script's request cannot be cancelled;
        // should it still arrive, its event finds no listener, or the retry's.)
        const fail = () => (clearTimeout(timer), removeEventListener(type, got), (s.onerror = null), s.remove(), reject((chunks[name] = undefined)));
        addEventListener(type, got, { once: true });
        s.src = new URL(BECKON_CHUNKS[name]!, src).href;
        s.nonce = nonce || '';
        s.onerror = fail;
        const add = () => ((timer = setTimeout(fail, CHUNK_TIMEOUT_MS)), document.head.appendChild(s));
        document.readyState == 'complete' ? add() : addEventListener('load', add);
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
