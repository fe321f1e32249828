import { z } from 'zod';
import { SLA_ALERTS, SLA_CLOCKS, type SlaAlertKind, type SlaClockName } from '../../domain/sla/sla-timers.ts';
import {
  type TicketPriority,
  type TicketStatus,
  ZTicketPriority,
  ZTicketStatus,
} from '../../domain/tickets/ticket-enums.ts';
import { TICKET_ACTIONS, type TicketAction } from '../../domain/tickets/ticket-workflow.ts';
import type { Scope } from '../auth/scope.ts';
import { newId } from '../db/ids.ts';
import type { TicketEvent } from '../tickets/ticket-events.ts';

// What travels between server processes through PostgreSQL NOTIFY, and what a subscriber receives.
// Both tell WHAT changed (ids, kind, the few facts the visibility rules need), never the content
// (no titles, no comment bodies): a client refetches through the ordinary scoped queries, so nothing
// leaks through the stream even if a rule were wrong.

/** The NOTIFY channel of ticket events. */
export const TICKET_EVENTS_CHANNEL = 'atum_events';

/** PostgreSQL refuses NOTIFY payloads from 8000 bytes on. */
export const MAX_NOTIFICATION_BYTES = 7999;

export const TICKET_EVENT_KINDS = [
  'created',
  'transitioned',
  'priority_changed',
  'commented',
  'attachment_added',
  'sla_alert',
] as const;
export type TicketEventKind = (typeof TICKET_EVENT_KINDS)[number];

const ZId = z.string().min(1).max(64);

/** A ticket event as one server process tells every other through NOTIFY. */
export const ZTicketNotification = z.object({
  /** The event's own id (UUIDv7): the same in every process, so a client moving between sockets can drop a repeat. */
  id: ZId,
  kind: z.enum(TICKET_EVENT_KINDS),
  ticketId: ZId,
  organizationId: ZId,
  createdById: ZId,
  assignedToId: ZId.nullable(),
  status: ZTicketStatus,
  priority: ZTicketPriority,
  /** Staff only: an internal note or attachment, or an SLA alert. */
  internal: z.boolean(),
  /** Before a transition: who saw the ticket then may need to hear that it left their view. */
  previous: z.object({ status: ZTicketStatus, assignedToId: ZId.nullable() }).optional(),
  action: z.enum(TICKET_ACTIONS).optional(),
  commentId: ZId.optional(),
  attachmentId: ZId.optional(),
  sla: z.object({ clock: z.enum(SLA_CLOCKS), alert: z.enum(SLA_ALERTS) }).optional(),
  /** Who made the change; null for the system. */
  actorId: ZId.nullable(),
  /** When the change was published, just before its commit (epoch milliseconds). */
  at: z.number().int().nonnegative(),
});
export type TicketNotification = z.infer<typeof ZTicketNotification>;

/** A change to a ticket, as a subscriber receives it. */
export interface LiveTicketEvent {
  kind: TicketEventKind;
  ticketId: string;
  organizationId: string;
  status: TicketStatus;
  priority: TicketPriority;
  assignedToId: string | null;
  /** The workflow action of a `transitioned` event. */
  action?: TicketAction;
  commentId?: string;
  attachmentId?: string;
  /** Whether the comment or attachment is internal (staff only; customers never receive those). */
  internal: boolean;
  /** The clock and alert of an `sla_alert` event (staff only). */
  sla?: { clock: SlaClockName; alert: SlaAlertKind };
  /** Who made the change; null for the system. */
  actorId: string | null;
  at: Date;
}

/**
 * Something may have been missed (the subscription resumed after a reconnect, the server's database
 * listener reconnected, or the subscriber fell behind): refetch everything on screen.
 */
export interface LiveResyncEvent {
  kind: 'resync';
  reason: 'resumed' | 'listener_reconnected' | 'overflow';
  at: Date;
}

/** What `events.onTicketEvent` yields. */
export type LiveEvent = LiveTicketEvent | LiveResyncEvent;

/** The notification of a ticket event published by `scope`. */
export function toTicketNotification(scope: Scope, event: TicketEvent, at = Date.now()): TicketNotification {
  const ticket = event.ticket;
  const base = {
    id: newId(),
    kind: event.type,
    ticketId: ticket.id,
    organizationId: ticket.organization.id,
    createdById: ticket.createdBy.id,
    assignedToId: ticket.assignedTo?.id ?? null,
    status: ticket.status,
    priority: ticket.priority,
    actorId: scope.role === 'SYSTEM' ? null : scope.actorId,
    at,
  };
  switch (event.type) {
    case 'created':
    case 'priority_changed':
      return { ...base, internal: false };
    case 'transitioned':
      return {
        ...base,
        internal: false,
        action: event.action,
        previous: { status: event.from, assignedToId: event.fromAssigneeId },
      };
    case 'commented':
      return { ...base, internal: event.comment.internal, commentId: event.comment.id };
    case 'attachment_added':
      return { ...base, internal: event.attachment.internal, attachmentId: event.attachment.id };
    case 'sla_alert':
      // SLA internals are for staff (SPEC §4).
      return { ...base, internal: true, sla: { clock: event.clock, alert: event.kind } };
    default:
      return unhandled(event);
  }
}

/** A new kind of ticket event must decide here who may hear of it; until then the build fails. */
function unhandled(event: never): never {
  throw new Error(`no live notification for ticket event ${JSON.stringify(event)}`);
}

/** The event a subscriber receives: the notification without what only the filter needs. */
export function toLiveEvent(notification: TicketNotification): LiveTicketEvent {
  return {
    kind: notification.kind,
    ticketId: notification.ticketId,
    organizationId: notification.organizationId,
    status: notification.status,
    priority: notification.priority,
    assignedToId: notification.assignedToId,
    ...(notification.action ? { action: notification.action } : {}),
    ...(notification.commentId ? { commentId: notification.commentId } : {}),
    ...(notification.attachmentId ? { attachmentId: notification.attachmentId } : {}),
    internal: notification.internal,
    ...(notification.sla ? { sla: notification.sla } : {}),
    actorId: notification.actorId,
    at: new Date(notification.at),
  };
}

/** Parses a NOTIFY payload; null when it is not a ticket event of this version (it is ignored). */
export function parseTicketNotification(payload: string): TicketNotification | null {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return null;
  }
  const parsed = ZTicketNotification.safeParse(json);
  return parsed.success ? parsed.data : null;
}
