// Vitest global set-up (the widget's and the admin app's suites): the widget built once per run
// into a folder of this run's own, which their test servers serve at /widget/ (and the widget's
// host pages at /local/). The widget's browser files and the admin app's study preview share it
// instead of each building it again, and what else rebuilds packages/widget/dist meanwhile (`pnpm
// start` in start-script.test.ts) cannot take files away from under a running test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { oncePerRun } from './once-per-run.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's widget build (what `node packages/widget/build.mjs` puts in dist/). */
    widgetBuild: string;
  }
}

const build = fileURLToPath(new URL('../../../widget/build.mjs', import.meta.url));

async function buildWidget(): Promise<string> {
  const out = mkdtempSync(path.join(tmpdir(), 'beckon-widget-build-'));
  try {
    execFileSync(process.execPath, [build, `--out=${out}`], { stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    rmSync(out, { recursive: true, force: true });
    throw new Error(`Building the widget for the browser tests failed:\n${(error as { stderr?: string }).stderr ?? error}`);
  }
  return out;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const built = await oncePerRun('widget build', buildWidget, async (out) => rmSync(out, { recursive: true, force: true }));
  project.provide('widgetBuild', built.value);
  return built.release;
}
