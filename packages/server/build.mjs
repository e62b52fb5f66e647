// Production build of the server, everything the process runs, into dist/:
//   dist/main.js      the server: what the image's CMD runs (`node dist/main.js`)
//   dist/migrate.js   applies the committed migrations on their own
//   dist/cli.js       the operator's commands, built as soon as src/cli.ts exists
//   dist/migrations/  the committed SQL migrations, read at run time beside the bundle
//   dist/public/      the widget's and the admin app's builds (the root `pnpm build` makes them first)
// Our code, @beckon/shared and the npm packages are bundled in, except the packages listed in
// package.json "dependencies": those read files beside their own code at run time, so they stay
// imports and are what `pnpm deploy --prod` installs beside dist/ (see EXTERNAL_BECAUSE below).
// Everything else the server imports is a devDependency: bundled here, never installed in the image.
// Usage: node build.mjs   (works from any directory)
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('.', import.meta.url));
const dist = `${root}dist`;

/** Why each runtime dependency cannot be bundled: package.json "dependencies" lists exactly these. */
const EXTERNAL_BECAUSE = {
  '@electric-sql/pglite': 'loads its WebAssembly build, data files and extension archives from beside its own code',
  'swagger-ui-dist': "its files are what the API console at /docs/try serves, read from the package's own folder",
};

/**
 * Imports that may stay unresolved because nothing reaches them: pg's optional native binding,
 * required only when NODE_PG_FORCE_NATIVE is set or `pg.native` is read.
 */
const NEVER_LOADED = ['pg-native'];

const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const external = Object.keys(pkg.dependencies ?? {});
for (const name of external) {
  if (!(name in EXTERNAL_BECAUSE)) throw new Error(`${name} is a runtime dependency: say in EXTERNAL_BECAUSE why it cannot be bundled, or make it a devDependency`);
}

const entryPoints = {
  main: 'src/main.ts',
  migrate: 'src/db/migrate-cli.ts',
  ...(existsSync(`${root}src/cli.ts`) ? { cli: 'src/cli.ts' } : {}),
};

rmSync(dist, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Bundled CommonJS packages call require() for Node's modules; an ES module has none of its own.
  banner: { js: "import { createRequire as __beckonCreateRequire } from 'node:module';\nconst require = __beckonCreateRequire(import.meta.url);" },
  // Stack traces map back to src/ with NODE_OPTIONS=--enable-source-maps; the sources stay out.
  sourcemap: 'linked',
  // The source is held in memory for as long as the process runs: minified, it is half the size
  // (idle RSS). Names are kept: plugins and errors are known by them.
  minify: true,
  keepNames: true,
  sourcesContent: false,
  external: [...external, ...NEVER_LOADED],
  // What an idle server never runs (calendar providers, payouts, mail transport, outbound HTTP)
  // is imported with import() where it is used, and lands in a chunk of its own: loaded, parsed
  // and kept in memory only once it is needed. Chunks sit beside main.js, so code that finds its
  // files from import.meta.url finds them wherever it lands.
  splitting: true,
  chunkNames: '[name]-[hash]',
  logLevel: 'info',
});
// V8 keeps each script's source in memory, at one byte a character while every character is
// Latin-1 and at two bytes when a single one is not (the main bundle: 3.7 MB more). esbuild
// escapes strings, but not the text of tagged templates or regular expressions: write those with
// entities (&hellip;) or escapes (\u20AC).
for (const file of readdirSync(dist).filter((name) => name.endsWith('.js'))) {
  const source = readFileSync(`${dist}/${file}`, 'utf8');
  const wide = /[^\u0000-\u00ff]/.exec(source);
  if (wide) throw new Error(`dist/${file} has a character beyond Latin-1 (${JSON.stringify(wide[0])}) in «${source.slice(Math.max(0, wide.index - 60), wide.index + 20)}»`);
}
cpSync(`${root}src/db/migrations`, `${dist}/migrations`, { recursive: true });
// The browser bundles travel with the server (see src/assets.ts).
for (const name of ['admin', 'widget']) {
  const built = `${root}../${name}/dist`;
  if (!existsSync(`${built}/`)) throw new Error(`packages/${name}/dist is missing: build it first (the root \`pnpm build\` does)`);
  cpSync(built, `${dist}/public/${name}`, { recursive: true });
}
