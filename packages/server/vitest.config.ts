import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file's database is a copy of a template migrated once per run (see test/support).
    globalSetup: ['test/support/services.ts', 'test/support/pglite-template.ts'],
    // Each file builds its own app on its own database and closes both; what files of a worker
    // share is only the imported modules, so the server's code is loaded once per worker instead
    // of once per file (seconds each, the largest part of the suite's set-up).
    isolate: false,
    // Password hashes at a low scrypt cost (hundreds are made; see the file).
    setupFiles: ['test/support/cheap-password-hashes.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
