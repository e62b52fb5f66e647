// Production build of the admin app into dist/, as the server serves it:
//   dist/index.html  → /admin and every /admin/... path (client-side routing)
//   dist/app.js, dist/app.css, dist/favicon.svg → /admin/assets/<file>
// No inline script or style anywhere: the server sends a strict Content-Security-Policy.
// Usage: node build.mjs [--watch]   (works from any directory)
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('.', import.meta.url));
const dist = `${root}dist`;
const watch = process.argv.includes('--watch');

/** Packages that must never reach the browser bundle (schemas are the server's business). */
const FORBIDDEN = ['@sinclair/typebox', 'temporal-polyfill'];

// Files are replaced in place (never an empty dist/ while a server may be reading it); files
// the build no longer makes are removed afterwards.
const OUTPUTS = new Set(['index.html', 'favicon.svg', 'app.js', 'app.css']);
mkdirSync(dist, { recursive: true });

const options = {
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
writeFileSync(`${dist}/index.html`, html);
copyFileSync(`${root}src/favicon.svg`, `${dist}/favicon.svg`);

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
  console.log('admin: watching src/ → dist/');
} else {
  const result = await esbuild.build(options);
  // Parsed is fine (tree-shaking drops it); what counts is what reaches the output.
  const inOutput = Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, info]) => info.bytesInOutput > 0)
      .map(([input]) => input),
  );
  const bundled = inOutput.filter((input) => FORBIDDEN.some((name) => input.includes(`/${name}/`)));
  if (bundled.length > 0) {
    throw new Error(`The admin bundle must not include ${bundled.slice(0, 3).join(', ')}${bundled.length > 3 ? ', …' : ''}: import types only from @beckon/shared/api`);
  }
  for (const file of readdirSync(dist)) if (!OUTPUTS.has(file)) rmSync(`${dist}/${file}`, { recursive: true, force: true });
  for (const file of ['app.js', 'app.css']) {
    const bytes = readFileSync(`${dist}/${file}`);
    console.log(`admin: dist/${file} ${(bytes.length / 1024).toFixed(1)} kB, ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)} kB gzip`);
  }
}
