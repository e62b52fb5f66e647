// The widget files as product sites fetch them: cross-origin, compressed as built, revalidated by
// ETag, the content-hashed chunks cached for good; nothing outside the bundle's folder. The admin
// app's files the same way (its page revalidated, its hashed scripts and styles kept for good), and
// the API docs page's files and document compressed, the document revalidated by ETag.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync, gunzipSync } from 'node:zlib';
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
    // An admin build as build.mjs lays it out: hashed names with their .br and .gz, the page naming them.
    await mkdir(`${dir}/admin`);
    for (const [file, content] of Object.entries(ADMIN_FILES)) {
      await writeFile(`${dir}/admin/${file}`, content);
      if (/\.[A-Z0-9]{8}\./.test(file)) {
        await writeFile(`${dir}/admin/${file}.br`, brotliCompressSync(content));
        await writeFile(`${dir}/admin/${file}.gz`, gzipSync(content));
      }
    }
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  // Registered after the build's hooks: serves the built folder, closed before it is removed.
  const suite = useTestApp(() => ({ kind: 'pglite', appOptions: { assetDirs: { widget: `${dir}/widget`, admin: `${dir}/admin` } } }));

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

  it('sends the admin page revalidated by its ETag, 304 while unchanged', async () => {
    const { t } = suite;
    const page = await t.app.inject({ url: '/admin/studies' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(ADMIN_FILES['index.html']);
    expect(page.headers['cache-control']).toBe('no-cache');
    const etag = page.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await t.app.inject({ url: '/admin/', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const other = await t.app.inject({ url: '/admin/', headers: { 'if-none-match': '"another-build"' } });
    expect(other.statusCode).toBe(200);
  });

  it('keeps the admin app’s hashed files for good, compressed as built, and revalidates the rest', async () => {
    const { t } = suite;
    for (const file of ['app.ABCD2345.js', 'app.EFGH6723.css']) {
      const url = `/admin/assets/${file}`;
      const plain = Buffer.from(ADMIN_FILES[file]!);
      const br = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.statusCode, file).toBe(200);
      expect(br.headers['cache-control'], file).toBe('public, max-age=31536000, immutable');
      expect(br.headers['content-encoding'], file).toBe('br');
      expect(br.headers.vary, file).toMatch(/accept-encoding/i);
      expect(br.headers['content-type'], file).toMatch(file.endsWith('.js') ? /javascript/ : /text\/css/);
      expect(brotliDecompressSync(br.rawPayload), file).toEqual(plain);
      const etag = br.headers.etag as string;
      expect(etag, file).toBeTruthy();
      const again = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br', 'if-none-match': etag } });
      expect(again.statusCode, file).toBe(304);
      const gz = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers['content-encoding'], file).toBe('gzip');
      expect(gunzipSync(gz.rawPayload), file).toEqual(plain);
      const identity = await t.app.inject({ url });
      expect(identity.headers['content-encoding'], file).toBeUndefined();
      expect(identity.rawPayload, file).toEqual(plain);
    }
    // Not content-hashed: a browser asks again every time (and hears 304).
    const favicon = await t.app.inject({ url: '/admin/assets/favicon.svg' });
    expect(favicon.statusCode).toBe(200);
    expect(favicon.headers['cache-control']).toBe('no-cache');
    expect(favicon.headers['access-control-allow-origin']).toBeUndefined();
    expect((await t.app.inject({ url: '/admin/assets/favicon.svg', headers: { 'if-none-match': favicon.headers.etag as string } })).statusCode).toBe(304);
  });

  it('sends the API docs page’s files and document compressed, the document with an ETag and 304', async () => {
    const { t } = suite;
    const page = await t.app.inject({ url: '/docs', headers: { 'accept-encoding': 'br, gzip' } });
    expect(page.statusCode).toBe(200);
    const bundle = await t.app.inject({ url: '/docs/static/swagger-ui-bundle.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-encoding']).toBe('br');
    expect(bundle.headers.vary).toMatch(/accept-encoding/i);
    const plainBundle = await t.app.inject({ url: '/docs/static/swagger-ui-bundle.js' });
    expect(plainBundle.headers['content-encoding']).toBeUndefined();
    expect(bundle.rawPayload.length).toBeLessThan(plainBundle.rawPayload.length / 2);
    // Buffer.equals: a deep comparison of 1.7 MB element by element takes the test's whole budget.
    expect(brotliDecompressSync(bundle.rawPayload).equals(plainBundle.rawPayload)).toBe(true);

    const document = await t.app.inject({ url: '/docs/json', headers: { 'accept-encoding': 'gzip' } });
    expect(document.statusCode).toBe(200);
    expect(document.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(document.rawPayload).toString())).toMatchObject({ openapi: '3.1.0' });
    expect(document.headers['cache-control']).toBe('no-cache');
    const etag = document.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await t.app.inject({ url: '/docs/json', headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });
});

/** A small admin build: the page, a hashed script and stylesheet (build.mjs names them so), the favicon. */
const ADMIN_FILES: Record<string, string> = {
  'index.html': '<!doctype html><link rel="stylesheet" href="/admin/assets/app.EFGH6723.css" /><script type="module" src="/admin/assets/app.ABCD2345.js"></script>',
  'app.ABCD2345.js': `document.title = 'Beckon';\n${'// long enough to compress\n'.repeat(40)}`,
  'app.EFGH6723.css': `body { margin: 0 }\n${'/* long enough to compress */\n'.repeat(40)}`,
  'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
};
