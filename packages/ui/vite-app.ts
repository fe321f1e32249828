import { defineConfig, type UserConfig } from 'vite';
import solid from 'vite-plugin-solid';

export interface AtumAppOptions {
  /** Where the server mounts the app, with slashes: `/portal/`. */
  base: string;
  /** Port of `vite dev`. */
  devPort: number;
}

// The API server (apps/server) in development; it serves the built apps itself in production.
const API_ORIGIN = 'http://127.0.0.1:3000';

/** The Vite configuration shared by the portal and the desk. */
export function atumAppConfig(options: AtumAppOptions): UserConfig {
  return defineConfig({
    base: options.base,
    plugins: [solid()],
    // The brand SVGs (favicon, logo, wordmark) are served and copied as they are, so index.html can
    // point at /favicon.svg in dev and build alike: Vite does not resolve package specifiers in HTML.
    publicDir: decodeURIComponent(new URL('./brand', import.meta.url).pathname),
    build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
    server: {
      port: options.devPort,
      proxy: {
        '/api': API_ORIGIN,
        '/trpc': API_ORIGIN,
        '/ws': { target: API_ORIGIN, ws: true },
      },
    },
  });
}
