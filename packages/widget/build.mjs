// Builds the widget from any working directory:
//   dist/beckon.js                the loader for the script tag (IIFE, no Preact); a stable URL
//   dist/beckon-rules.<hash>.js   the decision chunk (triggers, targeting, the pick) the loader
//                                 fetches once a study passes the precheck for this visitor
//   dist/beckon-ui.<hash>.js      the Preact UI chunk the loader fetches when an intercept is to show
//   dist/beckon-page.js           the hosted booking page (/b/{slug}): the same UI, full page
//   dist/esm/                     the npm package (ESM + .d.ts), the rules and UI as lazy chunks
//   dist/manifest.json            which file each name is
// The chunks' names carry a hash of their content, written into the loader, so that servers can
// cache them for good. Every script-tag file also gets .gz and .br beside it, served as they are.
// Reports the sizes against their budgets (minified + gzipped); `--check-budget` fails the build
// when one is over (the tests hold the sizes too).
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import ts from 'typescript';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Bytes, minified and gzipped (level 9). The issue sets the loader's and the UI's; the rules chunk's
 * is ours, so that a page view that decides loads at most 5 KB before an intercept is to show.
 */
// The UI grew to 15.5 KB with the consent text, waking-hour slots and zone names people know;
// it loads only when an invitation shows, never with the page. The loader's budget is unchanged.
export const BUDGETS = { 'beckon.js': 3 * 1024, 'beckon-rules.js': 2 * 1024, 'beckon-ui.js': 15.5 * 1024 };

const browsers = ['chrome91', 'edge91', 'firefox90', 'safari15'];
const common = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  target: browsers,
  legalComments: 'none',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  logLevel: 'warning',
};

/** The lazily fetched chunks: their names in the loader (`beckon:<name>` events) and entries. */
const CHUNKS = { rules: 'src/rules/script.ts', ui: 'src/ui/script.ts' };

/** Writes `code` as `file` in `out` with its .gz and .br, and returns its gzipped size. */
async function emit(out, file, code) {
  const gz = gzipSync(code, { level: 9 });
  const br = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  await Promise.all([writeFile(`${out}/${file}`, code), writeFile(`${out}/${file}.gz`, gz), writeFile(`${out}/${file}.br`, br)]);
  return gz.length;
}

/**
 * Builds everything into `out` (default dist/) and returns the gzipped size of each script-tag
 * file, by its name without the hash (`beckon-ui.js`); `manifest.json` maps those names to files.
 */
export async function build(out = `${root}dist`) {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const iife = async (entry) => (await esbuild.build({ ...common, entryPoints: [entry], format: 'iife', write: false, outdir: out })).outputFiles[0].contents;
  // The npm build runs beside the script-tag builds; only its declarations wait for it.
  const esm = esbuild.build({
    ...common,
    entryPoints: ['src/index.ts'],
    outdir: `${out}/esm`,
    format: 'esm',
    splitting: true,
    minify: false,
    target: 'es2020',
    // A dependency of the package: the application's bundler dedupes it.
    external: ['preact', 'preact/*'],
  });
  const files = { 'beckon.js': 'beckon.js', 'beckon-page.js': 'beckon-page.js' };
  const sizes = {};
  const chunkFiles = {};
  await Promise.all(
    Object.entries(CHUNKS).map(async ([name, entry]) => {
      const code = await iife(entry);
      const file = `beckon-${name}.${createHash('sha256').update(code).digest('hex').slice(0, 12)}.js`;
      chunkFiles[name] = files[`beckon-${name}.js`] = file;
      sizes[`beckon-${name}.js`] = await emit(out, file, code);
    }),
  );
  const loader = (await esbuild.build({ ...common, entryPoints: ['src/loader/script.ts'], format: 'iife', write: false, outdir: out, define: { BECKON_CHUNKS: JSON.stringify(chunkFiles) } })).outputFiles[0].contents;
  sizes['beckon.js'] = await emit(out, 'beckon.js', loader);
  sizes['beckon-page.js'] = await emit(out, 'beckon-page.js', await iife('src/ui/page.ts'));
  // In a fixed order, whichever chunk finished first.
  const names = ['beckon.js', 'beckon-rules.js', 'beckon-ui.js', 'beckon-page.js'];
  const ordered = (o) => Object.fromEntries(names.map((n) => [n, o[n]]));
  await esm;
  await Promise.all([declarations(`${out}/esm`), writeFile(`${out}/manifest.json`, JSON.stringify(ordered(files), null, 2) + '\n')]);
  return ordered(sizes);
}

/** .d.ts for the public entry, from its explicitly typed exports (isolated declarations). */
async function declarations(outdir) {
  for (const name of ['index', 'types']) {
    const source = await readFile(`${root}src/${name}.ts`, 'utf8');
    const { outputText, diagnostics } = ts.transpileDeclaration(source, {
      fileName: `${name}.ts`,
      compilerOptions: { isolatedDeclarations: true, declaration: true },
      reportDiagnostics: true,
    });
    if (diagnostics?.length) throw new Error(`${name}.ts: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, '\n')}`);
    await writeFile(`${outdir}/${name}.d.ts`, outputText);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const sizes = await build(process.argv.find((a) => a.startsWith('--out='))?.slice(6));
  let over = false;
  for (const [file, bytes] of Object.entries(sizes)) {
    const budget = BUDGETS[file];
    const mark = budget ? (bytes <= budget ? `≤ ${budget} ok` : `> ${budget} OVER BUDGET`) : '';
    over ||= !!budget && bytes > budget;
    console.log(`${file.padEnd(16)} ${String(bytes).padStart(6)} B min+gzip  ${mark}`);
  }
  if (over && process.argv.includes('--check-budget')) process.exit(1);
}
