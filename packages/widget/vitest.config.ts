import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'widget',
    include: ['test/**/*.test.ts'],
    // The browser suites' servers run on copies of one migrated database, made once per run (on
    // PostgreSQL when it is there, as the server's suite does; else PGlite), and serve one widget
    // build, made once per run.
    globalSetup: ['../server/test/support/services.ts', '../server/test/support/pglite-template.ts', '../server/test/support/widget-build.ts'],
    // The browser files each start their own server, browser and site and close them; what files
    // of a worker share is only the imported modules, so the server's code is loaded once per
    // worker instead of once per file (seconds each), as in the server's and admin's suites.
    isolate: false,
    // The browser suite starts Chromium and a server; each of its steps waits on real rendering.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Real rendering on a shared machine: give polled expectations time.
    expect: { poll: { timeout: 10_000 } },
  },
});
