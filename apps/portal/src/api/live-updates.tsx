import { useQueryClient } from '@tanstack/solid-query';
import { createEffect, createMemo, onCleanup } from 'solid-js';
import { useApi } from './api-context.tsx';
import { queryKeys } from './queries.ts';

/** What a live event tells the portal: which ticket changed, or that it should refetch everything. */
export type LiveSignal = { kind: 'resync' } | { kind: 'ticket'; ticketId: string };

/** Subscribes to live events; returns the function that ends the subscription. */
export type LiveSubscribe = (onSignal: (signal: LiveSignal) => void) => () => void;

/**
 * While `signedIn()` holds, listens to the ticket events the customer may see and refetches what they
 * change: the ticket's detail and the lists. Events carry ids only; the data comes through the ordinary
 * queries, so the stream shows nothing the queries would not.
 */
export function LiveUpdates(props: { signedIn: boolean }) {
  const api = useApi();
  const queryClient = useQueryClient();
  // Only a change between signed in and out restarts the stream, not every refetch of the session.
  const signedIn = createMemo(() => props.signedIn);
  createEffect(() => {
    const subscribe = api.live;
    if (!signedIn() || !subscribe) return;
    const stop = subscribe((signal) => {
      if (signal.kind === 'resync') {
        void queryClient.invalidateQueries({ queryKey: queryKeys.tickets });
        return;
      }
      void queryClient.invalidateQueries({ queryKey: queryKeys.ticket(signal.ticketId) });
      void queryClient.invalidateQueries({ queryKey: ['tickets', 'list'] });
    });
    onCleanup(stop);
  });
  return null;
}
