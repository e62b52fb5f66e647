// The widget's weight on every product page: minified + gzipped bytes against the budgets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// @ts-expect-error: the widget's build script is plain JavaScript without declarations.
import { build, BUDGETS } from '../packages/widget/build.mjs';
import type { Benchmark } from './run.js';

export const widgetSize: Benchmark = {
  name: 'widget size (min+gzip)',
  async run() {
    const out = mkdtempSync(path.join(tmpdir(), 'beckon-widget-'));
    try {
      const sizes = (await build(out)) as Record<string, number>;
      const budgets = BUDGETS as Record<string, number>;
      return Object.entries(sizes).map(([file, bytes]) => `${file.padEnd(16)} ${String(bytes).padStart(6)} B${budgets[file] ? `   budget ${budgets[file]} B ${bytes <= budgets[file]! ? 'ok' : 'OVER'}` : ''}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
};
