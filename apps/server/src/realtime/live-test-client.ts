import {
  type AtumLiveOptions,
  createAtumRealtimeClient,
  type LiveEvent,
  type PresenceEntry,
} from '@atum-desk/core/client';
import { TRPCClientError } from '@trpc/client';

// A subscriber as a browser tab would be, for the live-update tests: the typed realtime client over a
// real WebSocket, recording what arrives and when.

export interface ReceivedEvent {
  event: LiveEvent;
  /** `Date.now()` when it arrived. */
  receivedAt: number;
}

export interface LiveSubscriber {
  received: ReceivedEvent[];
  events(): LiveEvent[];
  /** Resolves once the server has started the subscription. */
  started: Promise<void>;
  /** The error code the subscription ended with, once it does. */
  failed: Promise<string>;
  /** Socket close codes seen so far. */
  closes: number[];
  /** Waits for an event that matches (default 5 s). */
  until(match: (event: LiveEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  close(): Promise<void>;
}

/** Subscribes to `events.onTicketEvent` at `url` with `token` (none: the cookie-less anonymous case). */
export function subscribeLive(
  url: string,
  token: string | undefined,
  input: { ticketId?: string } = {},
  live: AtumLiveOptions = {},
): LiveSubscriber {
  const closes: number[] = [];
  const { client, close } = createAtumRealtimeClient({
    url,
    ...(token ? { token } : {}),
    live: {
      retryDelayMs: () => 50,
      onClose: (cause) => closes.push(cause?.code ?? 0),
      ...live,
    },
  });
  const received: ReceivedEvent[] = [];
  let onStarted: () => void = () => {};
  let onFailed: (code: string) => void = () => {};
  const started = new Promise<void>((resolve) => {
    onStarted = resolve;
  });
  const failed = new Promise<string>((resolve) => {
    onFailed = resolve;
  });
  const subscription = client.events.onTicketEvent.subscribe(input, {
    onStarted: () => onStarted(),
    onData: (tracked) => received.push({ event: tracked.data, receivedAt: Date.now() }),
    onError: (error) => {
      onFailed(
        error instanceof TRPCClientError
          ? String((error.data as { code?: string })?.code ?? error.message)
          : '',
      );
    },
  });
  return {
    received,
    events: () => received.map((entry) => entry.event),
    started,
    failed,
    closes,
    async until(match, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find((entry) => match(entry.event));
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(`no matching event in ${timeoutMs} ms; got ${JSON.stringify(this.events())}`);
        }
        await new Promise((wake) => setTimeout(wake, 5));
      }
    },
    async close() {
      subscription.unsubscribe();
      await close();
    },
  };
}

export interface PresenceWatcher {
  /** Every list received, in order. */
  lists: PresenceEntry[][];
  started: Promise<void>;
  /** Waits for a list that matches (default 5 s). */
  until(match: (entries: PresenceEntry[]) => boolean, timeoutMs?: number): Promise<PresenceEntry[]>;
  close(): Promise<void>;
}

/** Subscribes to `presence.onTicket` for `ticketId` at `url` with `token`, as the desk's ticket page does. */
export function watchPresence(url: string, token: string, ticketId: string): PresenceWatcher {
  const { client, close } = createAtumRealtimeClient({ url, token, live: { retryDelayMs: () => 50 } });
  const lists: PresenceEntry[][] = [];
  let onStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    onStarted = resolve;
  });
  const subscription = client.presence.onTicket.subscribe(
    { ticketId },
    { onStarted: () => onStarted(), onData: (entries) => lists.push(entries) },
  );
  return {
    lists,
    started,
    async until(match, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lists.find(match);
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(`no matching presence in ${timeoutMs} ms; got ${JSON.stringify(lists)}`);
        }
        await new Promise((wake) => setTimeout(wake, 5));
      }
    },
    async close() {
      subscription.unsubscribe();
      await close();
    },
  };
}

/** `promise`'s value, or a rejection naming `what` if it takes longer than `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
