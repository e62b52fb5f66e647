import type { UrlMatch } from './types.js';

/**
 * Whether the page `url` (normally `location.href`) matches `pattern`. Always case-insensitive.
 *
 * - `contains`: `pattern` is a substring of the whole URL (query string and hash included).
 * - `exact` and `glob` compare a normalised form of both sides:
 *   - a pattern starting with `/` is compared with the URL's path; any other pattern with the URL
 *     without its scheme (`app.example.com/settings`); a scheme in the pattern is ignored;
 *   - the query string is compared only when the pattern has one (`/search?q=*`), and the hash only
 *     when the pattern has one (`/#/settings` for hash routers); otherwise both are ignored;
 *   - a trailing slash never matters (`/pricing` = `/pricing/`).
 * - In `glob`, `*` matches any run of characters, `/` included (`/blog/*` matches `/blog`,
 *   `/blog/` and `/blog/2026/post`); every other character is literal (`?` and `.` too).
 *   Matching splits the pattern at `*` and finds each piece left to right with `indexOf`: no
 *   regular expression is built and there is no backtracking, so time is linear in the URL length
 *   for a given pattern, whatever the pattern.
 */
export function matchesUrl(pattern: string, url: string, match: UrlMatch = 'glob'): boolean {
  if (match == 'contains') return url.toLowerCase().includes(pattern.toLowerCase());
  const [pBase, pQuery, pHash] = parts(pattern);
  let [base, query, hash] = parts(url);
  if (pattern.startsWith('/')) {
    const i = base.indexOf('/');
    base = i < 0 ? '' : base.slice(i);
  }
  const p = pBase + pQuery + pHash;
  const tail = (pQuery ? query : '') + (pHash ? hash : '');
  if (match == 'exact') return p == base + tail;
  return match == 'glob' && (glob(p, base + tail) || glob(p, base + '/' + tail));
}

/** [scheme-less base without trailing slash, '?query' or '', '#hash' or ''], lower-cased. */
function parts(u: string): [string, string, string] {
  let s = u.trim().toLowerCase();
  const h = s.indexOf('#');
  const hash = h < 0 ? '' : s.slice(h);
  if (h >= 0) s = s.slice(0, h);
  const q = s.indexOf('?');
  const query = q < 0 ? '' : s.slice(q);
  if (q >= 0) s = s.slice(0, q);
  const scheme = s.indexOf('://');
  if (scheme >= 0 && !s.slice(0, scheme).includes('/')) s = s.slice(scheme + 3);
  if (s.endsWith('/')) s = s.slice(0, -1);
  return [s, query, hash];
}

/** `*` matches any run of characters; linear: greedy leftmost placement of each literal piece. */
export function glob(pattern: string, s: string): boolean {
  const pieces = pattern.split('*');
  const first = pieces[0] ?? '';
  if (pieces.length == 1) return s == first;
  const last = pieces[pieces.length - 1] ?? '';
  const end = s.length - last.length;
  if (end < first.length || !s.startsWith(first) || !s.endsWith(last)) return false;
  let at = first.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i] ?? '';
    const k = s.indexOf(piece, at);
    if (k < 0 || k + piece.length > end) return false;
    at = k + piece.length;
  }
  return true;
}
