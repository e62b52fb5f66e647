import { describe, expect, it } from 'vitest';
import { glob, matchesUrl, type UrlMatch } from '../../src/rules/index.js';
import { rng } from './fixtures.js';

type Row = [pattern: string, url: string, expected: boolean];
const table = (match: UrlMatch, rows: Row[]) =>
  it.each(rows)(`${match} %s ~ %s → %s`, (pattern, url, expected) => {
    expect(matchesUrl(pattern, url, match)).toBe(expected);
  });

describe('exact', () => {
  table('exact', [
    ['/pricing', 'https://app.example.com/pricing', true],
    ['/pricing', 'https://app.example.com/pricing/', true],
    ['/pricing/', 'https://app.example.com/pricing', true],
    ['/pricing', 'https://app.example.com/pricing?utm_source=mail', true],
    ['/pricing', 'https://app.example.com/pricing#faq', true],
    ['/pricing', 'https://app.example.com/pricing/?a=1#b', true],
    ['/pricing', 'https://app.example.com/PRICING', true],
    ['/Pricing', 'https://app.example.com/pricing', true],
    ['/pricing', 'https://app.example.com/pricing/team', false],
    ['/pricing', 'https://app.example.com/pricing-old', false],
    ['/pricing', 'https://app.example.com/en/pricing', false],
    ['/pricing', 'https://app.example.com/', false],
    ['/', 'https://app.example.com', true],
    ['/', 'https://app.example.com/', true],
    ['/', 'https://app.example.com/?ref=x', true],
    ['/', 'https://app.example.com/pricing', false],
    // the query string counts only when the pattern has one
    ['/search?q=shoes', 'https://shop.example/search?q=shoes', true],
    ['/search?q=shoes', 'https://shop.example/search/?q=shoes#top', true],
    ['/search?q=shoes', 'https://shop.example/search?q=boots', false],
    ['/search?q=shoes', 'https://shop.example/search', false],
    ['/search?q=shoes', 'https://shop.example/search?q=shoes&page=2', false],
    // the hash counts only when the pattern has one (hash routers)
    ['/#/settings', 'https://app.example.com/#/settings', true],
    ['/#/settings', 'https://app.example.com/?x=1#/settings', true],
    ['/#/settings', 'https://app.example.com/#/billing', false],
    ['/#/settings', 'https://app.example.com/', false],
    ['/app#/search?q=1', 'https://app.example.com/app/#/search?q=1', true],
    // full URLs and hosts: scheme ignored, host compared
    ['https://app.example.com/pricing', 'https://app.example.com/pricing?x', true],
    ['https://app.example.com/pricing', 'http://app.example.com/pricing/', true],
    ['app.example.com/pricing', 'https://app.example.com/pricing', true],
    ['APP.example.com/pricing', 'https://app.example.com/pricing', true],
    ['https://app.example.com/pricing', 'https://www.example.com/pricing', false],
    ['https://app.example.com/pricing', 'https://app.example.com.evil.test/pricing', false],
    ['app.example.com', 'https://app.example.com/', true],
    ['app.example.com', 'https://app.example.com/pricing', false],
    // a scheme-like text inside the path is not a scheme
    ['/go/https://x.test', 'https://app.example.com/go/https://x.test', true],
  ]);
});

describe('contains', () => {
  table('contains', [
    ['checkout', 'https://shop.example/CHECKOUT/step-2', true],
    ['utm_campaign=spring', 'https://shop.example/?utm_campaign=spring', true],
    ['#pricing', 'https://shop.example/#pricing', true],
    ['/billing', 'https://shop.example/settings/billing/', true],
    ['billing', 'https://shop.example/settings/', false],
    ['.*', 'https://shop.example/a', false],
  ]);
});

