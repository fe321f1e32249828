import type { Config, Logger, MikroORM } from '@atum-desk/core/server';
import { appRouter, createContextFactory } from '@atum-desk/core/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Context as HonoContext } from 'hono';
import { Hono } from 'hono';
import { generateOpenApiDocument } from 'trpc-to-openapi';
import { clientIp } from '../middleware/client-ip.ts';
import { createRestHandler } from './rest-handler.ts';

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
  // Both adapters share one context factory, so a session validated by one is remembered for both.
  const createContext = createContextFactory(deps, { sessionHints: true });
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
  const restRequests = new WeakMap<Request, { resHeaders: Headers; ip: string | null }>();
  const rest = createRestHandler({
    router: appRouter,
    endpoint: '/api/v1',
    createContext: (req) => {
      const facts = restRequests.get(req);
      if (!facts) throw new Error('REST request without its facts');
      return createContext({ req, resHeaders: facts.resHeaders, ip: facts.ip });
    },
    onError,
  });
  routes.all('/api/v1/*', async (c) => {
    // The REST adapter builds its own response; headers the procedures add (cookies, Retry-After) are
    // collected here and merged into it.
    const resHeaders = new Headers();
    restRequests.set(c.req.raw, { resHeaders, ip: clientIp(c) });
    const response = await rest(c.req.raw);
    resHeaders.forEach((value, name) => {
      if (name !== 'set-cookie') response.headers.set(name, value);
    });
    for (const cookie of resHeaders.getSetCookie()) response.headers.append('set-cookie', cookie);
    return response;
  });
  return routes;
}
