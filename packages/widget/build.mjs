// Builds the widget from any working directory:
//   dist/beckon.js       the loader for the script tag (IIFE, no Preact)
//   dist/beckon-ui.js    the Preact UI chunk the loader fetches when an intercept is to show
//   dist/beckon-page.js  the hosted booking page (/b/{slug}): the same UI, full page
//   dist/esm/            the npm package (ESM + .d.ts), the UI as a lazily imported chunk
// and reports the sizes against their budgets (minified + gzipped); `--check-budget` fails the
// build when one is over (the tests hold the sizes too).
import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import ts from 'typescript';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Bytes, minified and gzipped (level 9). */
export const BUDGETS = { 'beckon.js': 3 * 1024, 'beckon-ui.js': 15 * 1024 };

/**
 * Property names that never leave the loader bundle (the session and context objects it builds for
 * pickStudy, its own bookkeeping), shortened in beckon.js. Nothing stored, fetched or handed to the
 * UI chunk may be listed: those names are a contract.
 */
const LOADER_INTERNAL = /^(user|events|session|userKey|url|pageViews|secondsOnPage|exitIntent|lastEvent|engaged|ui)$/;

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

/** Builds everything into `out` (default dist/) and returns the gzipped size of each script-tag file. */
export async function build(out = `${root}dist`) {
  await rm(out, { recursive: true, force: true });
  await Promise.all([
    esbuild.build({ ...common, entryPoints: ['src/loader/script.ts'], outfile: `${out}/beckon.js`, format: 'iife', mangleProps: LOADER_INTERNAL }),
    esbuild.build({ ...common, entryPoints: ['src/ui/script.ts'], outfile: `${out}/beckon-ui.js`, format: 'iife' }),
    esbuild.build({ ...common, entryPoints: ['src/ui/page.ts'], outfile: `${out}/beckon-page.js`, format: 'iife' }),
    esbuild.build({
      ...common,
      entryPoints: ['src/index.ts'],
      outdir: `${out}/esm`,
      format: 'esm',
      splitting: true,
      minify: false,
      target: 'es2020',
      // A dependency of the package: the application's bundler dedupes it.
      external: ['preact', 'preact/*'],
    }),
  ]);
  await declarations(`${out}/esm`);
  const sizes = {};
  for (const file of ['beckon.js', 'beckon-ui.js', 'beckon-page.js']) {
    sizes[file] = gzipSync(await readFile(`${out}/${file}`), { level: 9 }).length;
  }
  return sizes;
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
