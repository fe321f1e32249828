import { defineConfig, type Plugin, type UserConfig } from 'vite';
import solid from 'vite-plugin-solid';

export interface AtumAppOptions {
  /** Where the server mounts the app, with slashes: `/portal/`. */
  base: string;
  /** Port of `vite dev`. */
  devPort: number;
  /**
   * The HTML pages to build, name → absolute path, when there is more than `index.html` (e.g. a static
   * landing page beside the app). Defaults to the app's `index.html` alone.
   */
  pages?: Record<string, string>;
  /** Fail the build when an entry's initial JavaScript (gzip) is over this many KB (1 KB = 1000 B). */
  initialJsBudgetKb?: number;
}

// The API server (apps/server) in development; it serves the built apps itself in production.
const API_ORIGIN = 'http://127.0.0.1:3000';

/** The Vite configuration shared by the portal and the desk. */
export function atumAppConfig(options: AtumAppOptions): UserConfig {
  return defineConfig({
    base: options.base,
    plugins: [solid(), initialJsReport(options.initialJsBudgetKb)],
    // The brand SVGs (favicon, logo, wordmark) are served and copied as they are, so index.html can
    // point at /favicon.svg in dev and build alike: Vite does not resolve package specifiers in HTML.
    publicDir: decodeURIComponent(new URL('./brand', import.meta.url).pathname),
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: true,
      ...(options.pages ? { rolldownOptions: { input: options.pages } } : {}),
    },
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

/**
 * Prints, for each entry, the gzip size of the JavaScript a first visit loads before anything else:
 * the entry chunk and every chunk it imports statically (lazy routes are not counted), and fails the
 * build when that is over the budget.
 */
export function initialJsReport(budgetKb?: number): Plugin {
  return {
    name: 'atum-initial-js-report',
    apply: 'build',
    async generateBundle(_options, bundle) {
      const chunks = new Map<string, { code: string; imports: string[]; isEntry: boolean; name: string }>();
      for (const output of Object.values(bundle)) {
        if (output.type === 'chunk') chunks.set(output.fileName, output);
      }
      for (const [fileName, entry] of chunks) {
        if (!entry.isEntry) continue;
        const files = new Set<string>();
        const visit = (file: string) => {
          if (files.has(file)) return;
          files.add(file);
          for (const imported of chunks.get(file)?.imports ?? []) visit(imported);
        };
        visit(fileName);
        let gzipBytes = 0;
        let rawBytes = 0;
        for (const file of files) {
          const code = chunks.get(file)?.code ?? '';
          rawBytes += new TextEncoder().encode(code).length;
          gzipBytes += await gzipSize(code);
        }
        // A page without scripts (CSS only) still has an empty entry chunk, which Vite drops later.
        if (rawBytes === 0) continue;
        const kb = (bytes: number) => (bytes / 1000).toFixed(1);
        const budget = budgetKb === undefined ? '' : ` (budget ${budgetKb} KB)`;
        console.log(
          `initial JS of ${entry.name}: ${kb(gzipBytes)} KB gzip, ${kb(rawBytes)} KB raw, ${files.size} file(s)${budget}`,
        );
        if (budgetKb !== undefined && gzipBytes > budgetKb * 1000) {
          this.error(
            `initial JS of ${entry.name} is ${kb(gzipBytes)} KB gzip, over its ${budgetKb} KB budget`,
          );
        }
      }
    },
  };
}

/** Gzip size with the web CompressionStream (no Node typings needed in this browser package). */
async function gzipSize(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}
