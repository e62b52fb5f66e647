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
  const [, pBase, pQuery, pHash] = parts(pattern);
  let [, base, query, hash] = parts(url);
  if (pattern[0] == '/') base = base.replace(/^[^/]*/, '');
  const p = pBase + pQuery + pHash;
  const tail = (pQuery && query) + (pHash && hash);
  return match == 'exact' ? p == base + tail : match == 'glob' && (glob(p, base + tail) || glob(p, base + '/' + tail));
}

// Fixed literals, anchored, each character class followed by a delimiter it excludes: linear time.
/** [, scheme-less base without trailing slash, '?query' or '', '#hash' or ''] lower-cased. */
const parts = (u: string) =>
  /^(?:[^/?#]*:\/\/)?([^?#]*?)\/?(\?[^#]*|)(#[^]*|)$/.exec(u.trim().toLowerCase()) as unknown as [string, string, string, string];

/** `*` matches any run of characters; linear: greedy leftmost placement of each literal piece. */
export function glob(pattern: string, s: string): boolean {
  const pieces = pattern.split('*');
  const last = pieces.pop()!;
  const first = pieces.shift();
  if (first == null) return s == last;
  let at = first.length;
  if (!s.startsWith(first)) return false;
  for (const piece of pieces) {
    const k = s.indexOf(piece, at);
    if (k < 0) return false;
    at = k + piece.length;
  }
  return at <= s.length - last.length && s.endsWith(last);
}
