import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  appRouter,
  type Config,
  type Context,
  createContextFactory,
  createRealtimeHub,
  type Logger,
  liveSessionIds,
  type MikroORM,
  type RealtimeHub,
  SESSION_COOKIE,
} from '@atum-desk/core/server';
import { applyWSSHandler, type CreateWSSContextFnOptions } from '@trpc/server/adapters/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { clientAddress } from '../middleware/client-ip.ts';

// Live updates (issue #7): tRPC subscriptions over a WebSocket on the HTTP server's own port, at /ws.
// The session comes from the cookie the browser sends with the upgrade, or from a token in tRPC's
// `connectionParams` (the connection's first message, so it never appears in a URL or a log).

/** Where the WebSocket is served. */
export const WS_PATH = '/ws';

export interface RealtimeOptions {
  /** How often the sessions behind open sockets are checked; a socket whose session ended closes. Default 60 s. */
  sessionCheckMs?: number;
  /** How often sockets are pinged; one that missed the previous ping is dropped. Default 30 s. */
  heartbeatMs?: number;
  /** How long clients get to move to another process before their sockets are closed at shutdown. Default 1 s. */
  shutdownGraceMs?: number;
}

export interface RealtimeDependencies {
  orm: MikroORM;
  config: Config;
  logger: Logger;
  databaseUrl: string;
}

/** Something that emits the HTTP `upgrade` event: the Node HTTP server. */
export interface UpgradeSource {
  on(event: 'upgrade', listener: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown;
}

/** The live updates of one server process. */
export interface Realtime {
  hub: RealtimeHub;
  /** Serves `/ws` on this HTTP server. */
  attach(server: UpgradeSource): void;
  /** Open WebSocket connections. */
  readonly connections: number;
  /** Asks clients to reconnect (to another process), closes every socket, stops the database listener. */
  close(): Promise<void>;
}

/** Close code of a socket whose session ended (signed out, expired, deactivated). */
export const SESSION_ENDED_CLOSE_CODE = 4401;

/** Starts listening for ticket events; call `attach` with the HTTP server once it exists. */
export async function startRealtime(
  deps: RealtimeDependencies,
  options: RealtimeOptions = {},
): Promise<Realtime> {
  const { logger } = deps;
  const hub = createRealtimeHub({ databaseUrl: deps.databaseUrl, logger });
  await hub.start();

  const createContext = createContextFactory(deps);
  const publicOrigin = new URL(deps.config.publicUrl).origin;
  // Clients send only small subscription messages; anything large is not one of ours.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  /** The session behind each signed-in socket, to close it when the session ends. */
  const sessions = new Map<WebSocket, string>();
  const alive = new WeakSet<WebSocket>();
  let closing: Promise<void> | undefined;

  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: (opts) => connectionContext(opts),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        logger.error({ err: error.cause ?? error, path }, 'live update failed');
    },
  });

  async function connectionContext({ req, res, info }: CreateWSSContextFnOptions): Promise<Context> {
    // A connectionParams token wins over the cookie; either way the ordinary session lookup decides.
    const headers = new Headers();
    const token = info.connectionParams?.token;
    if (token) headers.set('authorization', `Bearer ${token}`);
    else {
      if (req.headers.authorization) headers.set('authorization', req.headers.authorization);
      if (req.headers.cookie) headers.set('cookie', req.headers.cookie);
    }
    if (req.headers['user-agent']) headers.set('user-agent', req.headers['user-agent']);
    const context = await createContext({
      req: new Request(`http://localhost${WS_PATH}`, { headers }),
      // Nothing reaches a response over a socket (a renewed cookie comes with the next HTTP request).
      resHeaders: new Headers(),
      ip: clientAddress(req.socket.remoteAddress, {
        get: (name: string) => {
          const value = req.headers[name];
          return Array.isArray(value) ? (value.at(-1) ?? null) : (value ?? null);
        },
      }),
    });
    if (context.auth && res.readyState === res.OPEN) sessions.set(res, context.auth.session.id);
    return { ...context, realtime: hub };
  }

  wss.on('connection', (socket) => {
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
    socket.once('close', () => sessions.delete(socket));
  });

  // Protocol-level pings, answered by every browser and WebSocket library without any code of theirs.
  const heartbeat = setInterval(() => {
    for (const socket of wss.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  // One query for every signed-in socket of the process. Logging out, deactivating a user or changing
  // their role ends their sessions (SPEC §8); their sockets close within one interval.
  const sessionCheck = setInterval(() => {
    if (sessions.size === 0) return;
    const checked = new Set(sessions.values());
    liveSessionIds(deps.orm.em.fork(), [...checked]).then(
      (live) => {
        for (const [socket, sessionId] of sessions) {
          // A socket that opened while the query ran was not asked about.
          if (checked.has(sessionId) && !live.has(sessionId)) {
            sessions.delete(socket);
            socket.close(SESSION_ENDED_CLOSE_CODE, 'session ended');
          }
        }
      },
      (error: unknown) => logger.warn({ err: error }, 'live updates: checking sessions failed'),
    );
  }, options.sessionCheckMs ?? 60_000);
  sessionCheck.unref();

  /**
   * Cookie-authenticated upgrades must come from our own pages (the Origin check of mutations, applied
   * to the socket: a page elsewhere must not open a socket that carries our user's cookie).
   * Token-authenticated ones carry no ambient credential.
   */
  function originAllowed(req: IncomingMessage): boolean {
    const usesCookie =
      !req.headers.authorization && (req.headers.cookie ?? '').includes(`${SESSION_COOKIE}=`);
    if (!usesCookie) return true;
    const origin = req.headers.origin;
    if (!origin) return false;
    if (origin === publicOrigin) return true;
    // The origin the request was addressed to. Behind a TLS proxy the scheme seen here is http, so the
    // host decides.
    return URL.canParse(origin) && new URL(origin).host === req.headers.host;
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node leaves an upgrading socket without an error listener; a reset here must not end the process
    // (ws takes over error handling once it has the socket).
    socket.on('error', destroySocket);
    const path = (req.url ?? '/').split('?')[0];
    if (path !== WS_PATH) refuse(socket, 404, 'Not Found');
    else if (closing) refuse(socket, 503, 'Service Unavailable');
    else if (!originAllowed(req)) refuse(socket, 403, 'Forbidden');
    else {
      socket.removeListener('error', destroySocket);
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    }
  }

  return {
    hub,
    attach(server) {
      server.on('upgrade', onUpgrade);
    },
    get connections() {
      return wss.clients.size;
    },
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        clearInterval(sessionCheck);
        // tRPC clients open a new socket (behind a load balancer, to another process), move their
        // subscriptions there and close this one themselves.
        handler.broadcastReconnectNotification();
        await allClosed(wss, options.shutdownGraceMs ?? 1000);
        for (const socket of wss.clients) socket.close(1001, 'server shutting down');
        if (!(await allClosed(wss, 1000))) for (const socket of wss.clients) socket.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await hub.close();
      })();
      return closing;
    },
  };
}

/** Waits until no socket is left, at most `ms`; whether none is. */
async function allClosed(wss: WebSocketServer, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 20));
  return wss.clients.size === 0;
}

function destroySocket(this: Duplex): void {
  this.destroy();
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
