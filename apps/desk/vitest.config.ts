import { reporting } from '@atum-desk/test-helpers/vitest';
import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

export default mergeConfig(
  viteConfig,
  defineConfig({
    // Render with Solid's browser (dev) build, as the Solid testing docs advise.
    resolve: { conditions: ['development', 'browser'] },
    test: {
      environment: 'jsdom',
      include: ['src/**/*.test.{ts,tsx}'],
      setupFiles: ['./vitest.setup.ts'],
      // Above the 5 s the testing library waits for an element, so a missing one fails as such (as the
      // portal's): the first render of the whole app, on two cores shared with the other packages' tests,
      // has taken over 5 s.
      testTimeout: 15_000,
      ...reporting,
    },
  }),
);
