// Once per run, before any browser test file: builds the admin app into dist/ (the files the
// server serves at /admin), so the files do not each build it, and makes this run's screenshot
// folder, a fresh one under the system's temporary directory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's screenshot folder. */
    adminScreenshots: string;
  }
}

const build = fileURLToPath(new URL('../../build.mjs', import.meta.url));

export default function setup(project: TestProject): void {
  try {
    execFileSync(process.execPath, [build], { stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    throw new Error(`Building the admin app for the browser tests failed:\n${(error as { stderr?: string }).stderr ?? error}`);
  }
  const screenshots = mkdtempSync(path.join(tmpdir(), 'beckon-admin-screenshots-'));
  project.provide('adminScreenshots', screenshots);
  console.log(`admin browser tests: screenshots in ${screenshots}`);
}
