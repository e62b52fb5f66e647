import type { SessionState, Trigger } from './types.js';
import { matchesUrl } from './url.js';

/**
 * Whether one trigger holds for the current page view. An exclusion (`url` with `exclude: true`)
 * holds when the page does NOT match. An unknown kind never holds.
 */
export function triggerSatisfied(t: Trigger, s: SessionState): boolean {
  const k = t.kind;
  return k == 'url'
    ? matchesUrl(t.pattern, s.url, t.match) != !!t.exclude
    : k == 'event'
      ? s.lastEvent === t.event
      : k == 'delay'
        ? s.secondsOnPage >= t.seconds
        : k == 'page_views'
          ? s.pageViews >= t.atLeast
          : k == 'exit_intent' && s.exitIntent;
}

/**
 * Whether a study's triggers let it show now. Triggers of the same kind are alternatives (any of
 * them: "on /pricing or /plans"); different kinds must all hold ("on /pricing, after 10 s");
 * every URL exclusion must hold ("never on /checkout*"). No triggers: any page, at once.
 */
export function triggersSatisfied(triggers: readonly Trigger[] | null | undefined, s: SessionState): boolean {
  const kinds: Record<string, boolean> = {};
  for (const t of triggers ?? []) {
    const ok = triggerSatisfied(t, s);
    if (t.kind == 'url' && t.exclude) {
      if (!ok) return false;
    } else kinds[t.kind] ||= ok;
  }
  for (const k in kinds) if (!kinds[k]) return false;
  return true;
}
