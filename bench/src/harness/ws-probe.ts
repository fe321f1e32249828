import { createAtumRealtimeClient, type LiveEvent } from '@atum-desk/core/client';
import type { Fixtures } from './fixtures.ts';
import { LatencyRecorder } from './latency.ts';
import type { WsProbeResult } from './report.ts';
import type { ServerUnderTest } from './servers.ts';

// The live-update path of SPEC §13/§14: a change committed through one server process reaches a
// WebSocket subscriber connected to another (PostgreSQL NOTIFY carries it between them). A manager
// subscribes to `events.onTicketEvent` on process B; a customer replies on process A, one change at a
// time; each event is timed from the moment its change was published (the `at` of the event, stamped
// just before the commit, same clock: same machine) to its arrival at the subscriber. The time from the
// reply's request to the event, which adds the request's own work, is recorded too.

export interface WsProbeOptions {
  /** The process that takes the changes. */
  writer: ServerUnderTest;
  /** The process the subscriber is connected to. */
  reader: ServerUnderTest;
  fixtures: Fixtures;
  samples: number;
  /** Changes per second (one at a time). */
  rate: number;
}

const EVENT_TIMEOUT_MS = 3_000;

/** Whether the server upgrades `/ws` (false: the endpoint does not exist yet). */
async function hasWebSocketEndpoint(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
    const timer = setTimeout(() => {
      socket.close();
      resolve(false);
    }, 3_000);
    socket.addEventListener('open', () => {
      clearTimeout(timer);
      socket.close();
      resolve(true);
    });
    socket.addEventListener('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/** `tracked()` events arrive as `{ id, data }`; plain ones as the data itself. */
function unwrap(value: unknown): LiveEvent | null {
  if (typeof value !== 'object' || value === null) return null;
  if ('data' in value && 'id' in value) return (value as { data: LiveEvent }).data;
  return value as LiveEvent;
}

export async function runWsProbe(options: WsProbeOptions): Promise<WsProbeResult> {
  if (!(await hasWebSocketEndpoint(options.reader.url))) {
    return {
      ok: false,
      error:
        'ATUM DESK answers no WebSocket at /ws (the live-update endpoint is not built yet); nothing measured',
    };
  }
  const manager = options.fixtures.managers[0];
  const targets = options.fixtures.commentTargets.filter((target) => target.user.role === 'CUSTOMER_USER');
  if (!manager || targets.length === 0)
    return { ok: false, error: 'the data set has no manager or open ticket' };

  const fromCommit = new LatencyRecorder();
  const fromRequest = new LatencyRecorder();
  const waiting = new Map<string, (event: LiveEvent, receivedAt: number) => void>();
  const realtime = createAtumRealtimeClient({ url: options.reader.url, token: manager.token });
  let subscriptionError: unknown = null;
  const subscription = realtime.client.events.onTicketEvent.subscribe(
    {},
    {
      onData(value: unknown) {
        const receivedAt = Date.now();
        const event = unwrap(value);
        if (event?.kind !== 'commented') return;
        const key = event.commentId ?? event.ticketId;
        (waiting.get(key) ?? waiting.get(event.ticketId))?.(event, receivedAt);
      },
      onError(error: unknown) {
        subscriptionError = error;
      },
    },
  );
  let missed = 0;
  try {
    // The subscription is live once the server has started the stream; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const interval = 1000 / options.rate;
    for (let i = 0; i < options.samples; i++) {
      if (subscriptionError) throw subscriptionError;
      const target = targets[i % targets.length];
      if (!target) break;
      const started = performance.now();
      const sentAt = Date.now();
      const arrived = new Promise<{ event: LiveEvent; receivedAt: number } | null>((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(target.ticketId);
          resolve(null);
        }, EVENT_TIMEOUT_MS);
        waiting.set(target.ticketId, (event, receivedAt) => {
          clearTimeout(timer);
          waiting.delete(target.ticketId);
          resolve({ event, receivedAt });
        });
      });
      const response = await fetch(`${options.writer.url}/api/v1/tickets/${target.ticketId}/comments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${target.user.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: `WebSocket probe ${i}` }),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`the probe's reply answered ${response.status}`);
      const result = await arrived;
      if (!result) missed++;
      else {
        fromCommit.record(result.receivedAt - result.event.at.getTime());
        fromRequest.record(result.receivedAt - sentAt);
      }
      const wait = interval - (performance.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  } catch (error) {
    return { ok: false, error: `WebSocket probe failed: ${(error as Error).message ?? String(error)}` };
  } finally {
    subscription.unsubscribe();
    await realtime.close().catch(() => undefined);
  }
  return {
    ok: missed === 0,
    ...(missed > 0
      ? { error: `${missed} of ${options.samples} events did not arrive within ${EVENT_TIMEOUT_MS} ms` }
      : {}),
    samples: fromCommit.count,
    latency: fromCommit.summary(),
    fromRequest: fromRequest.summary(),
  };
}
