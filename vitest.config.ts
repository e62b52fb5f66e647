import { defineConfig } from 'vitest/config';

// One run over every package; each package's own vitest.config.ts describes its suite.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts'],
    // Two cores: server test files each open their own database, two at a time.
    maxWorkers: 2,
  },
});
