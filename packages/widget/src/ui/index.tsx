// mount(): renders the flow into a shadow root, so host styles cannot reach in and ours cannot
// leak out. Styles go in through a constructable stylesheet, or a <style nonce> where the browser
// has none. The host element is display:contents (an inline !important declaration, which host
// stylesheets cannot override) and everything visible is position:fixed: no layout shift.
import { render } from 'preact';
import type { Mount } from '../contract.js';
import { App } from './App.js';
import { recorder } from './events.js';
import { css } from './styles.js';

function adoptStyles(root: ShadowRoot, text: string, nonce?: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    root.adoptedStyleSheets = [sheet];
    return;
  } catch {
    // No constructable stylesheets (older Safari): a <style> element, with the page's nonce.
  }
  const style = document.createElement('style');
  if (nonce) style.nonce = nonce;
  style.textContent = text;
  root.appendChild(style);
}

export const mount: Mount = (o) => {
  const host = o.inline ?? document.createElement('beckon-widget');
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  adoptStyles(root, css({ ...o.workspace.theme, ...o.theme }, o.zIndex), o.nonce);
  const wrapper = document.createElement('div');
  wrapper.className = 'root';
  root.appendChild(wrapper);

  // Where focus goes back to on close: where it was when we appeared, or where it came from.
  const active = document.activeElement;
  let returnTo = active && active != document.body ? (active as HTMLElement) : null;
  root.addEventListener('focusin', (e) => {
    const from = (e as FocusEvent).relatedTarget as HTMLElement | null;
    if (from && !root.contains(from) && from != host) returnTo = from;
  });

  if (!o.inline) {
    host.style.setProperty('display', 'contents', 'important');
    (document.body || document.documentElement).appendChild(host);
  }

  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    const hadFocus = !!root.activeElement;
    render(null, wrapper);
    if (o.inline) root.replaceChildren();
    else host.remove();
    if (hadFocus && returnTo?.isConnected) returnTo.focus({ preventScroll: true });
  };
  const record = recorder(o);
  render(
    <App
      o={o}
      record={record}
      close={() => {
        close();
        o.onClose?.();
      }}
    />,
    wrapper,
  );
  if (!o.inline) record('shown');
  return { close };
};
