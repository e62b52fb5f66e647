// The server's layers point one way (packages/server/README.md): a module may import its own
// layer and the layers below it, never one above. This reads every import in src/ and fails on
// any that points up, naming the file, the import and the rule it breaks.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Top to bottom. A path belongs to the first layer whose prefix it starts with. */
const LAYERS: { name: string; paths: string[] }[] = [
  { name: 'entry points', paths: ['main.ts', 'cli.ts', 'app.ts', 'db/migrate-cli.ts'] },
  { name: 'routes', paths: ['routes/'] },
  { name: 'plugins', paths: ['plugins/'] },
  { name: 'services', paths: ['services/', 'auth/'] },
  { name: 'integrations', paths: ['calendars/', 'integrations/'] },
  { name: 'jobs', paths: ['jobs/'] },
  { name: 'mail', paths: ['mail/'] },
  { name: 'database', paths: ['db/'] },
  { name: 'foundation', paths: ['security/', 'errors.ts', 'logging.ts', 'config.ts', 'assets.ts'] },
];

function layerOf(file: string): number {
  const index = LAYERS.findIndex((layer) => layer.paths.some((prefix) => file === prefix || (prefix.endsWith('/') && file.startsWith(prefix))));
  if (index < 0) throw new Error(`${file} is in no layer: add its folder to LAYERS in test/architecture/layers.test.ts and to the server README`);
  return index;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'migrations' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Relative imports and re-exports, type-only ones included: a type also ties a layer to another. */
function importsOf(source: string): string[] {
  const found = [...source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm), ...source.matchAll(/import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)];
  return found.map((match) => match[1]!);
}

const relative = (full: string) => path.relative(SRC, full).split(path.sep).join('/');
const files = sourceFiles(SRC).map(relative);

describe('server layers', () => {
  it('places every source file in a layer', () => {
    for (const file of files) expect(() => layerOf(file)).not.toThrow();
  });

  it('never imports a higher layer', () => {
    const violations: string[] = [];
    for (const file of files) {
      for (const specifier of importsOf(readFileSync(path.join(SRC, file), 'utf8'))) {
        const target = relative(path.resolve(path.dirname(path.join(SRC, file)), specifier)).replace(/\.js$/, '.ts');
        const [from, to] = [layerOf(file), layerOf(target)];
        if (to < from) violations.push(`${file} (${LAYERS[from]!.name}) imports ${specifier} (${LAYERS[to]!.name})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('sees the imports it checks (the check cannot pass by reading nothing)', () => {
    const bookingImports = importsOf(readFileSync(path.join(SRC, 'services/booking.ts'), 'utf8'));
    expect(bookingImports).toContain('../jobs/queue.js');
    expect(layerOf('routes/admin/studies.ts')).toBeLessThan(layerOf('services/studies.ts'));
    expect(files.length).toBeGreaterThan(50);
  });
});
