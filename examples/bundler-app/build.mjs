// esbuild with code splitting: the app bundle carries the small SDK entry, and the widget's
// Preact UI lands in its own chunk, loaded on demand. `bundle()` is what the widget's tests run.
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';

/** Bundles src/main.ts; `widgetEntry` points '@beckon/widget' at another build (tests). */
export async function bundle({ outdir = new URL('./dist', import.meta.url).pathname, widgetEntry } = {}) {
  const result = await build({
    entryPoints: [new URL('./src/main.ts', import.meta.url).pathname],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    metafile: true,
    write: true,
    logLevel: widgetEntry ? 'silent' : 'info',
    ...(widgetEntry ? { alias: { '@beckon/widget': widgetEntry } } : {}),
  });
  return result.metafile.outputs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await bundle();
