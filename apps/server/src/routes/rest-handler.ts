import {
  type AnyTRPCProcedure,
  type AnyTRPCRouter,
  callTRPCProcedure,
  getTRPCErrorShape,
  TRPCError,
} from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { z } from 'zod';
import { jsonText } from './json-text.ts';

// REST over the tRPC procedures: every procedure with `meta.openapi` answers at its method and path
// under the endpoint, with the request and error formats of trpc-to-openapi (which also generates the
// OpenAPI document from the same meta, routes/api.ts). The adapter that package ships is not used on
// the request path: it builds a fetch-style request view, a caller proxy and the input schema's
// wrappers for every request, about 0.3 ms of CPU per request here (docs/PERFORMANCE.md); this table is
// built once. What a request sees is the same:
//
// - the first procedure whose method matches and whose path matches, `{name}` segments captured as
//   they appear in the URL; none: 404 (a HEAD: 204, for warm-up probes);
// - a method with a body (not GET, DELETE) must say `Content-Type: application/json`, else 415; an
//   empty body without a content type counts as `{}` (logout, accept);
// - input: the JSON body, or the query string (a repeated key is an array; a single value of an array
//   field becomes a one-element array; number, boolean, bigint and date fields are coerced from text),
//   with the path's captures on top;
// - answers: 200 with the procedure's output as JSON; errors as tRPC's error shape with `message`
//   ("Input validation failed" and the zod `issues` for a bad input), `code` (the tRPC code) and the
//   status of that code.

/** What the REST handler needs from the rest of the server. */
export interface RestHandlerOptions<TContext> {
  router: AnyTRPCRouter;
  /** Path prefix the REST routes live under (`/api/v1`). */
  endpoint: string;
  /** Builds a request's context; `request` is the one passed to the handler. */
  createContext: (request: Request) => Promise<TContext>;
  onError: (opts: { error: TRPCError; path?: string | undefined }) => void;
}

type ProcedureType = 'query' | 'mutation';

/** What the handler needs of a procedure's input schema, worked out once. */
interface InputShape {
  /** The procedure takes no input (void, undefined or never): nothing is read. */
  none: boolean;
  /** The unwrapped input schema, when it is an object: its fields can be coerced from query text. */
  object: z.ZodObject | null;
  /** Fields that are arrays (or optional arrays): a single query value becomes a one-element array. */
  arrayFields: ReadonlySet<string>;
}

interface RestRoute {
  pattern: RegExp;
  /** The procedure's path in the router (`tickets.get`). */
  path: string;
  type: ProcedureType;
  input: InputShape;
  /** Whether the input's fields were set to coerce (done on the route's first request). */
  coerced: boolean;
}

/** A zod schema's kind, from its definition. */
function kindOf(schema: unknown): string | undefined {
  return (schema as { _zod?: { def?: { type?: string } } } | undefined)?._zod?.def?.type;
}

/** The schema inside wrappers that do not change what a request carries (as trpc-to-openapi reads it). */
function unwrap(schema: z.ZodType, throughPipes: boolean): z.ZodType {
  const def = schema._zod.def as unknown as Record<string, unknown>;
  switch (def.type) {
    case 'array':
      return unwrap(def.element as z.ZodType, throughPipes);
    case 'enum':
      return z.string();
    case 'nullable':
    case 'optional':
    case 'default':
    case 'prefault':
      return unwrap(def.innerType as z.ZodType, throughPipes);
    case 'lazy':
      return unwrap((def.getter as () => z.ZodType)(), throughPipes);
    case 'pipe':
      if (!throughPipes) return schema;
      return kindOf(def.out) === 'transform'
        ? unwrap(def.in as z.ZodType, throughPipes)
        : unwrap(def.out as z.ZodType, throughPipes);
    default:
      return schema;
  }
}

const COERCIBLE = new Set(['number', 'boolean', 'bigint', 'date']);

/** Sets the number, boolean, bigint and date fields of an object schema (and of its objects) to coerce. */
function coerceFields(schema: z.ZodObject): void {
  for (const field of Object.values(schema.shape)) {
    const inner = unwrap(field as z.ZodType, false);
    if (COERCIBLE.has(kindOf(inner) ?? '')) (inner._zod.def as { coerce?: boolean }).coerce = true;
    else if (kindOf(inner) === 'object') coerceFields(inner as z.ZodObject);
  }
}

function inputShapeOf(path: string, procedure: AnyTRPCProcedure): InputShape {
  const inputs = procedure._def.inputs.map((parser) => {
    if (!(parser instanceof z.ZodType))
      throw new Error(`REST procedure ${path}: its input is not a zod schema`);
    return parser;
  });
  const parser =
    inputs.length === 0
      ? z.object({})
      : inputs.length === 1
        ? (inputs[0] as z.ZodType)
        : inputs.reduce<z.ZodObject>(
            (merged, next) => merged.extend((next as z.ZodObject).shape),
            z.object({}),
          );
  const unwrapped = unwrap(parser, true);
  const kind = kindOf(unwrapped);
  const object = kind === 'object' ? (unwrapped as z.ZodObject) : null;
  const arrayFields = new Set<string>();
  for (const [name, field] of Object.entries(object?.shape ?? {})) {
    const schema = field as z.ZodType;
    const inner = kindOf(schema) === 'optional' ? (schema as z.ZodOptional).unwrap() : schema;
    if (kindOf(inner) === 'array') arrayFields.add(name);
  }
  return { none: kind === 'void' || kind === 'undefined' || kind === 'never', object, arrayFields };
}

