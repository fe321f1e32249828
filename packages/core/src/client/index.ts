// @atum-desk/core/client: the typed client for the ATUM DESK API, and the shared domain schemas.
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../server/trpc/router.ts';

export * from '../domain/index.ts';
export type { AppRouter };

export interface AtumClientOptions {
  /** Where ATUM DESK runs, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** A session token from `auth.login`; omit in a browser, where the session cookie is sent instead. */
  token?: string | (() => string | undefined);
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

/** A client with one typed method per procedure: `client.tickets.create.mutate({...})`. */
export function createAtumClient(options: AtumClientOptions) {
  const base = options.url.replace(/\/$/, '');
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${base}/trpc`,
        transformer: superjson,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        headers() {
          const token = typeof options.token === 'function' ? options.token() : options.token;
          return token ? { authorization: `Bearer ${token}` } : {};
        },
      }),
    ],
  });
}

/** The client's type. */
export type AtumClient = ReturnType<typeof createAtumClient>;

/** The HTTP status of a failed call, if the server answered. */
export function errorStatus(error: unknown): number | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data = error.data as { httpStatus?: number } | undefined;
  return data?.httpStatus;
}
