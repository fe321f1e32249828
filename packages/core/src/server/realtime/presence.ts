import { z } from 'zod';

// Presence (issue #7): which staff members have a ticket open in the desk, and whether they are
// writing a reply. Clients announce every 10 s; the announcement travels by NOTIFY on its own channel
// to every server process, and each process keeps what it heard in memory, dropping whoever has not
// announced for 30 s (a closed laptop never says goodbye). Nothing is stored in the database.

/** The NOTIFY channel of presence announcements (the ticket events have their own). */
export const PRESENCE_CHANNEL = 'atum_presence';
/** An entry not refreshed for this long is dropped; clients re-announce every 10 s. */
export const PRESENCE_TTL_MS = 30_000;

export const ZPresenceState = z.enum(['viewing', 'replying', 'left']);
export type PresenceState = z.infer<typeof ZPresenceState>;

/** One announcement as it travels through `pg_notify`. */
export const ZPresenceNotification = z.object({
  ticketId: z.uuid(),
  userId: z.string().min(1).max(64),
  name: z.string().max(200),
  state: ZPresenceState,
  at: z.iso.datetime(),
});
export type PresenceNotification = z.infer<typeof ZPresenceNotification>;

/** Someone on a ticket, as subscribers see them. */
export interface PresenceEntry {
  userId: string;
  name: string;
  state: Exclude<PresenceState, 'left'>;
  /** When this process first heard them in this state. */
  since: Date;
}

/** The notification in `payload`, or null if it is not a presence announcement. */
export function parsePresenceNotification(payload: string): PresenceNotification | null {
  try {
    const parsed = ZPresenceNotification.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

interface Seen {
  name: string;
  state: PresenceEntry['state'];
  since: number;
  /** This process's clock when last heard (other processes' clocks may differ). */
  lastSeen: number;
}

/** The presence a server process has heard: ticketId → userId → who, what, since when. */
export interface PresenceMap {
  /** Records an announcement (from any process, through NOTIFY). */
  apply(notification: PresenceNotification): void;
  /** Who is on `ticketId` now, longest there first, without `exceptUserId`. */
  list(ticketId: string, exceptUserId?: string): PresenceEntry[];
  /** Drops entries not refreshed within the TTL; the hub calls it every few seconds. */
  expire(): void;
  /** The list for `ticketId` without `exceptUserId` now and whenever it changes, until `signal` aborts or `close`. */
  watch(ticketId: string, exceptUserId: string, signal?: AbortSignal): AsyncGenerator<PresenceEntry[], void>;
  /** Ends every watch. */
  close(): void;
}

export function createPresenceMap(options: { ttlMs?: number; now?: () => number } = {}): PresenceMap {
  const ttlMs = options.ttlMs ?? PRESENCE_TTL_MS;
  const now = options.now ?? Date.now;
  const tickets = new Map<string, Map<string, Seen>>();
  const watchers = new Map<string, Set<() => void>>();
  const enders = new Set<() => void>();

  function changed(ticketId: string): void {
    for (const wake of watchers.get(ticketId) ?? []) wake();
  }

  function remove(ticketId: string, userId: string): boolean {
    const users = tickets.get(ticketId);
    if (!users?.delete(userId)) return false;
    if (users.size === 0) tickets.delete(ticketId);
    return true;
  }

  function list(ticketId: string, exceptUserId?: string): PresenceEntry[] {
    const cutoff = now() - ttlMs;
    return [...(tickets.get(ticketId) ?? [])]
      .filter(([userId, seen]) => userId !== exceptUserId && seen.lastSeen >= cutoff)
      .sort(([, a], [, b]) => a.since - b.since)
      .map(([userId, seen]) => ({ userId, name: seen.name, state: seen.state, since: new Date(seen.since) }));
  }

  return {
    apply(notification) {
      const { ticketId, userId, name, state } = notification;
      if (state === 'left') {
        if (remove(ticketId, userId)) changed(ticketId);
        return;
      }
      let users = tickets.get(ticketId);
      if (!users) {
        users = new Map();
        tickets.set(ticketId, users);
      }
      const before = users.get(userId);
      const at = now();
      const same = before?.state === state && before.name === name;
      users.set(userId, { name, state, since: before?.state === state ? before.since : at, lastSeen: at });
      if (!same) changed(ticketId);
    },

    list,

    expire() {
      const cutoff = now() - ttlMs;
      for (const [ticketId, users] of [...tickets]) {
        const stale = [...users].filter(([, seen]) => seen.lastSeen < cutoff).map(([userId]) => userId);
        for (const userId of stale) remove(ticketId, userId);
        if (stale.length > 0) changed(ticketId);
      }
    },

    async *watch(ticketId, exceptUserId, signal) {
      let dirty = true;
      let ended = false;
      let wake: (() => void) | null = null;
      const onChange = () => {
        dirty = true;
        wake?.();
      };
      const end = () => {
        ended = true;
        wake?.();
      };
      if (signal?.aborted) return;
      signal?.addEventListener('abort', end, { once: true });
      let set = watchers.get(ticketId);
      if (!set) {
        set = new Set();
        watchers.set(ticketId, set);
      }
      set.add(onChange);
      enders.add(end);
      let last = '';
      try {
        while (!ended) {
          if (dirty) {
            dirty = false;
            const current = list(ticketId, exceptUserId);
            // A refresh of the same people in the same states is not news.
            const key = JSON.stringify(current);
            if (key !== last) {
              last = key;
              yield current;
            }
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
        }
      } finally {
        set.delete(onChange);
        if (set.size === 0) watchers.delete(ticketId);
        enders.delete(end);
        signal?.removeEventListener('abort', end);
      }
    },

    close() {
      for (const end of enders) end();
    },
  };
}
