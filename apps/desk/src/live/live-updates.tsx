import type { LiveEvent } from '@atum-desk/core/client';
import type { UserInfo } from '@atum-desk/core/domain';
import { useToast } from '@atum-desk/ui';
import { useLocation } from '@solidjs/router';
import { useQueryClient } from '@tanstack/solid-query';
import {
  type Accessor,
  createContext,
  createSignal,
  type JSX,
  onCleanup,
  onMount,
  Show,
  useContext,
} from 'solid-js';
import { type LiveStatus, useApi } from '../api/api-context.tsx';
import { queryKeys } from '../api/queries.ts';
import { staleKeysFor, TOAST_QUIET_MS, toastFor } from './live-events.ts';

/** Events arriving within this many milliseconds cause one refetch, not one each. */
const COALESCE_MS = 150;

interface LiveStatusStore {
  status: Accessor<LiveStatus>;
  setStatus(status: LiveStatus): void;
}

const LiveStatusContext = createContext<LiveStatusStore>();

/** Holds where the live connection stands, for the header (outside the signed-in pages) to show. */
export function LiveStatusProvider(props: { children?: JSX.Element }) {
  const [status, setStatus] = createSignal<LiveStatus>('offline');
  return (
    <LiveStatusContext.Provider value={{ status, setStatus }}>{props.children}</LiveStatusContext.Provider>
  );
}

/** Where the live connection stands. */
export function useLiveStatus(): Accessor<LiveStatus> {
  const store = useContext(LiveStatusContext);
  return store ? store.status : () => 'offline';
}

const TICKET_PATH = /\/tickets\/([0-9a-f-]{36})(?:\/|$)/i;

/**
 * Keeps every open view current while a staff member is signed in: subscribes to the ticket events,
 * marks the affected queries stale (the visible ones refetch at once), and shows a toast for news that
 * concerns this user. On `resync` (after a reconnect) everything is refetched.
 */
export function LiveUpdates(props: { user: UserInfo; children?: JSX.Element }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const toast = useToast();
  const location = useLocation();
  const store = useContext(LiveStatusContext);
  const setStatus = (status: LiveStatus) => store?.setStatus(status);
  const stale = new Map<string, readonly unknown[]>();
  let everything = false;
  const lastToastAt = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    timer = undefined;
    if (everything) void queryClient.invalidateQueries();
    else for (const key of stale.values()) void queryClient.invalidateQueries({ queryKey: key });
    everything = false;
    stale.clear();
  };

  const ticketLabel = (ticketId: string): string => {
    const detail = queryClient.getQueryData<{ number: number }>(queryKeys.ticket(ticketId));
    if (detail) return `Ticket #${detail.number}`;
    for (const [, data] of queryClient.getQueriesData<{
      pages?: { items: { id: string; number: number }[] }[];
    }>({ queryKey: queryKeys.tickets })) {
      const found = data?.pages?.flatMap((page) => page.items).find((ticket) => ticket.id === ticketId);
      if (found) return `Ticket #${found.number}`;
    }
    return 'A ticket';
  };

  const onEvent = (event: LiveEvent) => {
    const keys = staleKeysFor(event);
    if (keys === 'all') everything = true;
    else for (const key of keys) stale.set(JSON.stringify(key), key);
    timer ??= setTimeout(flush, COALESCE_MS);
    const viewingTicketId = TICKET_PATH.exec(location.pathname)?.[1]?.toLowerCase();
    const message = toastFor(event, { me: props.user, viewingTicketId, ticketLabel });
    if (!message || event.kind === 'resync') return;
    const now = Date.now();
    if (now - (lastToastAt.get(event.ticketId) ?? 0) < TOAST_QUIET_MS && message.tone !== 'danger') return;
    lastToastAt.set(event.ticketId, now);
    toast.show(message);
  };

  onMount(() => {
    const connection = api.connectLive({ onEvent, onStatus: setStatus });
    onCleanup(() => {
      clearTimeout(timer);
      connection.close();
      setStatus('offline');
    });
  });

  return <>{props.children}</>;
}

const STATUS_TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline: reload to update',
};

/** "Live" in the header while updates arrive; says so in words when they do not. */
export function LiveIndicator() {
  const status = useLiveStatus();
  return (
    <span class="desk-live" data-status={status()} title="Live updates over the WebSocket">
      <span class="desk-live__dot" aria-hidden="true" />
      <span class="visually-hidden">Live updates: </span>
      {STATUS_TEXT[status()]}
      <Show when={status() === 'reconnecting'}>
        <span class="visually-hidden"> (changes made meanwhile are fetched once connected)</span>
      </Show>
    </span>
  );
}
