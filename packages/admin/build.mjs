// Production build of the admin app into dist/, as the server serves it:
//   dist/index.html  → /admin and every /admin/... path (client-side routing)
//   dist/app.<hash>.js      the shell: router, sign-in, shared UI; each screen is its own chunk
//   dist/<Screen>.<hash>.js, dist/chunk.<hash>.js   fetched when a screen first shows
//   dist/app.<hash>.css     every style of the app in one file
//   dist/favicon.svg        → /admin/assets/<file>
// Names carry a hash of their content, so the server lets browsers keep them for good; every
// script and stylesheet also gets .br and .gz beside it, which the server sends as they are.
// No inline script or style anywhere: the server sends a strict Content-Security-Policy.
// `--watch` (development) builds app.js and app.css, unhashed and unsplit, on every change.
// Usage: node build.mjs [--watch]   (works from any directory)
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('.', import.meta.url));
const dist = `${root}dist`;
const watch = process.argv.includes('--watch');
const ASSETS = '/admin/assets/';

/** Packages that must never reach the browser bundle (schemas are the server's business). */
const FORBIDDEN = ['@sinclair/typebox', 'temporal-polyfill'];

mkdirSync(dist, { recursive: true });

const common = {
  absWorkingDir: root,
  entryPoints: { app: 'src/main.tsx' },
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome111', 'firefox115', 'safari16.4'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: !watch,
  sourcemap: watch ? 'inline' : false,
  legalComments: 'none',
  metafile: true,
  logLevel: watch ? 'info' : 'warning',
};

const html = readFileSync(`${root}src/index.html`, 'utf8');
if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(html) || /\sstyle=/i.test(html) || /<style/i.test(html)) {
  throw new Error('src/index.html must not contain inline scripts or styles (strict CSP)');
}

/** index.html naming the built files; the chunks the shell imports right away are preloaded beside it. */
function page({ script, style, preload }) {
  const tags = [...preload.map((file) => `<link rel="modulepreload" href="${ASSETS}${file}" />`), `<script type="module" src="${ASSETS}${script}"></script>`];
  const out = html.replace(`href="${ASSETS}app.css"`, `href="${ASSETS}${style}"`).replace(`<script type="module" src="${ASSETS}app.js"></script>`, tags.join('\n    '));
  if (!out.includes(`"${ASSETS}${script}"`) || !out.includes(`"${ASSETS}${style}"`)) throw new Error('src/index.html must load /admin/assets/app.js and /admin/assets/app.css');
  return out;
}

/** What reached the output (parsed is fine: tree-shaking drops it) must not include a forbidden package. */
function checkForbidden(metafile) {
  const inOutput = Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, info]) => info.bytesInOutput > 0)
      .map(([input]) => input),
  );
  const bundled = inOutput.filter((input) => FORBIDDEN.some((name) => input.includes(`/${name}/`)));
  if (bundled.length > 0) {
    throw new Error(`The admin bundle must not include ${bundled.slice(0, 3).join(', ')}${bundled.length > 3 ? ', …' : ''}: import types only from @beckon/shared/api`);
  }
}

copyFileSync(`${root}src/favicon.svg`, `${dist}/favicon.svg`);

if (watch) {
  writeFileSync(`${dist}/index.html`, page({ script: 'app.js', style: 'app.css', preload: [] }));
  const context = await esbuild.context(common);
  await context.watch();
  console.log('admin: watching src/ → dist/');
} else {
  // Two passes over the same sources: the scripts split by screen (a screen's styles would land
  // in a stylesheet nobody loads, so here they are left out), and every style in one stylesheet,
  // in import order, as the shell links it.
  const [scripts, styles] = await Promise.all([
    esbuild.build({ ...common, write: false, splitting: true, entryNames: '[name].[hash]', chunkNames: 'chunk.[hash]', loader: { '.css': 'empty' } }),
    esbuild.build({ ...common, write: false, entryNames: '[name].[hash]' }),
  ]);
  checkForbidden(scripts.metafile);
  const outputs = [...scripts.outputFiles.filter((file) => file.path.endsWith('.js')), ...styles.outputFiles.filter((file) => file.path.endsWith('.css'))];
  const name = (file) => path.basename(file.path);
  const script = outputs.find((file) => /^app\.[A-Z0-9]+\.js$/.test(name(file)));
  const style = outputs.find((file) => /^app\.[A-Z0-9]+\.css$/.test(name(file)));
  // The chunks the shell imports statically would otherwise be fetched only once it has been parsed.
  const shell = scripts.metafile.outputs[`dist/${name(script)}`];
  const preload = shell.imports.filter((i) => i.kind === 'import-statement').map((i) => path.basename(i.path));

  // New files first, index.html last (a server may be serving dist/ meanwhile); then what this
  // build no longer makes goes.
  const made = new Set(['index.html', 'favicon.svg']);
  for (const file of outputs) {
    const base = name(file);
    writeFileSync(`${dist}/${base}`, file.contents);
    writeFileSync(`${dist}/${base}.gz`, gzipSync(file.contents, { level: 9 }));
    writeFileSync(`${dist}/${base}.br`, brotliCompressSync(file.contents, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    for (const suffix of ['', '.gz', '.br']) made.add(base + suffix);
  }
  writeFileSync(`${dist}/index.html`, page({ script: name(script), style: name(style), preload }));
  for (const file of readdirSync(dist)) if (!made.has(file)) rmSync(`${dist}/${file}`, { recursive: true, force: true });

  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
  const first = [script, style, ...outputs.filter((file) => preload.includes(name(file)))];
  const firstBytes = first.reduce((sum, file) => sum + file.contents.length, 0);
  const firstGzip = first.reduce((sum, file) => sum + gzipSync(file.contents, { level: 9 }).length, 0);
  const allScripts = outputs.filter((file) => file.path.endsWith('.js')).reduce((sum, file) => sum + file.contents.length, 0);
  console.log(`admin: first load ${kb(firstBytes)}, ${kb(firstGzip)} gzip (${first.map(name).join(', ')}); ${outputs.length - first.length} more chunks on demand, ${kb(allScripts)} of scripts in all`);
}
