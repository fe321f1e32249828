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
      ...reporting,
    },
  }),
);
