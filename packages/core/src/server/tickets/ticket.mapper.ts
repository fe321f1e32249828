import type { CommentInfo, StaffTicketInfo, TicketInfo } from '../../domain/tickets/ticket.schema.ts';
import { readClock } from '../sla/sla.service.ts';
import type { Comment } from './comment.entity.ts';
import type { Ticket } from './ticket.entity.ts';

/** A ticket as customers see it (no SLA internals). */
export function toTicketInfo(ticket: Ticket): TicketInfo {
  return {
    id: ticket.id,
    number: ticket.number,
    organizationId: ticket.organization.id,
    serviceId: ticket.service?.id ?? null,
    createdById: ticket.createdBy.id,
    acceptedById: ticket.acceptedBy?.id ?? null,
    assignedToId: ticket.assignedTo?.id ?? null,
    status: ticket.status,
    priority: ticket.priority,
    title: ticket.title,
    description: ticket.description,
    category: ticket.category ?? null,
    resolution: ticket.resolution ?? null,
    rootCause: ticket.rootCause ?? null,
    cancelReason: ticket.cancelReason ?? null,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    acceptedAt: ticket.acceptedAt ?? null,
    resolvedAt: ticket.resolvedAt ?? null,
    closedAt: ticket.closedAt ?? null,
  };
}

/** A ticket as staff see it, with its SLA state. */
export function toStaffTicketInfo(ticket: Ticket): StaffTicketInfo {
  return {
    ...toTicketInfo(ticket),
    sla: { policyId: ticket.slaPolicy?.id ?? null, ...readClock(ticket) },
  };
}

export function toCommentInfo(comment: Comment): CommentInfo {
  return {
    id: comment.id,
    ticketId: comment.ticket.id,
    authorId: comment.author.id,
    body: comment.body,
    internal: comment.internal,
    createdAt: comment.createdAt,
  };
}
