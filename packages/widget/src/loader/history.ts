// Single-page apps: the history methods are wrapped once per window, whoever loads first, and
// announce a navigation as a window event; every Beckon instance listens to it, to popstate and
// to hashchange. The wrapper calls through to the method that was there before and returns its
// result; listeners run inside dispatchEvent, so nothing they do can break the router's call.
export const NAV_EVENT = 'beckon:navigate';

export function watchNavigation(onNavigate: () => void): void {
  const h = history as any;
  for (const name of ['pushState', 'replaceState']) {
    const original = h[name];
    if (!original.beckon)
      (h[name] = function (this: History) {
        const result = original.apply(this, arguments);
        dispatchEvent(new Event(NAV_EVENT));
        return result;
      } as any).beckon = 1;
  }
  for (const type of [NAV_EVENT, 'popstate', 'hashchange']) addEventListener(type, onNavigate);
}
