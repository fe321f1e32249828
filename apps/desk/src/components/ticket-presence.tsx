import type { PresenceEntry, PresenceState } from '@atum-desk/core/client';
import { createEffect, createSignal, on, onCleanup } from 'solid-js';
import { useApi } from '../api/api-context.tsx';

// Presence (issue #7): who else has this ticket open in the desk. This page announces itself on open,
// every 10 s while open (the server forgets silence after 30 s), as replying while the reply box holds
// text, and as gone on leaving; it hears the others over the desk's WebSocket.

/** How often the page re-announces itself. */
export const PRESENCE_REFRESH_MS = 10_000;

/** "Maya Manager is replying", one sentence per person, "" for nobody. */
export function presenceText(others: readonly PresenceEntry[]): string {
  return others
    .map((other) => `${other.name} is ${other.state === 'replying' ? 'replying' : 'viewing'}.`)
    .join(' ');
}

/**
 * A polite live region near the ticket's title: in the page (empty) from the start so that screen
 * readers announce who arrives; it takes no room while nobody else is there (`:empty` in the CSS).
 */
export function TicketPresence(props: { ticketId: string; replying: boolean }) {
  const api = useApi();
  const [others, setOthers] = createSignal<PresenceEntry[]>([]);
  const announce = (state: PresenceState) => {
    // Best effort: a lost announcement is repeated within 10 s, a lost `left` expires after 30 s.
    api.client.presence.announce.mutate({ ticketId: props.ticketId, state }).catch(() => {});
  };
  const state = (): PresenceState => (props.replying ? 'replying' : 'viewing');
  createEffect(on(state, announce));
  const refresh = setInterval(() => announce(state()), PRESENCE_REFRESH_MS);
  const onPageHide = () => announce('left');
  window.addEventListener('pagehide', onPageHide);
  const watch = api.watchPresence(props.ticketId, setOthers);
  onCleanup(() => {
    clearInterval(refresh);
    window.removeEventListener('pagehide', onPageHide);
    watch.close();
    announce('left');
  });

  return (
    <p class="desk-presence" role="status" aria-live="polite" aria-label="Colleagues on this ticket">
      {presenceText(others())}
    </p>
  );
}
