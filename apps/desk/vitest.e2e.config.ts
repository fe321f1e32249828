import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: the built desk and portal (dist/, built by turbo before `test`) served by
// the real server over a real PostgreSQL database, driven in Debian's Chromium. Node environment; one
// file at a time, since each drives browsers and the machine has two cores. (The portal's e2e setup.)
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.test.ts'],
    // One PostgreSQL server and migrated template per run, as apps/server's tests set it up.
    globalSetup: ['../../packages/core/vitest.global-setup.ts'],
    fileParallelism: false,
    // Browser pages on a shared 2-core machine: generous, as graphile-worker's helpers are for CI clocks.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest-e2e-report.json' },
  },
});
