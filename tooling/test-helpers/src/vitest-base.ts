import type { ViteUserConfig } from 'vitest/config';

/** Where each package writes its machine-readable results; `npm test` sums them into one line. */
export const REPORT_FILE = 'test-artifacts/vitest-report.json';

/** Reporters of every package: the usual console output, and the JSON report `npm test` sums. */
export const reporting = {
  reporters: ['default', 'json'],
  outputFile: { json: REPORT_FILE },
} satisfies NonNullable<ViteUserConfig['test']>;

/**
 * Test settings every Node package shares: one PostgreSQL server and migrated template for the run
 * (the global setup of packages/core), generous timeouts for a shared 2-core machine, and a JSON report.
 */
export function nodeTestConfig(globalSetup: string): ViteUserConfig {
  return {
    test: {
      include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
      globalSetup: [globalSetup],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      ...reporting,
    },
  };
}
