import { type TrackedEnvelope, tracked } from '@trpc/server';
import pg from 'pg';
import type { Scope } from '../auth/scope.ts';
import { newId } from '../db/ids.ts';
import { canSeeTicketEvent } from '../db/scoped.ts';
import type { Logger } from '../logging/logger.ts';
import {
  createPresenceMap,
  PRESENCE_CHANNEL,
  type PresenceMap,
  parsePresenceNotification,
} from './presence.ts';
import {
  type LiveEvent,
  type LiveResyncEvent,
  parseTicketNotification,
  TICKET_EVENTS_CHANNEL,
  type TicketNotification,
  toLiveEvent,
} from './ticket-notification.ts';

// One per server process: a dedicated PostgreSQL connection (outside the ORM pool, which would hand it
// to a request) that LISTENs on the ticket events channel, and fans each notification out to the
// subscribers of this process that may see it. Every process listens, so behind a load balancer each
// one delivers every event to its own sockets. The same connection LISTENs on the presence channel and
// keeps this process's copy of who is on which ticket (`presence.ts`).

/** A live event with the id a client resumes from (tRPC's `tracked`). */
export type TrackedLiveEvent = TrackedEnvelope<LiveEvent>;

export interface RealtimeHubOptions {
  databaseUrl: string;
  logger: Logger;
  /** Milliseconds before reconnect attempt `n` (0-based); default 100 ms doubling to 5 s, with jitter. */
  reconnectDelayMs?: (attempt: number) => number;
  /** How often the connection is checked by re-issuing its LISTEN; default 30 s. */
  checkIntervalMs?: number;
  /** Events a subscriber may have waiting before they are dropped for one `resync`; default 1000. */
  maxQueuedEvents?: number;
  /** Presence entries not refreshed for this long are dropped; default 30 s. */
  presenceTtlMs?: number;
}

export interface LiveStreamOptions {
  /** Only this ticket's events (a ticket page). */
  ticketId?: string | undefined;
  /** The client resumes after a reconnect and may have missed events: start with a `resync`. */
  resumed?: boolean;
  /** Ends the stream (the socket closed, the client unsubscribed). */
  signal?: AbortSignal | undefined;
}

/** The live ticket events of one server process. */
export interface RealtimeHub {
  /** The events `scope` may see, as they commit, until `signal` aborts or the hub closes. */
  stream(scope: Scope, options?: LiveStreamOptions): AsyncGenerator<TrackedLiveEvent, void>;
  /** Who is on which ticket, as heard on the presence channel. */
  readonly presence: PresenceMap;
  /** Subscribers of this process right now. */
  readonly subscriberCount: number;
  /** Whether the LISTEN connection is up. */
  readonly listening: boolean;
  /** Connects and LISTENs; rejects if the database cannot be reached. */
  start(): Promise<void>;
  /** Ends every stream and the LISTEN connection. */
  close(): Promise<void>;
}

interface Subscriber {
  accepts(notification: TicketNotification): boolean;
  push(event: TrackedLiveEvent): void;
  end(): void;
}

const DEFAULT_MAX_QUEUED = 1000;
const CHECK_TIMEOUT_MS = 10_000;

/** 100 ms doubling to 5 s, each between half and all of that (so restarted processes spread out). */
export function defaultReconnectDelay(attempt: number): number {
  return Math.min(5000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);
}

function resync(reason: LiveResyncEvent['reason']): TrackedLiveEvent {
  return tracked(newId(), { kind: 'resync', reason, at: new Date() });
}

