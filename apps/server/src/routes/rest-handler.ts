import type { AnyTRPCRouter } from '@trpc/server';
import { TRPCError } from '@trpc/server';
import { createOpenApiNodeHttpHandler } from 'trpc-to-openapi';

/** What the REST handler needs from the rest of the server. */
export interface RestHandlerOptions<TContext> {
  router: AnyTRPCRouter;
  /** Path prefix the REST routes live under (`/api/v1`). */
  endpoint: string;
  /** Builds a request's context; `request` is the one passed to the handler. */
  createContext: (request: Request) => Promise<TContext>;
  onError: (opts: { error: TRPCError; path?: string | undefined }) => void;
}

/** The parts of a Node response the REST adapter writes to. */
interface ResponseShim {
  statusCode: number;
  setHeader(name: string, value: string | readonly string[]): void;
  end(body?: string): void;
}

type NodeHandler = (request: Request, response: ResponseShim) => Promise<void>;

/**
 * REST over the tRPC procedures, as trpc-to-openapi's fetch adapter does it but with its router
 * handler built once: the adapter's own fetch entry point rebuilds the handler, with its route table
 * of every procedure, for every request. The request handed to the adapter is a view of the original
 * with the endpoint cut from its URL and its JSON body parsed once; a POST without a body or a
 * content type (logout, accept) counts as `{}`.
 */
export function createRestHandler<TContext>(options: RestHandlerOptions<TContext>) {
  const contexts = new WeakMap<object, Request>();
  const handler = createOpenApiNodeHttpHandler({
    router: options.router,
    // The adapter's types name Node's request; what it receives here is the Request view below.
    createContext: ({ req }: { req: object }) => {
      const original = contexts.get(req);
      if (!original) throw new Error('REST request without its original');
      return options.createContext(original);
    },
    onError: options.onError,
  } as unknown as Parameters<typeof createOpenApiNodeHttpHandler>[0]) as unknown as NodeHandler;

  return async (request: Request): Promise<Response> => {
    const view = await requestView(request, options.endpoint);
    contexts.set(view, request);
    return new Promise<Response>((resolve, reject) => {
      const headers = new Headers();
      const response: ResponseShim = {
        statusCode: 200,
        setHeader(name, value) {
          if (typeof value === 'string') headers.set(name, value);
          else for (const item of value) headers.append(name, item);
        },
        end(body) {
          resolve(new Response(body ?? null, { status: response.statusCode, headers }));
        },
      };
      handler(view, response).catch(reject);
    });
  };
}

type ParsedBody = { ok: true; value: unknown } | { ok: false; cause: unknown };

/** The request as the adapter reads it: URL without the endpoint, body parsed. */
async function requestView(request: Request, endpoint: string): Promise<Request> {
  const url = request.url.replace(endpoint, '');
  let body: ParsedBody = { ok: true, value: undefined };
  let contentType = request.headers.get('content-type');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const text = await request.text();
    if (contentType === null && text.length === 0) {
      contentType = 'application/json';
      body = { ok: true, value: {} };
    } else if (contentType?.includes('application/json')) {
      try {
        body = { ok: true, value: JSON.parse(text) };
      } catch (cause) {
        body = { ok: false, cause };
      }
    } else {
      body = { ok: true, value: text };
    }
  }
  const headers =
    contentType === request.headers.get('content-type')
      ? request.headers
      : new Headers([...request.headers, ['content-type', contentType ?? '']]);
  return new Proxy(request, {
    get(target, property) {
      if (property === 'url') return url;
      if (property === 'headers') return headers;
      if (property === 'body') {
        if (!body.ok)
          throw new TRPCError({
            code: 'PARSE_ERROR',
            message: 'Failed to parse request body',
            cause: body.cause,
          });
        return body.value;
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
