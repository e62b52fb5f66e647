// The SDK itself, shared by the script tag and the npm package: identity, tracked events, page
// views, the configuration and when to decide. The decision itself (triggers, targeting rules,
// the pick) is the rules chunk, fetched once some study passes `precheck` for this visitor;
// everything that only matters once an intercept shows (rendering, the event batch, "Not now")
// is the UI chunk. Nothing here may throw into the host page: every entry point is wrapped.
// From their own modules, not the rules barrel: bundlers split the npm build file by file, and
// the barrel would put the evaluator in the entry chunk.
import { precheck } from '@beckon/shared/rules/suppression';
import { recordEvent } from '@beckon/shared/rules/events';
import type { EventHistory, PickContext, StudyCandidate, SuppressionState, Trigger } from '@beckon/shared/rules';
import type { WidgetConfig } from '@beckon/shared/api';
import type { LoadChunk, Mount, Rules, UIHandle, WidgetStudy } from '../contract.js';
import type { IdentifyOptions, InitOptions, Traits } from '../types.js';
import { deadline } from '../deadline.js';
import { store } from './storage.js';
import { watchNavigation } from './history.js';

/** The public API as one function: `beckon('identify', id, traits)`. */
export type Call = (method: string, ...args: unknown[]) => void;

/** What is kept in localStorage: the anonymous id, tracked events, and when not to ask. */
interface Saved {
  a: string;
  e?: EventHistory[];
  s?: SuppressionState;
}

type Study = WidgetStudy & StudyCandidate;

interface Active {
  s: Study;
  ui?: UIHandle;
  engaged?: boolean;
  preview?: boolean;
}

/** The configuration is one small, cacheable GET: past this, the server is as good as down. */
const CONFIG_TIMEOUT_MS = 8000;
const PAGE_VIEWS = 'beckon_pv';

// randomUUID needs a secure context; elsewhere a random string does.
const newId = (): string => crypto.randomUUID?.() ?? Math.random().toString(36).slice(2) + Date.now().toString(36);

/** Runs `f`, swallowing anything it throws. */
const safe =
  <A extends unknown[]>(f: (...a: A) => unknown) =>
  (...a: A): void => {
    try {
      f(...a);
    } catch {
      // Never into the host page.
    }
  };

/**
 * A Beckon instance. `load` fetches a chunk (the Preact UI, the rules); `apiHost` and `nonce` are
 * the defaults the script tag found on itself. Creating one touches nothing: `init` starts it.
 */