/** `/a/b/` and `a/b` alike as `/a/b`. */
function normalizePath(path: string): string {
  return `/${path.replace(/^\/|\/$/g, '')}`;
}

/** Every REST procedure of the router, by method, in the router's order. */
function routeTable(router: AnyTRPCRouter): Map<string, RestRoute[]> {
  const table = new Map<string, RestRoute[]>();
  const procedures = router._def.procedures as Record<string, AnyTRPCProcedure>;
  for (const [path, procedure] of Object.entries(procedures)) {
    const openapi = (procedure._def.meta as { openapi?: { method: string; path: string; enabled?: boolean } })
      ?.openapi;
    const type = procedure._def.type;
    if (!openapi || openapi.enabled === false || type === 'subscription') continue;
    const pattern = new RegExp(
      `^${normalizePath(openapi.path).replace(/\{(.+?)\}/g, (_, name: string) => `(?<${name}>[^/]+)`)}$`,
      'i',
    );
    const routes = table.get(openapi.method) ?? [];
    routes.push({ pattern, path, type, input: inputShapeOf(path, procedure), coerced: false });
    table.set(openapi.method, routes);
  }
  return table;
}

/** The query string as the procedures read it: a repeated key is an array, a single value a string. */
function queryInput(url: URL, arrayFields: ReadonlySet<string>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    input[key] = values.length === 1 && !arrayFields.has(key) ? values[0] : values;
  }
  return input;
}

type Body = { ok: true; value: unknown } | { ok: false; cause: unknown };

function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : jsonText(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

export function createRestHandler<TContext>(options: RestHandlerOptions<TContext>) {
  const { router } = options;
  const table = routeTable(router);
  const endpoint = normalizePath(options.endpoint);

  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = normalizePath(
      url.pathname.startsWith(endpoint) ? url.pathname.slice(endpoint.length) : url.pathname,
    );
    const method = request.method;
    let route: RestRoute | undefined;
    let match: RegExpExecArray | null = null;
    for (const candidate of table.get(method) ?? []) {
      match = candidate.pattern.exec(path);
      if (match) {
        route = candidate;
        break;
      }
    }
    let input: unknown;
    let ctx: TContext | undefined;
    try {
      if (!route) {
        if (method === 'HEAD') return jsonResponse(204, undefined);
        throw new TRPCError({ code: 'NOT_FOUND', message: 'Not found' });
      }
      const hasBody = method !== 'GET' && method !== 'DELETE';
      if (hasBody) {
        const text = await request.text();
        let contentType = request.headers.get('content-type');
        let body: Body;
        if (contentType === null && text.length === 0) {
          contentType = 'application/json';
          body = { ok: true, value: {} };
        } else {
          try {
            body = { ok: true, value: JSON.parse(text) };
          } catch (cause) {
            body = { ok: false, cause };
          }
        }
        if (!contentType?.startsWith('application/json')) {
          throw new TRPCError({
            code: 'UNSUPPORTED_MEDIA_TYPE',
            message: contentType ? `Unsupported content-type "${contentType}` : 'Missing content-type header',
          });
        }
        if (!route.input.none) {
          if (!body.ok)
            throw new TRPCError({
              code: 'PARSE_ERROR',
              message: 'Failed to parse request body',
              cause: body.cause,
            });
          input = { ...(body.value as object), ...match?.groups };
        }
      } else if (!route.input.none) {
        input = { ...queryInput(url, route.input.arrayFields), ...match?.groups };
      }
      if (route.input.object && !route.coerced) {
        coerceFields(route.input.object);
        route.coerced = true;
      }
      ctx = await options.createContext(request);
      const data: unknown = await callTRPCProcedure({
        router,
        path: route.path,
        type: route.type,
        ctx,
        getRawInput: async () => input,
        signal: undefined,
        batchIndex: 0,
      });
      return jsonResponse(200, data);
    } catch (cause) {
      const error = errorFromUnknown(cause);
      options.onError({ error, path: route?.path });
      const shape = getTRPCErrorShape({
        config: router._def._config,
        error,
        type: route?.type ?? 'unknown',
        path: route?.path,
        input,
        ctx,
      }) as { message?: string };
      const invalidInput =
        error.code === 'BAD_REQUEST' && error.cause instanceof Error && error.cause.name === 'ZodError';
      return jsonResponse(getHTTPStatusCodeFromError(error), {
        ...shape,
        message: invalidInput ? 'Input validation failed' : (shape.message ?? error.message),
        code: error.code,
        issues: invalidInput ? (error.cause as unknown as { issues: unknown }).issues : undefined,
      });
    }
  };
}

/** A thrown value as a TRPCError: itself, or an internal error that keeps it as cause and stack. */
function errorFromUnknown(cause: unknown): TRPCError {
  if (cause instanceof Error && cause.name === 'TRPCError') return cause as TRPCError;
  const error = new TRPCError({
    code: 'INTERNAL_SERVER_ERROR',
    message: 'Internal server error',
    cause: cause instanceof Error ? cause : undefined,
  });
  if (cause instanceof Error && cause.stack) error.stack = cause.stack;
  return error;
}
