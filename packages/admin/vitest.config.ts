import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The browser test runs the real server on a real database; this setup probes PostgreSQL
    // (and provides its URL) exactly as the server's own suite does.
    globalSetup: ['../server/test/support/services.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
