// Screens whose code is its own chunk, fetched the first time the screen shows (build.mjs splits
// the bundle at these imports): the first page load parses the shell only. Once someone is signed
// in, the app fetches the rest while idle, so moving between screens does not wait.
import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Notice } from './ui/common.js';

export interface LazyScreen<P> {
  (props: P): JSX.Element;
  /** Fetches the screen's code now (once); resolves when it can show. */
  preload(): Promise<unknown>;
}

export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): LazyScreen<P> {
  let component: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  const preload = () =>
    (loading ??= load().then(
      (loaded) => (component = loaded),
      (error: unknown) => {
        loading = undefined; // the next attempt asks again
        throw error;
      },
    ));

  function Lazy(props: P) {
    const [failed, setFailed] = useState(false);
    const [, setLoaded] = useState(false);
    useEffect(() => {
      if (component) return;
      let shown = true;
      preload().then(
        () => shown && setLoaded(true),
        () => shown && setFailed(true),
      );
      return () => {
        shown = false;
      };
    }, []);
    if (component) {
      const Screen = component;
      return <Screen {...props} />;
    }
    if (failed) {
      // Usually a new version was deployed while this page was open: its files replaced ours.
      return (
        <Notice kind="error" title="Could not load this page">
          <p>The app may have been updated since you opened it. Reload the page to continue.</p>
        </Notice>
      );
    }
    return (
      <p class="loading" role="status">
        Loading…
      </p>
    );
  }
  Lazy.preload = preload;
  return Lazy;
}

/** Fetches every screen's code while the browser is idle (errors wait for the screen to show). */
export function preloadWhenIdle(screens: { preload(): Promise<unknown> }[]): () => void {
  const run = () => screens.forEach((screen) => void screen.preload().catch(() => undefined));
  if ('requestIdleCallback' in window) {
    const handle = window.requestIdleCallback(run, { timeout: 2_000 });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = setTimeout(run, 200);
  return () => clearTimeout(handle);
}
