// The embed snippet's first line, one source for the README, the demo site, the admin app's
// Settings and the widget's browser tests: a stub that queues `beckon(...)` calls, and the loader
// added only once the page's load event has fired (with the nonce of the snippet's own tag), so
// a slow or hung Beckon never holds the host page's load event.

/**
 * `text` as a single-quoted JavaScript string that cannot end itself or the script around it:
 * quotes, backslashes, `<` and line breaks are escaped.
 */
export const jsString = (text: string): string => `'${text.replace(/[\\'\n\r\u2028\u2029<]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;

export const snippetLine = (src: string): string =>
  `!function(w,d,n,u,c){w[n]=w[n]||function(){(w[n].q=w[n].q||[]).push(arguments)};function l(){var s=d.createElement('script');s.src=u;c&&(s.nonce=c.nonce);d.head.appendChild(s)}d.readyState=='complete'?l():w.addEventListener('load',l)}(window,document,'beckon',${jsString(src)},document.currentScript);`;
