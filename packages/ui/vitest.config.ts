import { reporting } from '@atum-desk/test-helpers/vitest';
import solid from 'vite-plugin-solid';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [solid()],
  // Solid ships server and browser builds; tests render in a DOM, so resolve the browser (dev) build
  // as the Solid testing docs advise, or every render would be a no-op SSR string.
  resolve: { conditions: ['development', 'browser'] },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./vitest.setup.ts'],
    ...reporting,
  },
});
