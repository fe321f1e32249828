import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Config, type Logger, type MikroORM, openOrm, StartupError } from '@atum-desk/core/server';
import { serve } from '@hono/node-server';
import packageJson from '../package.json' with { type: 'json' };
import { createApp } from './app.ts';
import { type Realtime, type RealtimeOptions, startRealtime } from './realtime/ws.ts';
import type { WebApp } from './routes/web-apps.ts';

/** The version reported by `/api/health`. */
export const VERSION: string = packageJson.version;

/** The web apps of this checkout, built by `turbo run build` into their dist folders. */
export const WEB_APPS: WebApp[] = [
  { prefix: '/portal', distDir: fileURLToPath(new URL('../../portal/dist/', import.meta.url)) },
  { prefix: '/desk', distDir: fileURLToPath(new URL('../../desk/dist/', import.meta.url)) },
];

/** How long in-flight requests may take to finish once shutdown begins. */
const DRAIN_TIMEOUT_MS = 10_000;

export interface RunningServer {
  /** The port actually bound (useful with PORT=0). */
  port: number;
  url: string;
  orm: MikroORM;
  /** Live updates: the WebSocket at `/ws` and this process's database listener. */
  realtime: Realtime;
  /** Stops accepting connections, lets in-flight requests finish, closes the database pool. */
  close(): Promise<void>;
}

/** Connects to the database and listens on HOST:PORT. The database must already be migrated. */
export async function startServer(
  config: Config,
  databaseUrl: string,
  logger: Logger,
  options: { realtime?: RealtimeOptions } = {},
): Promise<RunningServer> {
  const orm = await openOrm(databaseUrl, { poolSize: config.databasePoolSize });
  const app = createApp({ orm, config, logger, version: VERSION, webApps: WEB_APPS });
  let server: ReturnType<typeof serve>;
  let realtime: Realtime | undefined;
  try {
    realtime = await startRealtime({ orm, config, logger, databaseUrl }, options.realtime);
    const upgrades = realtime;
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const listening = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () =>
        resolve(listening),
      );
      upgrades.attach(listening);
      listening.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'EADDRINUSE'
            ? new StartupError(`port ${config.port} on ${config.host} is already in use (PORT, HOST)`)
            : error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL'
              ? new StartupError(
                  `cannot listen on ${config.host}:${config.port} (${error.code}) (PORT, HOST)`,
                )
              : error,
        );
      });
    });
  } catch (error) {
    await realtime?.close();
    await orm.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://${host}:${port}`,
    orm,
    realtime,
    close() {
      closing ??= (async () => {
        // Sockets first: an upgraded connection would otherwise hold the HTTP drain open.
        await realtime.close();
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => {
            if ('closeAllConnections' in server) server.closeAllConnections();
            resolve();
          }, DRAIN_TIMEOUT_MS);
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        });
        await orm.close();
      })();
      return closing;
    },
  };
}