describe('glob', () => {
  table('glob', [
    ['/blog/*', 'https://example.com/blog/2026/hello', true],
    ['/blog/*', 'https://example.com/blog/', true],
    ['/blog/*', 'https://example.com/blog', true],
    ['/blog/*', 'https://example.com/blogs', false],
    ['/blog/*', 'https://example.com/en/blog/x', false],
    ['/blog/*', 'https://example.com/blog/x?page=2#c', true],
    ['/blog*', 'https://example.com/blogs', true],
    ['/projects/*/settings', 'https://example.com/projects/42/settings', true],
    ['/projects/*/settings', 'https://example.com/projects/42/settings/', true],
    ['/projects/*/settings', 'https://example.com/projects/42/team/settings', true], // * crosses '/'
    ['/projects/*/settings', 'https://example.com/projects/42/billing', false],
    ['/projects/*/settings', 'https://example.com/projects/settings', false],
    ['*', 'https://example.com/anything?at=all#really', true],
    ['/*', 'https://example.com/', true],
    ['*/pricing', 'https://example.com/pricing', true],
    ['*/pricing', 'https://example.com/pricing/x', false],
    ['*.example.com/*', 'https://app.example.com/x', true],
    ['*.example.com/*', 'https://example.com/x', false],
    ['https://*.example.com/pricing', 'http://eu.app.example.com/pricing/', true],
    ['/search?q=*', 'https://example.com/search?q=shoes', true],
    ['/search?q=*', 'https://example.com/search', false],
    ['/#/settings/*', 'https://app.example.com/#/settings/profile', true],
    ['/#/settings/*', 'https://app.example.com/#/billing', false],
    // every character other than * is literal
    ['/a.b', 'https://example.com/axb', false],
    ['/a.b', 'https://example.com/a.b', true],
    ['/a?b', 'https://example.com/ab', false],
    ['/(a+)+$', 'https://example.com/(a+)+$', true],
    ['/[ab]', 'https://example.com/a', false],
    ['/a**b', 'https://example.com/ab', true],
    ['/docs/*/*', 'https://example.com/docs/a', true], // = /docs/a/ (a trailing slash never matters; * may be empty)
    ['/docs/*/x', 'https://example.com/docs/a', false],
    ['/docs/*/*', 'https://example.com/docs/a/b', true],
    ['/CaSe/*', 'https://example.com/case/x', true],
  ]);

  it('is fast on pathological patterns (no backtracking)', () => {
    const long = 'https://example.com/' + 'a'.repeat(200_000);
    const patterns = ['*a*a*a*a*a*b', '*a*a*a*a*a*b*', '/' + '*a'.repeat(200) + '*b*', '*'.repeat(500) + 'b', '*' + 'a*'.repeat(250) + 'b*'];
    const started = performance.now();
    for (const p of patterns) expect(matchesUrl(p, long, 'glob'), p.slice(0, 20)).toBe(false);
    expect(matchesUrl('*a*a*a*a*a*', long, 'glob')).toBe(true);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('agrees with a reference matcher on random patterns', () => {
    // Reference: textbook dynamic programming over (pattern, string) positions.
    const ref = (p: string, s: string): boolean => {
      const dp: boolean[][] = Array.from({ length: p.length + 1 }, () => Array<boolean>(s.length + 1).fill(false));
      dp[0]![0] = true;
      for (let i = 1; i <= p.length; i++) {
        for (let j = 0; j <= s.length; j++) {
          const c = p[i - 1];
          if (c === '*') dp[i]![j] = dp[i - 1]![j]! || (j > 0 && dp[i]![j - 1]!);
          else dp[i]![j] = j > 0 && dp[i - 1]![j - 1]! && c === s[j - 1];
        }
      }
      return dp[p.length]![s.length]!;
    };
    const rand = rng(11);
    const word = (alphabet: string, n: number) => Array.from({ length: Math.floor(rand() * n) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
    let matched = 0;
    for (let i = 0; i < 5000; i++) {
      const p = word('ab*', 8);
      const s = word('ab', 10);
      const want = ref(p, s);
      matched += want ? 1 : 0;
      expect(glob(p, s), `${p} ~ ${s}`).toBe(want);
    }
    expect(matched).toBeGreaterThan(250);
  });
});

describe('defaults', () => {
  it('glob is the default mode', () => {
    expect(matchesUrl('/blog/*', 'https://example.com/blog/x')).toBe(true);
  });
  it('an unknown mode never matches', () => {
    expect(matchesUrl('/blog', 'https://example.com/blog', 'regex' as UrlMatch)).toBe(false);
  });
  it('works on relative URLs too', () => {
    expect(matchesUrl('/pricing', '/pricing?x=1', 'exact')).toBe(true);
    expect(matchesUrl('/blog/*', '/blog/a', 'glob')).toBe(true);
  });
});
