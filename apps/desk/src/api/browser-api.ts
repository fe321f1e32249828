import { createAtumClient, createAtumRealtimeClient } from '@atum-desk/core/client';
import type { DeskApi, LiveConnection, LiveHandlers } from './api-context.tsx';
import { uploadAttachment } from './upload.ts';

/**
 * The live stream of the running page: `events.onTicketEvent` over the WebSocket at `/ws`, signed in by
 * the session cookie. The client reconnects with backoff and resubscribes by itself; the server then
 * starts the stream with `resync`, and a reopened socket is reported as one too, so the caller refetches
 * whatever it may have missed.
 */
function connectLive(handlers: LiveHandlers): LiveConnection {
  let opened = false;
  let closed = false;
  handlers.onStatus('connecting');
  const realtime = createAtumRealtimeClient({
    url: window.location.origin,
    live: {
      onOpen: () => {
        if (closed) return;
        if (opened) handlers.onEvent({ kind: 'resync', reason: 'resumed', at: new Date() });
        opened = true;
        handlers.onStatus('live');
      },
      onClose: () => {
        if (!closed) handlers.onStatus('reconnecting');
      },
    },
  });
  const subscription = realtime.client.events.onTicketEvent.subscribe(
    {},
    {
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
      subscription.unsubscribe();
      void realtime.close();
    },
  };
}

/** The API of the running page: same origin, the session cookie does the signing in. */
export function browserApi(): DeskApi {
  return {
    client: createAtumClient({ url: window.location.origin }),
    upload: uploadAttachment,
    connectLive,
  };
}
