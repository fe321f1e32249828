import type { LiveEvent } from '@atum-desk/core/client';
import type { UserInfo } from '@atum-desk/core/domain';
import type { ToastOptions } from '@atum-desk/ui';
import { queryKeys } from '../api/queries.ts';

// What a live event means for the desk: which cached queries are stale now, and whether it deserves a
// toast. Pure, so both rules are tested without a socket.

/** The query key prefixes a live event makes stale; `resync` makes everything stale. */
export function staleKeysFor(event: LiveEvent): readonly (readonly unknown[])[] | 'all' {
  if (event.kind === 'resync') return 'all';
  // Lists, the inbox, the ticket itself (its prefix covers the detail), the counts and the audit trail.
  return [queryKeys.tickets, queryKeys.dashboard, queryKeys.audit];
}

/** What the toast needs to know besides the event. */
export interface ToastContext {
  me: UserInfo;
  /** The ticket the user has open, if any (its page shows the change by itself). */
  viewingTicketId: string | undefined;
  /** `#1042`, when the ticket is in the cache. */
  ticketLabel: (ticketId: string) => string;
}

const MANAGERS = new Set(['MANAGER', 'ADMIN']);

const STATUS_WORDS: Record<string, string> = {
  NEW: 'new',
  ACCEPTED: 'accepted',
  ASSIGNED: 'assigned',
  IN_PROGRESS: 'in progress',
  WAITING_CUSTOMER: 'waiting for the customer',
  RESOLVED: 'resolved',
  CLOSED: 'closed',
  CANCELLED: 'cancelled',
};

function statusWords(status: string): string {
  return STATUS_WORDS[status] ?? status.toLowerCase();
}

/** One change often arrives as two events (a customer's reply and the status it moves): one toast. */
export const TOAST_QUIET_MS = 3000;

/**
 * A toast for what another person (or the system) did that concerns this user: a new ticket for
 * managers, news on tickets they hold or are looking at, SLA alerts. Nothing for their own actions.
 */
export function toastFor(event: LiveEvent, context: ToastContext): ToastOptions | null {
  if (event.kind === 'resync') return null;
  if (event.actorId !== null && event.actorId === context.me.id) return null;
  const mine = event.assignedToId === context.me.id;
  const viewing = event.ticketId === context.viewingTicketId;
  const manager = MANAGERS.has(context.me.role);
  const ticket = context.ticketLabel(event.ticketId);
  switch (event.kind) {
    case 'created':
      return manager ? { title: 'New ticket', message: `${ticket} is waiting in the inbox.` } : null;
    case 'commented':
      if (!mine && !viewing) return null;
      return event.internal
        ? { title: 'Internal note', message: `A colleague added an internal note to ${ticket}.` }
        : { title: 'New reply', message: `A new reply arrived on ${ticket}.` };
    case 'transitioned':
      if (event.action === 'assign' && mine) {
        return { title: 'Assigned to you', message: `${ticket} is now yours.`, tone: 'success' };
      }
      if (event.action === 'customer_reply' && (mine || viewing)) {
        return { title: 'Customer replied', message: `${ticket} is back in progress.` };
      }
      return viewing
        ? { title: 'Ticket changed', message: `${ticket} is now ${statusWords(event.status)}.` }
        : null;
    case 'sla_alert': {
      if (!mine && !manager) return null;
      const clock = event.sla?.clock === 'first_response' ? 'First response' : 'Resolution';
      return event.sla?.alert === 'breach'
        ? { title: 'SLA breached', message: `${clock} on ${ticket} is overdue.`, tone: 'danger' }
        : { title: 'SLA at risk', message: `${clock} on ${ticket} is due soon.` };
    }
    case 'attachment_added':
      return viewing && !event.internal
        ? { title: 'New file', message: `A file was added to ${ticket}.` }
        : null;
    default:
      return null;
  }
}
