// Once per run, before any browser test file: builds the admin app (the files the server serves
// at /admin) and keeps a copy in a folder of this run's own, which the tests' servers serve, so
// the files do not each build it and what else rebuilds packages/admin/dist meanwhile (`pnpm
// start` in the server's start-script.test.ts) cannot change files under a running test; and
// makes this run's screenshot folder, a fresh one under the system's temporary directory, when
// screenshots are asked for (BECKON_SCREENSHOTS=1; without it the tests take none).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's admin app build (what `node packages/admin/build.mjs` puts in dist/). */
    adminBuild: string;
    /** This run's screenshot folder; null when screenshots are not asked for (BECKON_SCREENSHOTS=1). */
    adminScreenshots: string | null;
  }
}

const build = fileURLToPath(new URL('../../build.mjs', import.meta.url));
const dist = fileURLToPath(new URL('../../dist', import.meta.url));

export default function setup(project: TestProject): () => void {
  try {
    execFileSync(process.execPath, [build], { stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    throw new Error(`Building the admin app for the browser tests failed:\n${(error as { stderr?: string }).stderr ?? error}`);
  }
  const adminBuild = mkdtempSync(path.join(tmpdir(), 'beckon-admin-build-'));
  cpSync(dist, adminBuild, { recursive: true });
  project.provide('adminBuild', adminBuild);
  if (process.env.BECKON_SCREENSHOTS === '1') {
    const screenshots = mkdtempSync(path.join(tmpdir(), 'beckon-admin-screenshots-'));
    project.provide('adminScreenshots', screenshots);
    console.log(`admin browser tests: screenshots in ${screenshots}`);
  } else {
    project.provide('adminScreenshots', null);
  }
  return () => rmSync(adminBuild, { recursive: true, force: true });
}
