// The route fuzzer's own vitest config: test/fuzz/*.fuzz.ts is not picked up by the server
// suite's *.test.ts include, so it runs only when asked (see routes.fuzz.ts for the command).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
// knip reads imports, not `include`: this type-only import (erased at run time) tells it the
// fuzzer is used. Goes when the fuzzer becomes a *.test.ts.
import type {} from '../routes.fuzz.js';

export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    name: 'fuzz',
    include: ['test/fuzz/**/*.fuzz.ts'],
    globalSetup: ['test/support/services.ts'],
    testTimeout: 900_000,
    hookTimeout: 120_000,
  },
});
