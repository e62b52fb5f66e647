// The embed snippet: what the README and the demo site give integrators is exactly what the browser
// tests embed (test/support/host.ts), and the snippet itself queues calls and adds the script only
// once the page's load event has fired.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { snippetLine } from './support/host.js';

const read = (path: string) => readFile(new URL(path, import.meta.url), 'utf8');

/** Runs the snippet's line against a stand-in window and document in the given ready state. */
function run(readyState: string) {
  const added: { src: string; nonce?: string }[] = [];
  const listeners: Record<string, () => void> = {};
  const document = {
    readyState,
    currentScript: { nonce: 'n0nce' },
    createElement: () => ({}) as { src: string; nonce?: string },
    head: { appendChild: (s: { src: string; nonce?: string }) => added.push(s) },
  };
  const window: Record<string, any> = { addEventListener: (type: string, f: () => void) => (listeners[type] = f) };
  new Function('window', 'document', snippetLine('https://beckon.example.com/widget/beckon.js'))(window, document);
  return { window, added, listeners };
}

describe('the embed snippet', () => {
  it('is the one the README documents and the demo site embeds', async () => {
    const readme = await read('../README.md');
    const embedding = readme.slice(readme.indexOf('## Embedding'), readme.indexOf('| call |'));
    expect(embedding).toContain(`<script>\n  ${snippetLine('https://beckon.example.com/widget/beckon.js')}\n  beckon('init', {`);
    expect(embedding.match(/```html[\s\S]*?```/)![0]).not.toMatch(/<script[^>]+src=/);
    const demo = await read('../../../examples/demo-site/index.html');
    expect(demo).toContain(snippetLine('{{API_HOST}}/widget/beckon.js'));
    expect(demo).not.toMatch(/<script[^>]+beckon\.js/);
  });

  it('queues calls in order and adds the script, with its own tag’s nonce, only once the load event has fired', () => {
    const { window, added, listeners } = run('interactive');
    window.beckon('init', { publicKey: 'pk_x' });
    window.beckon('identify', 'u1');
    expect(window.beckon.q.map((args: unknown[]) => [...args])).toEqual([['init', { publicKey: 'pk_x' }], ['identify', 'u1']]);
    expect(added).toEqual([]);
    listeners.load!();
    expect(added).toEqual([{ src: 'https://beckon.example.com/widget/beckon.js', nonce: 'n0nce' }]);
  });

  it('adds the script at once on a page that has loaded already, and keeps a beckon that is there', () => {
    const existing = Object.assign(() => {}, { v: 1 });
    const { window, added, listeners } = run('complete');
    expect(added).toHaveLength(1);
    expect(listeners).toEqual({});
    // Run again where the loader has replaced the stub: the real function stays.
    const again = { ...window, beckon: existing };
    new Function('window', 'document', snippetLine('x'))(again, { readyState: 'complete', currentScript: null, createElement: () => ({}), head: { appendChild() {} } });
    expect(again.beckon).toBe(existing);
  });
});
