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

// The loader ships in every page view of the host site (budget: 3 KB gzipped for all of it).
describe('what the widget loader bundles', () => {
  it('the evaluator entry has no TypeBox and stays small', async () => {
    const js = await bundle(`export * from './evaluate.ts';`);
    expect(js).not.toMatch(/TypeBox|sinclair/);
    expect(gzipSync(js).length).toBeLessThan(1300);
  });

  it('the whole decision (pickStudy, recordEvent, suppression helpers) imported from the index has no TypeBox', async () => {
    const js = await bundle(
      `import { pickStudy, whyNot, recordEvent, matchesUrl, markShown, snoozeStudy, optOut } from './index.ts';
       export const api = { pickStudy, whyNot, recordEvent, matchesUrl, markShown, snoozeStudy, optOut };`,
    );
    expect(js).not.toMatch(/TypeBox|sinclair|additionalProperties|\[Kind\]/);
    expect(gzipSync(js).length).toBeLessThan(2300);
  });

  it('importing the schemas does bring TypeBox (so the check above can fail)', async () => {
    const js = await bundle(`export { RuleSchema } from './index.ts';`);
    expect(js).toMatch(/additionalProperties/);
  });

  it('has no eval, no new Function, and no RegExp built at run time', async () => {
    const js = await bundle(`export * from './pick.ts'; export * from './evaluate.ts'; export * from './presets.ts';`);
    expect(js).not.toMatch(/\beval\(|new Function|Function\(|new RegExp|RegExp\(/);
  });
});
