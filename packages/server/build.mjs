// Production bundle: dist/main.js, dist/migrate.js and dist/cli.js, with @beckon/shared compiled in and
// npm dependencies left as imports; the committed migrations are copied beside them.
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

process.chdir(new URL('.', import.meta.url).pathname);

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies).filter((name) => !name.startsWith('@beckon/'));

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { main: 'src/main.ts', migrate: 'src/db/migrate-cli.ts', cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external,
  logLevel: 'info',
});
cpSync('src/db/migrations', 'dist/migrations', { recursive: true });
// The browser bundles travel with the server (see src/assets.ts); build them first.
for (const name of ['admin', 'widget']) {
  const built = new URL(`../${name}/dist/`, import.meta.url);
  if (existsSync(built)) cpSync(built, `dist/public/${name}`, { recursive: true });
}
