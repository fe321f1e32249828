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

// What a built app serves as files. A missing one of these is a 404, not the page; any other path is a
// client-side route, even with a dot in it (a CSAT link's token is `<id>.<signature>`).
const STATIC_EXTENSIONS = new Set([
  'js',
  'mjs',
  'css',
  'map',
  'json',
  'html',
  'txt',
  'xml',
  'webmanifest',
  'svg',
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'avif',
  'ico',
  'woff',
  'woff2',
  'ttf',
  'otf',
]);

/**
 * Serves a built app: its files as they are, and index.html for every other path under the prefix
 * that is not a web asset's name, so that client-side routes survive a reload. Missing files answer 404.
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
    if (STATIC_EXTENSIONS.has(extname(c.req.path).slice(1).toLowerCase())) return c.notFound();
    // No route of the apps climbs folders or hides a slash: such a path is a probe, not a page.
    if (/\.\.|%2f|%5c/i.test(c.req.path)) return c.notFound();
    const html = await readFile(join(distDir, 'index.html'), 'utf8').catch(() => undefined);
    if (html === undefined) {
      return c.text(`${prefix} is not built: run "npm start" (which builds it) or "turbo run build"`, 503);
    }
    c.header('Cache-Control', 'no-cache');
    return c.html(html);
  });
  return routes;
}
