import type { EntityManager } from '@mikro-orm/postgresql';
import type { SlaAlertKind, SlaClockName } from '../../domain/sla/sla-timers.ts';
import type { TicketPriority, TicketStatus } from '../../domain/tickets/ticket-enums.ts';
import type { TicketAction } from '../../domain/tickets/ticket-workflow.ts';
import type { Attachment } from '../attachments/attachment.entity.ts';
import type { Scope } from '../auth/scope.ts';
import { mailOnTicketEvent } from '../notifications/notification-events.ts';
import { notifyTicketEvent } from '../realtime/realtime-publisher.ts';
import { slaTimersOnTicketEvent } from '../sla/sla-timers.handler.ts';
import type { Ticket } from './ticket.entity.ts';
import type { CommentFields, TicketHeadline, TicketSnapshot } from './ticket.mapper.ts';

/** Something that happened to a ticket, told to whatever follows from it. */
export type TicketEvent =
  | { type: 'created'; ticket: TicketSnapshot }
  | {
      type: 'transitioned';
      ticket: Ticket;
      action: TicketAction;
      from: TicketStatus;
      fromAssigneeId: string | null;
    }
  | { type: 'priority_changed'; ticket: Ticket; from: TicketPriority }
  | { type: 'commented'; ticket: TicketHeadline; comment: CommentFields }
  | { type: 'attachment_added'; ticket: Ticket; attachment: Attachment }
  | { type: 'sla_alert'; ticket: Ticket; clock: SlaClockName; kind: SlaAlertKind };

/** A consequence of ticket events: it enqueues jobs or notifies listeners through `tx`. */
export type TicketEventHandler = (tx: EntityManager, scope: Scope, event: TicketEvent) => Promise<void>;

/**
 * The consequences of ticket changes that happen later or elsewhere (mail, SLA timers, live updates).
 * Each handler runs inside the change's transaction, so what it enqueues commits with the change or
 * not at all. Capabilities add their handler to this list.
 */
const handlers: TicketEventHandler[] = [slaTimersOnTicketEvent, notifyTicketEvent, mailOnTicketEvent];

/** Tells every handler about `event`, in order, inside the caller's transaction. */
export async function publishTicketEvent(tx: EntityManager, scope: Scope, event: TicketEvent): Promise<void> {
  for (const handler of handlers) await handler(tx, scope, event);
}