/** Creates the hub of this process; `start()` it before serving. */
export function createRealtimeHub(options: RealtimeHubOptions): RealtimeHub {
  const { logger } = options;
  const reconnectDelay = options.reconnectDelayMs ?? defaultReconnectDelay;
  const maxQueued = options.maxQueuedEvents ?? DEFAULT_MAX_QUEUED;
  const subscribers = new Set<Subscriber>();
  const presence = createPresenceMap(options.presenceTtlMs ? { ttlMs: options.presenceTtlMs } : {});
  let expireTimer: NodeJS.Timeout | undefined;
  let client: pg.Client | null = null;
  let closed = false;
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let checkTimer: NodeJS.Timeout | undefined;

  function deliver(payload: string | undefined): void {
    const notification = payload ? parseTicketNotification(payload) : null;
    if (!notification) {
      logger.warn({ channel: TICKET_EVENTS_CHANNEL }, 'ignored a notification that is not a ticket event');
      return;
    }
    // Built once per notification, only if some subscriber takes it.
    let event: TrackedLiveEvent | undefined;
    for (const subscriber of subscribers) {
      if (!subscriber.accepts(notification)) continue;
      event ??= tracked(notification.id, toLiveEvent(notification));
      subscriber.push(event);
    }
  }

  function hearPresence(payload: string | undefined): void {
    const notification = payload ? parsePresenceNotification(payload) : null;
    if (notification) presence.apply(notification);
    else
      logger.warn(
        { channel: PRESENCE_CHANNEL },
        'ignored a notification that is not a presence announcement',
      );
  }

  function broadcastResync(reason: LiveResyncEvent['reason']): void {
    const event = resync(reason);
    for (const subscriber of subscribers) subscriber.push(event);
  }

  async function connect(): Promise<void> {
    const next = new pg.Client({
      connectionString: options.databaseUrl,
      application_name: 'atum-desk realtime',
      keepAlive: true,
    });
    // Errors also arrive as 'end'; the listener keeps an unhandled 'error' from crashing the process.
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, null));
    next.on('notification', (message) => {
      if (message.channel === TICKET_EVENTS_CHANNEL) deliver(message.payload);
      else if (message.channel === PRESENCE_CHANNEL) hearPresence(message.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${TICKET_EVENTS_CHANNEL}; LISTEN ${PRESENCE_CHANNEL}`);
    } catch (error) {
      next.removeAllListeners('end');
      await next.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
  }

  function lost(which: pg.Client, error: Error | null): void {
    if (which !== client) return;
    client = null;
    which.end().catch(() => {});
    if (closed) return;
    logger.warn({ err: error ?? undefined }, 'live updates: the database listener lost its connection');
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(async () => {
      reconnectTimer = undefined;
      try {
        await connect();
      } catch (error) {
        attempt++;
        logger.warn({ err: error, attempt }, 'live updates: reconnecting the database listener failed');
        scheduleReconnect();
        return;
      }
      if (closed) return;
      attempt = 0;
      logger.info('live updates: the database listener reconnected');
      // Whatever committed while the connection was down was not heard: every client refetches.
      broadcastResync('listener_reconnected');
    }, reconnectDelay(attempt));
  }

  /**
   * A connection that died without a word (a dropped network path) is only noticed by using it; the
   * check re-issues the LISTEN, which is a no-op on a healthy connection.
   */
  function checkConnection(): void {
    const current = client;
    if (!current) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the listener did not answer')), CHECK_TIMEOUT_MS);
    });
    Promise.race([current.query(`LISTEN ${TICKET_EVENTS_CHANNEL}`), timeout])
      .catch((error: unknown) => lost(current, error instanceof Error ? error : new Error(String(error))))
      .finally(() => clearTimeout(timer));
  }

  async function* stream(
    scope: Scope,
    streamOptions: LiveStreamOptions = {},
  ): AsyncGenerator<TrackedLiveEvent, void> {
    const { ticketId, signal } = streamOptions;
    const queue: TrackedLiveEvent[] = [];
    let wake: (() => void) | null = null;
    let ended = closed;
    const subscriber: Subscriber = {
      accepts: (notification) =>
        (ticketId === undefined || notification.ticketId === ticketId) &&
        canSeeTicketEvent(scope, notification),
      push(event) {
        if (queue.length >= maxQueued) {
          // A subscriber this far behind is better served by one refetch than by a backlog.
          queue.length = 0;
          queue.push(resync('overflow'));
        } else {
          queue.push(event);
        }
        wake?.();
      },
      end() {
        ended = true;
        wake?.();
      },
    };
    const onAbort = () => subscriber.end();
    if (signal?.aborted) return;
    signal?.addEventListener('abort', onAbort, { once: true });
    subscribers.add(subscriber);
    try {
      if (streamOptions.resumed) yield resync('resumed');
      while (!ended) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    } finally {
      subscribers.delete(subscriber);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    stream,
    presence,
    get subscriberCount() {
      return subscribers.size;
    },
    get listening() {
      return client !== null;
    },
    async start() {
      await connect();
      checkTimer = setInterval(checkConnection, options.checkIntervalMs ?? 30_000);
      checkTimer.unref();
      expireTimer = setInterval(() => presence.expire(), 5000);
      expireTimer.unref();
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(reconnectTimer);
      clearInterval(checkTimer);
      clearInterval(expireTimer);
      presence.close();
      for (const subscriber of subscribers) subscriber.end();
      const current = client;
      client = null;
      await current?.end().catch(() => {});
    },
  };
}
