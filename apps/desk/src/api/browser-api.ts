import {
  type AtumRealtimeClient,
  createAtumClient,
  createAtumRealtimeClient,
  type PresenceEntry,
} from '@atum-desk/core/client';
import type { DeskApi, LiveConnection, LiveHandlers } from './api-context.tsx';
import { uploadAttachment } from './upload.ts';

/**
 * The page's one WebSocket to `/ws`, signed in by the session cookie, shared by every subscription
 * (the ticket events and a ticket page's presence); opened by the first and closed after the last.
 */
function sharedRealtime() {
  let realtime: AtumRealtimeClient | null = null;
  let users = 0;
  /** Socket opened / closed, for the live status of `connectLive`. */
  const socketListeners = new Set<{ onOpen(): void; onClose(): void }>();
  return {
    socketListeners,
    acquire(): AtumRealtimeClient {
      users += 1;
      realtime ??= createAtumRealtimeClient({
        url: window.location.origin,
        live: {
          onOpen: () => {
            for (const listener of socketListeners) listener.onOpen();
          },
          onClose: () => {
            for (const listener of socketListeners) listener.onClose();
          },
        },
      });
      return realtime;
    },
    release(): void {
      users -= 1;
      if (users > 0 || !realtime) return;
      void realtime.close();
      realtime = null;
    },
  };
}

/**
 * The live stream of the running page: `events.onTicketEvent`. The client reconnects with backoff and
 * resubscribes by itself; the server then starts the stream with `resync`, and a reopened socket is
 * reported as one too, so the caller refetches whatever it may have missed.
 */
function connectLive(socket: ReturnType<typeof sharedRealtime>, handlers: LiveHandlers): LiveConnection {
  let opened = false;
  let closed = false;
  handlers.onStatus('connecting');
  const listener = {
    onOpen: () => {
      if (closed) return;
      if (opened) handlers.onEvent({ kind: 'resync', reason: 'resumed', at: new Date() });
      opened = true;
      handlers.onStatus('live');
    },
    onClose: () => {
      if (!closed) handlers.onStatus('reconnecting');
    },
  };
  socket.socketListeners.add(listener);
  const subscription = socket.acquire().client.events.onTicketEvent.subscribe(
    {},
    {
      // Also when the socket was already open for a ticket page's presence (no `onOpen` then).
      onStarted: () => {
        if (closed) return;
        opened = true;
        handlers.onStatus('live');
      },
      onData: (tracked) => handlers.onEvent(tracked.data),
      // The session ended or the server refused the stream: no point in retrying by ourselves.
      onError: () => {
        if (!closed) handlers.onStatus('offline');
      },
    },
  );
  return {
    close() {
      closed = true;
      socket.socketListeners.delete(listener);
      subscription.unsubscribe();
      socket.release();
    },
  };
}

/** `presence.onTicket` over the shared socket; a refused stream just shows nobody. */
function watchPresence(
  socket: ReturnType<typeof sharedRealtime>,
  ticketId: string,
  onChange: (others: PresenceEntry[]) => void,
): LiveConnection {
  const subscription = socket
    .acquire()
    .client.presence.onTicket.subscribe({ ticketId }, { onData: onChange, onError: () => onChange([]) });
  return {
    close() {
      subscription.unsubscribe();
      socket.release();
    },
  };
}

/** The API of the running page: same origin, the session cookie does the signing in. */
export function browserApi(): DeskApi {
  const socket = sharedRealtime();
  return {
    client: createAtumClient({ url: window.location.origin }),
    upload: uploadAttachment,
    connectLive: (handlers) => connectLive(socket, handlers),
    watchPresence: (ticketId, onChange) => watchPresence(socket, ticketId, onChange),
  };
}
