import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// The API server (apps/server) in development; it serves the built app itself in production.
const apiOrigin = 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/desk/',
  plugins: [solid()],
  // The brand SVGs of @atum-desk/ui (favicon, logo, wordmark) are served and copied as they are, so
  // index.html can point at /favicon.svg in dev and build alike; Vite does not resolve package
  // specifiers in HTML attributes.
  publicDir: '../../packages/ui/brand',
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    port: 5174,
    proxy: {
      '/api': apiOrigin,
      '/trpc': apiOrigin,
      '/ws': { target: apiOrigin, ws: true },
    },
  },
});
