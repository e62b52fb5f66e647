// The widget files as product sites fetch them: cross-origin, compressed as built, revalidated by
// ETag, the content-hashed chunks cached for good; nothing outside the bundle's folder.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app.js';
// @ts-expect-error the widget's build script is plain JavaScript without declarations
import { build } from '../../../widget/build.mjs';

describe('widget and admin files', () => {
  let dir: string;
  let manifest: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'beckon-assets-'));
    await build(`${dir}/widget`);
    manifest = JSON.parse(await readFile(`${dir}/widget/manifest.json`, 'utf8'));
    // A secret beside the bundle must stay unreachable.
    await writeFile(`${dir}/widget/.env`, 'SECRET=1');
    await writeFile(`${dir}/secret.js`, 'outside');
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  // Registered after the build's hooks: serves the built folder, closed before it is removed.
  const suite = useTestApp(() => ({ kind: 'pglite', appOptions: { assetDirs: { widget: `${dir}/widget`, admin: `${dir}/widget/esm` } } }));

  it('serves the loader cross-origin with a short cache and an ETag, then 304 for the same ETag', async () => {
    const { t } = suite;
    const first = await t.app.inject({ url: '/widget/beckon.js' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toMatch(/javascript/);
    expect(first.headers['access-control-allow-origin']).toBe('*');
    expect(first.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(first.headers['cache-control']).toBe('public, max-age=300');
    expect(first.body).toBe(await readFile(`${dir}/widget/beckon.js`, 'utf8'));
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await t.app.inject({ url: '/widget/beckon.js', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('caches the content-hashed chunks for a year, and sends brotli or gzip as built', async () => {
    const { t } = suite;
    const file = manifest['beckon-rules.js']!;
    const plain = await readFile(`${dir}/widget/${file}`);
    const br = await t.app.inject({ url: `/widget/${file}`, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload)).toEqual(plain);
    const gz = await t.app.inject({ url: `/widget/${file}`, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload)).toEqual(plain);
    // What goes over the wire is the file the budget measures.
    expect(gz.rawPayload).toEqual(await readFile(`${dir}/widget/${file}.gz`));
    expect(gz.headers['content-type']).toMatch(/javascript/);
    const identity = await t.app.inject({ url: `/widget/${file}` });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.rawPayload).toEqual(plain);
  });

  it('answers 404 for missing files, dotfiles, folders and paths out of the bundle', async () => {
    const { t } = suite;
    for (const url of ['/widget/nope.js', '/widget/.env', '/widget/esm/index.js', '/widget/../secret.js', '/widget/%2e%2e/secret.js', '/widget/..%2fsecret.js']) {
      const response = await t.app.inject({ url });
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, url).toBeLessThan(500);
      expect(response.body, url).not.toMatch(/SECRET|outside/);
    }
  });

  it('serves the admin app’s files uncached (not content-hashed)', async () => {
    const { t } = suite;
    const response = await t.app.inject({ url: '/admin/assets/index.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});