export function createBeckon(load: LoadChunk, defaults: { apiHost?: string; nonce?: string } = {}): Call {
  let o: InitOptions | undefined;
  let api = '';
  let key = '';
  let consented = false;
  let saved: Saved = { a: newId() };
  let userId: string | undefined;
  let traits: Traits = {};
  let signature: string | undefined;
  let config: WidgetConfig | undefined;
  let rules: Rules | undefined;
  let loading = false;
  let pendingShow: unknown;
  let active: Active | undefined;
  // This page view
  let where = '';
  let pageViews = 0;
  let pageStart = 0;
  let lastEvent: string | undefined;
  let exitIntent = false;
  let shown = false;
  let timers: ReturnType<typeof setTimeout>[] = [];

  const here = () => location.pathname + location.hash;
  const persist = () => consented && store(key, saved);
  const studies = () => (config?.studies ?? []) as Study[];
  const triggers = (s: Study) => (s.triggers ?? []) as Trigger[];

  function newPageView() {
    where = here();
    pageViews = (consented ? +store(PAGE_VIEWS, undefined, true) || 0 : pageViews) + 1;
    if (consented) store(PAGE_VIEWS, pageViews, true);
    pageStart = Date.now();
    lastEvent = undefined;
    exitIntent = shown = false;
    fetchConfig();
    schedule();
    decide();
  }

  /**
   * Once per page view until it arrives: the configuration. Server down, slow (past the deadline),
   * blocked or answering nonsense: show nothing, say nothing, and try again at the next page view.
   */
  function fetchConfig() {
    if (config || loading || !consented || !o) return;
    loading = true;
    // An identified user's configuration leaves out what the server's contact rules forbid them
    // (asked on another device, booked, opted out); it is theirs alone, so it is fetched for them.
    // Asked once the calls queued with init (identify) have run: one request, for the right person.
    let u: string | undefined;
    Promise.resolve()
      .then(() => ((u = userId) ? '?' + new URLSearchParams({ userId: u, anonymousId: saved.a, traits: JSON.stringify(traits), ...(signature && { signature }) }) : ''))
      .then((q) => fetch(api + '/config' + q, { credentials: 'omit', signal: deadline(CONFIG_TIMEOUT_MS) }))
      .then((r) => r.ok && r.json())
      .then((c: WidgetConfig) => {
        if (!c?.workspace || !Array.isArray(c.studies) || u != userId) return;
        config = c;
        schedule();
        pendingShow ? show(pendingShow) : decide();
      })
      .catch(() => {})
      .finally(() => ((loading = false), u != userId && fetchConfig()));
  }

  /** Delay triggers: decide again when each delay since the page view's start is up. */
  function schedule() {
    timers.forEach(clearTimeout);
    timers = [];
    for (const s of studies())
      for (const t of triggers(s)) t.kind == 'delay' && timers.push(setTimeout(decide, pageStart + t.seconds * 1000 - Date.now() + 50));
  }

  const decide = safe(() => {
    if (!config || !consented) return;
    const now = Date.now();
    const ctx: PickContext = {
      user: { userId, traits, events: saved.e },
      session: { url: location.href, pageViews, secondsOnPage: (now - pageStart) / 1000, exitIntent, lastEvent },
      userKey: userId || saved.a,
      now,
      suppression: saved.s,
      recontactDays: config.workspace.recontactDays,
    };
    let study: Study | undefined;
    // An intercept not yet engaged with goes away when its page rule stops matching (a shown
    // study was picked, so the rules are here; a preview stays).
    if (active) !active.engaged && !active.preview && !rules!.triggersSatisfied(triggers(active.s).filter((t) => t.kind == 'url'), ctx.session) && hide();
    else if (shown) return;
    else if (!rules) studies().some((s) => !precheck(s, ctx)) && load('rules').then((r) => ((rules = r), decide()), () => {});
    else if ((study = rules.pickStudy(studies(), ctx))) open(study);
  });

  function open(s: Study, preview?: boolean) {
    const a: Active = (active = { s, preview });
    const drop = () => active == a && (active = undefined);
    shown = true;
    load('ui')
      .then((mount: Mount) => {
        if (active == a && config)
          a.ui = mount({
            nonce: defaults.nonce,
            ...o!,
            study: s,
            workspace: config.workspace,
            api,
            anonymousId: saved.a,
            userId,
            traits,
            signature,
            source: 'widget',
            preview,
            suppression: saved.s,
            onSuppress: (state) => ((saved.s = state), persist()),
            onEngage: () => (a.engaged = true),
            onClose: drop,
          });
      })
      .catch(drop);
  }

  function hide() {
    active?.ui?.close();
    active = undefined;
  }

  /** Shows a study now, whatever its targeting (previews); records nothing. */
  function show(studyId: unknown) {
    const s = studies().find((x) => x.id === studyId);
    pendingShow = !config && studyId;
    if (s) hide(), open(s, true);
  }

  /** Withdrawn consent stops everything and deletes what was stored. */
  function consent(granted: unknown) {
    consented = granted !== false;
    if (!consented) hide(), key && (store(key, null), store(PAGE_VIEWS, null, true));
    else {
      persist();
      fetchConfig();
      decide();
    }
  }

  const methods: Record<string, (...a: any[]) => void> = {
    init(options: InitOptions) {
      if (o || !options?.publicKey) return;
      o = options;
      api = (options.apiHost || defaults.apiHost || '').replace(/\/+$/, '') + '/v1/w/' + encodeURIComponent(options.publicKey);
      key = 'beckon_' + options.publicKey;
      const stored = store(key);
      if (typeof stored?.a == 'string') saved = stored;
      // pushState, replaceState, popstate, hashchange: a new page view when the path or hash changed.
      watchNavigation(safe(() => (here() != where ? newPageView() : decide())));
      // Exit intent (desktop): the pointer leaves the page through its top edge.
      document.addEventListener('mouseout', (e) => !e.relatedTarget && e.clientY <= 0 && ((exitIntent = true), decide()));
      if (!options.requireConsent) consent(true);
      newPageView();
    },
    /** Replaces the traits given before (a signature covers exactly the traits it was made for). */
    identify(id?: unknown, t?: Traits, options?: IdentifyOptions) {
      const was = userId;
      if (typeof id == 'string' || typeof id == 'number') userId = '' + id;
      if (t && typeof t == 'object') traits = t;
      signature = options?.signature;
      // Someone else now: their own configuration (the contact rules are per person).
      if (userId != was) (config = undefined), fetchConfig();
      decide();
    },
    track(name: unknown) {
      if (typeof name != 'string' || !name) return;
      saved.e = recordEvent(saved.e, name, Date.now());
      persist();
      lastEvent = name;
      decide();
    },
    page: newPageView,
    /** Logout: forget the user and start a new anonymous identity. */
    reset() {
      hide();
      userId = signature = config = undefined;
      traits = {};
      saved = { a: newId() };
      persist();
      fetchConfig();
    },
    consent,
    show,
  };
  // Never into the host page.
  return safe((method: string, ...args: unknown[]) => methods.hasOwnProperty(method) && methods[method]!(...args));
}
