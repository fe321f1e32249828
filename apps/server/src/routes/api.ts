import type { Config, Logger, MikroORM } from '@atum-desk/core/server';
import { appRouter, createContextFactory } from '@atum-desk/core/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Context as HonoContext } from 'hono';
import { Hono } from 'hono';
import { createOpenApiFetchHandler, generateOpenApiDocument } from 'trpc-to-openapi';
import { clientIp } from '../middleware/client-ip.ts';

export interface ApiDependencies {
  orm: MikroORM;
  config: Config;
  logger: Logger;
  version: string;
}

/**
 * The API twice over, from the same procedures: tRPC at `/trpc` (the web apps and the typed client) and
 * REST at `/api/v1` (integrations, curl), with its OpenAPI document at `/api/v1/openapi.json`.
 */
export function apiRoutes(deps: ApiDependencies) {
  const createContext = createContextFactory(deps);
  const contextFor = (c: HonoContext) => (opts: { req: Request; resHeaders: Headers }) =>
    createContext({ ...opts, ip: clientIp(c) });
  const onError = ({
    error,
    path,
  }: {
    error: { code: string; cause?: unknown };
    path?: string | undefined;
  }) => {
    if (error.code === 'INTERNAL_SERVER_ERROR')
      deps.logger.error({ err: error.cause ?? error, path }, 'procedure failed');
  };
  const openApiDocument = generateOpenApiDocument(appRouter, {
    title: 'ATUM DESK API',
    version: deps.version,
    baseUrl: `${deps.config.publicUrl}/api/v1`,
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
  });

  const routes = new Hono();
  routes.all('/trpc/*', (c) =>
    fetchRequestHandler({
      endpoint: '/trpc',
      req: c.req.raw,
      router: appRouter,
      createContext: contextFor(c),
      onError,
    }),
  );
  routes.get('/api/v1/openapi.json', (c) => c.json(openApiDocument));
  routes.all('/api/v1/*', async (c) => {
    // The REST adapter builds its own response; headers the procedures add (cookies, Retry-After) are
    // collected here and merged into it.
    const resHeaders = new Headers();
    const response = await createOpenApiFetchHandler({
      endpoint: '/api/v1',
      req: await withJsonBody(c.req.raw),
      router: appRouter,
      createContext: () => createContext({ req: c.req.raw, resHeaders, ip: clientIp(c) }),
      onError,
    });
    const headers = new Headers(response.headers);
    resHeaders.forEach((value, name) => {
      if (name !== 'set-cookie') headers.set(name, value);
    });
    for (const cookie of resHeaders.getSetCookie()) headers.append('set-cookie', cookie);
    return new Response(response.body, { status: response.status, headers });
  });
  return routes;
}

/**
 * A POST without a body (logout, accept) is a complete request; the REST adapter wants JSON for every
 * POST, so an empty body without a content type becomes `{}`.
 */
async function withJsonBody(req: Request): Promise<Request> {
  if (req.method === 'GET' || req.method === 'HEAD' || req.headers.get('content-type')) return req;
  const body = await req.text();
  if (body.length > 0) return new Request(req, { body });
  const headers = new Headers(req.headers);
  headers.set('content-type', 'application/json');
  return new Request(req.url, { method: req.method, headers, body: '{}' });
}
