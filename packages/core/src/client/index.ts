// @atum-desk/core/client: the typed client for the ATUM DESK API, and the shared domain schemas.
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  TRPCClientError,
  type TRPCLink,
  wsLink,
} from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../server/trpc/router.ts';

export * from '../domain/index.ts';
export type { PresenceEntry, PresenceState } from '../server/realtime/presence.ts';
export type { LiveEvent, LiveResyncEvent, LiveTicketEvent } from '../server/realtime/ticket-notification.ts';
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
  return buildClient(options, null);
}

/** The client's type. */
export type AtumClient = ReturnType<typeof createAtumClient>;

export interface AtumLiveOptions {
  /** The WebSocket endpoint; default: `url` with `ws(s)://` and `/ws`. */
  url?: string;
  /** A WebSocket class, for runtimes without a global one (Node 22+ and browsers have it). */
  WebSocket?: typeof WebSocket;
  /** Milliseconds before reconnect attempt `n` (0-based); default {@link liveReconnectDelay}. */
  retryDelayMs?: (attempt: number) => number;
  /** The socket opened (also after a reconnect). */
  onOpen?: () => void;
  /** The socket closed; the client reconnects by itself while it has subscriptions. */
  onClose?: (cause?: { code?: number }) => void;
}

export interface AtumRealtimeClientOptions extends AtumClientOptions {
  live?: AtumLiveOptions;
}

/** A typed client whose subscriptions go over the WebSocket, and a way to close that socket. */
export interface AtumRealtimeClient {
  /** Queries and mutations over HTTP (`/trpc`), subscriptions over the WebSocket (`/ws`). */
  client: AtumClient;
  /** Ends every subscription and closes the socket. */
  close(): Promise<void>;
}

/**
 * 0–0.5 s, then 1 s doubling to 30 s, each between half and all of that: a server that restarts under
 * many clients is not met by all of them at the same instant.
 */
export function liveReconnectDelay(attempt: number): number {
  const ceiling = attempt === 0 ? 500 : Math.min(30_000, 1000 * 2 ** (attempt - 1));
  return ceiling * (attempt === 0 ? Math.random() : 0.5 + Math.random() / 2);
}

/**
 * A client for live updates: `client.events.onTicketEvent.subscribe({}, { onData })`. The session is the
 * browser's cookie, or `token` (sent as the connection's first message, never in the URL). Reconnects
 * with backoff and resubscribes by itself; after a reconnect the stream starts with `resync`.
 */
export function createAtumRealtimeClient(options: AtumRealtimeClientOptions): AtumRealtimeClient {
  const live = options.live ?? {};
  const wsUrl = live.url ?? `${options.url.replace(/\/$/, '').replace(/^http/, 'ws')}/ws`;
  const hasToken = options.token !== undefined;
  const wsClient = createWSClient({
    url: wsUrl,
    ...(live.WebSocket ? { WebSocket: live.WebSocket } : {}),
    ...(hasToken
      ? {
          connectionParams: () => {
            const token = typeof options.token === 'function' ? options.token() : options.token;
            return token ? { token } : null;
          },
        }
      : {}),
    retryDelayMs: live.retryDelayMs ?? liveReconnectDelay,
    // A socket that went quiet without closing (a sleeping laptop, a dropped route) is noticed and
    // replaced instead of waiting for events that never come.
    keepAlive: { enabled: true, intervalMs: 20_000, pongTimeoutMs: 5_000 },
    ...(live.onOpen ? { onOpen: live.onOpen } : {}),
    ...(live.onClose ? { onClose: live.onClose } : {}),
  });
  const client = buildClient(options, wsLink<AppRouter>({ client: wsClient, transformer: superjson }));
  return { client, close: () => wsClient.close() };
}

function buildClient(options: AtumClientOptions, subscriptions: TRPCLink<AppRouter> | null) {
  const base = options.url.replace(/\/$/, '');
  const http = httpBatchLink<AppRouter>({
    url: `${base}/trpc`,
    transformer: superjson,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers() {
      const token = typeof options.token === 'function' ? options.token() : options.token;
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
  return createTRPCClient<AppRouter>({
    links: subscriptions
      ? [splitLink({ condition: (op) => op.type === 'subscription', true: subscriptions, false: http })]
      : [http],
  });
}

/** The HTTP status of a failed call, if the server answered. */
export function errorStatus(error: unknown): number | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data = error.data as { httpStatus?: number } | undefined;
  return data?.httpStatus;
}
