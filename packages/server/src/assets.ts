// Where the built browser bundles live: beside the server bundle in production (dist/public,
// copied by build.mjs), or in their packages' dist folders when running from source.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function assetDir(name: 'widget' | 'admin'): string {
  const bundled = fileURLToPath(new URL(`./public/${name}/`, import.meta.url));
  if (existsSync(bundled)) return bundled;
  return fileURLToPath(new URL(`../../${name}/dist/`, import.meta.url));
}
