import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const rules = fileURLToPath(new URL('../../src/rules/', import.meta.url));

async function bundle(contents: string): Promise<string> {
  const out = await build({
    stdin: { contents, resolveDir: rules, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

// The loader ships in every page view of the host site (budget: 3 KB gzipped for all of it); the
// rules chunk only where a study passes the precheck.
describe('what the widget loader and its rules chunk bundle', () => {
  it('the evaluator entry has no TypeBox and stays small', async () => {
    const js = await bundle(`export * from './evaluate.ts';`);
    expect(js).not.toMatch(/TypeBox|sinclair/);
    expect(gzipSync(js).length).toBeLessThan(1300);
  });

  it('the loader’s part (precheck, recordEvent, the suppression helpers) has no evaluator and no TypeBox', async () => {
    const js = await bundle(
      `import { precheck, markShown, snoozeStudy, optOut } from './suppression.ts';
       import { recordEvent } from './events.ts';
       export const api = { precheck, recordEvent, markShown, snoozeStudy, optOut };`,
    );
    expect(js).not.toMatch(/TypeBox|sinclair|within_last_days|exit_intent/);
    expect(gzipSync(js).length).toBeLessThan(1000);
  });

  it('the whole decision (pickStudy, whyNot, triggers) imported from the index has no TypeBox', async () => {
    const js = await bundle(
      `import { pickStudy, whyNot, triggersSatisfied, matchesUrl } from './index.ts';
       export const api = { pickStudy, whyNot, triggersSatisfied, matchesUrl };`,
    );
    expect(js).not.toMatch(/TypeBox|sinclair|additionalProperties|\[Kind\]/);
    expect(gzipSync(js).length).toBeLessThan(2100);
  });

  it('importing the schemas does bring TypeBox (so the check above can fail)', async () => {
    const js = await bundle(`export { RuleSchema } from './index.ts';`);
    expect(js).toMatch(/additionalProperties/);
  });

  it('has no eval, no new Function, and no RegExp built at run time', async () => {
    const js = await bundle(`export * from './pick.ts'; export * from './suppression.ts'; export * from './events.ts'; export * from './evaluate.ts'; export * from './presets.ts';`);
    expect(js).not.toMatch(/\beval\(|new Function|Function\(|new RegExp|RegExp\(/);
  });
});
