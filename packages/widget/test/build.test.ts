// The built files: sizes, no eval, the loader free of the UI, and the npm build importable
// during server-side rendering (no window) with its types.
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error build.mjs is plain JavaScript without declarations
import { build, BUDGETS } from '../build.mjs';

// Inside the package so that the npm build's `import 'preact'` resolves; beside dist/, which the
// browser suite rebuilds at the same time.
const out = fileURLToPath(new URL('../node_modules/.cache/beckon-build-test', import.meta.url));

describe('the build', () => {
  let sizes: Record<string, number>;
  let manifest: Record<string, string>;
  beforeAll(async () => {
    sizes = await build(out);
    manifest = JSON.parse(await readFile(`${out}/manifest.json`, 'utf8'));
  }, 60_000);

  it('keeps the loader and the chunks within their budgets (min+gzip)', () => {
    console.log(`widget sizes (min+gzip): ${JSON.stringify(sizes)}; budgets ${JSON.stringify(BUDGETS)}`);
    for (const [file, budget] of Object.entries(BUDGETS as Record<string, number>)) expect(sizes[file], file).toBeLessThanOrEqual(budget);
    expect(Object.keys(BUDGETS)).toEqual(['beckon.js', 'beckon-rules.js', 'beckon-ui.js']);
  });

  it('the loader holds the precheck but not the targeting rules, which are in the rules chunk', async () => {
    const [loader, rules] = await Promise.all([readFile(`${out}/beckon.js`, 'utf8'), readFile(`${out}/${manifest['beckon-rules.js']}`, 'utf8')]);
    // Operator and trigger names appear only in the code that evaluates them.
    for (const name of ['within_last_days', 'more_than_days_ago', 'exit_intent', 'page_views']) {
      expect(loader).not.toContain(name);
      expect(rules).toContain(name);
    }
    // The loader names the chunks by their content hash.
    expect(manifest['beckon-rules.js']).toMatch(/^beckon-rules\.[0-9a-f]{12}\.js$/);
    expect(manifest['beckon-ui.js']).toMatch(/^beckon-ui\.[0-9a-f]{12}\.js$/);
    expect(loader).toContain(manifest['beckon-rules.js']);
    expect(loader).toContain(manifest['beckon-ui.js']);
    expect(rules).toContain('beckon:rules');
  });

  it('has no eval or new Function anywhere, and no Preact or styles in the loader', async () => {
    for (const file of [...Object.values(manifest), 'esm/index.js']) {
      const code = await readFile(`${out}/${file}`, 'utf8');
      expect(code).not.toMatch(/\beval\(|new Function\b|\bFunction\(|setTimeout\(["'`]/);
    }
    const loader = await readFile(`${out}/beckon.js`, 'utf8');
    expect(loader).not.toMatch(/adoptedStyleSheets|attachShadow|__H/);
  });

  it('npm build: importable without a window, every method a no-op there, with declarations', async () => {
    const sdk = await import(pathToFileURL(`${out}/esm/index.js`).href);
    expect(Object.keys(sdk).sort()).toEqual(['consent', 'identify', 'init', 'page', 'reset', 'show', 'track']);
    expect(() => {
      sdk.init({ publicKey: 'pk_test_00000000', apiHost: 'http://127.0.0.1:9' });
      sdk.identify('user-1', { plan: 'pro' });
      sdk.track('report_exported');
      sdk.page();
      sdk.show('x');
      sdk.consent(false);
      sdk.reset();
    }).not.toThrow();
    const types = await readFile(`${out}/esm/index.d.ts`, 'utf8');
    for (const name of ['init', 'identify', 'track', 'page', 'reset', 'consent', 'show']) expect(types).toContain(`export declare const ${name}:`);
    expect(await readFile(`${out}/esm/types.d.ts`, 'utf8')).toContain('export interface InitOptions');
  });

  it('bundles into a product app with a bundler, the UI and the rules split into chunks of their own (examples/bundler-app)', async () => {
    // @ts-expect-error the example's build script is plain JavaScript without declarations
    const { bundle } = await import('../../../examples/bundler-app/build.mjs');
    const outputs = (await bundle({ outdir: `${out}/bundler-app`, widgetEntry: `${out}/esm/index.js` })) as Record<string, { bytes: number; imports: { path: string; kind: string }[] }>;
    const main = Object.keys(outputs).find((file) => file.endsWith('/main.js'))!;
    expect(main).toBeDefined();
    /** The code a file runs before anything is fetched lazily: itself and its static imports. */
    const eager = async (file: string): Promise<string> => {
      const files = new Set([file]);
      for (const f of files) for (const i of outputs[f]!.imports) if (i.kind === 'import-statement') files.add(i.path);
      return (await Promise.all([...files].map((f) => readFile(f, 'utf8')))).join('\n');
    };
    const UI = /adoptedStyleSheets|attachShadow/;
    const RULES = /within_last_days/;
    // Preact and the rules are only in chunks the entry imports lazily.
    expect(await eager(main)).not.toMatch(/__H|adoptedStyleSheets|within_last_days/);
    const lazy = await Promise.all(outputs[main]!.imports.filter((i) => i.kind === 'dynamic-import').map((i) => eager(i.path)));
    expect(lazy).toHaveLength(2);
    expect(lazy.filter((code) => UI.test(code))).toHaveLength(1);
    expect(lazy.filter((code) => RULES.test(code))).toHaveLength(1);
  });
});
