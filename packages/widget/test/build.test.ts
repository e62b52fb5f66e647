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

/**
 * The loader's ceiling in this suite, above the 3 KB budget (BUDGETS['beckon.js']): the
 * shared rules evaluator alone is about 2 KB of it. A ratchet until the budget is met (3,499 B
 * when last lowered); see the package README.
 */
const LOADER_CEILING = 3500;

describe('the build', () => {
  let sizes: Record<string, number>;
  beforeAll(async () => {
    sizes = await build(out);
  }, 60_000);

  it('keeps the UI chunk within its budget and the loader under its ceiling (min+gzip)', () => {
    console.log(`widget sizes (min+gzip): ${JSON.stringify(sizes)}; budgets ${JSON.stringify(BUDGETS)}`);
    expect(sizes['beckon-ui.js']).toBeLessThanOrEqual(BUDGETS['beckon-ui.js']);
    expect(sizes['beckon.js']).toBeLessThanOrEqual(LOADER_CEILING);
  });

  it('has no eval or new Function anywhere, and no Preact or styles in the loader', async () => {
    for (const file of ['beckon.js', 'beckon-ui.js', 'beckon-page.js', 'esm/index.js']) {
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

  it('bundles into a product app with a bundler, the UI split into a chunk of its own (examples/bundler-app)', async () => {
    // @ts-expect-error the example's build script is plain JavaScript without declarations
    const { bundle } = await import('../../../examples/bundler-app/build.mjs');
    const outputs = (await bundle({ outdir: `${out}/bundler-app`, widgetEntry: `${out}/esm/index.js` })) as Record<string, { bytes: number; imports: { path: string; kind: string }[] }>;
    const entry = Object.entries(outputs).find(([file]) => file.endsWith('/main.js'))!;
    expect(entry).toBeDefined();
    // Preact is only in a chunk the entry imports lazily.
    expect(await readFile(entry[0], 'utf8')).not.toMatch(/__H|adoptedStyleSheets/);
    expect(entry[1].imports.some((imported) => imported.kind === 'dynamic-import')).toBe(true);
    const lazy = entry[1].imports.find((imported) => imported.kind === 'dynamic-import')!;
    expect(await readFile(lazy.path, 'utf8')).toMatch(/adoptedStyleSheets|attachShadow/);
  });
});

