import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The browser tests run the real server on a real database: the server's setup probes
    // PostgreSQL (and provides its URL) and makes the migrated template databases exactly as for
    // the server's own suite; ours builds the app once and makes this run's screenshot folder;
    // and the widget is built once (the study preview runs it), shared with the widget's suite.
    globalSetup: ['../server/test/support/services.ts', '../server/test/support/pglite-template.ts', './test/support/global-setup.ts', '../server/test/support/widget-build.ts'],
    // Each browser test file has its own database, server and browser; what files of a worker
    // share is only the imported modules, so the server's code is loaded once per worker, not
    // once per file (seconds each).
    isolate: false,
    // Browser files run side by side: a condition may take more than the default 1 s to come true.
    expect: { poll: { timeout: 5_000 } },
    // Password hashes at a low scrypt cost (hundreds are made; see the file).
    setupFiles: ['../server/test/support/cheap-password-hashes.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
