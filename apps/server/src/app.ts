import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config, Logger, MikroORM } from '@atum-desk/core/server';
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { admission } from './middleware/admission.ts';
import { jsonBody } from './middleware/json-body.ts';
import { originCheck } from './middleware/origin-check.ts';
import { type RequestLoggerVariables, requestLogger } from './middleware/request-logger.ts';
import { apiRoutes } from './routes/api.ts';
import { attachmentRoutes } from './routes/attachments.ts';
import { healthRoutes } from './routes/health.ts';
import { type WebApp, webAppRoutes } from './routes/web-apps.ts';

export interface AppDependencies {
  orm: MikroORM;
  config: Config;
  logger: Logger;
  version: string;
  /** The built portal and desk. */
  webApps: WebApp[];
}

type AppEnv = { Variables: RequestLoggerVariables; Bindings: Partial<HttpBindings> };

/** The HTTP application: one middleware per concern, then the routes (STYLE: the path of a request). */
export function createApp(deps: AppDependencies) {
  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.use(requestLogger(deps.logger));
  app.route('/api', healthRoutes(deps.orm, deps.version));
  app.use('/trpc/*', originCheck(deps.config.publicUrl));
  app.use('/api/v1/*', originCheck(deps.config.publicUrl));
  // A JSON request is received whole, then waits for a place among the requests running: at most
  // twice as many as the process has database connections, enough to keep every connection busy while
  // the others run their JavaScript (middleware/admission.ts). Multipart uploads stream to disk under
  // their own limit (ATUM_MAX_UPLOAD_BYTES) and are not counted: they wait on the client, not the pool.
  const wholeJson = jsonBody<AppEnv>();
  const admitted = admission<AppEnv>(2 * deps.config.databasePoolSize);
  const upload = (c: Context) => c.req.header('content-type')?.startsWith('multipart/form-data') === true;
  app.use('/trpc/*', wholeJson, admitted);
  app.use('/api/v1/*', (c, next) => (upload(c) ? next() : wholeJson(c, next)));
  app.use('/api/v1/*', (c, next) => (upload(c) ? next() : admitted(c, next)));
  // Multipart uploads and byte downloads; before the REST catch-all, which would take /api/v1/* first.
  app.route('/', attachmentRoutes(deps));
  app.route('/', apiRoutes(deps));
  for (const webApp of deps.webApps) app.route('/', webAppRoutes(webApp));
  // The landing page: static HTML built with the portal (apps/portal/landing.html), no JavaScript.
  app.get('/', async (c) => {
    const portal = deps.webApps.find((webApp) => webApp.prefix === '/portal');
    const html = portal
      ? await readFile(join(portal.distDir, 'landing.html'), 'utf8').catch(() => undefined)
      : undefined;
    if (html === undefined) {
      return c.text(
        'the landing page is not built: run "npm start" (which builds it) or "turbo run build"',
        503,
      );
    }
    c.header('Cache-Control', 'no-cache');
    return c.html(html);
  });
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: 'no such route' } }, 404));
  app.onError((error, c) => {
    // A 500 never shows its cause to the client; the log has it, under the request id.
    c.get('logger').error({ err: error }, 'unhandled error');
    return c.json(
      { error: { code: 'INTERNAL', message: 'internal error', requestId: c.get('requestId') } },
      500,
    );
  });
  return app;
}
