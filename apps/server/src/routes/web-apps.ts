import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

/** A built single-page app and the path it is served under. */
export interface WebApp {
  /** `/portal` or `/desk`. */
  prefix: string;
  /** Absolute path of its Vite `dist` folder. */
  distDir: string;
}

// Vite puts content-hashed files under assets/: they never change, so browsers may keep them a year.
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves a built app: its files as they are, and index.html for every other path under the prefix
 * without a file extension, so that client-side routes survive a reload. Missing files answer 404.
 */
export function webAppRoutes(webApp: WebApp) {
  const { prefix, distDir } = webApp;
  const routes = new Hono();
  routes.get(prefix, (c) => c.redirect(`${prefix}/`, 301));
  routes.use(`${prefix}/*`, async (c, next) => {
    await next();
    if (c.res.ok && !c.res.headers.has('Cache-Control')) {
      c.res.headers.set('Cache-Control', c.req.path.startsWith(`${prefix}/assets/`) ? IMMUTABLE : 'no-cache');
    }
  });
  routes.use(
    `${prefix}/*`,
    serveStatic({ root: distDir, rewriteRequestPath: (path) => path.slice(prefix.length) || '/' }),
  );
  routes.get(`${prefix}/*`, async (c) => {
    if (extname(c.req.path) !== '') return c.notFound();
    const html = await readFile(join(distDir, 'index.html'), 'utf8').catch(() => undefined);
    if (html === undefined) {
      return c.text(`${prefix} is not built: run "npm start" (which builds it) or "turbo run build"`, 503);
    }
    c.header('Cache-Control', 'no-cache');
    return c.html(html);
  });
  return routes;
}
