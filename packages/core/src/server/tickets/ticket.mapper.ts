import type { CommentInfo, StaffTicketInfo, TicketInfo } from '../../domain/tickets/ticket.schema.ts';
import type { TicketPriority, TicketStatus } from '../../domain/tickets/ticket-enums.ts';
import { readClock } from '../sla/sla.service.ts';

type Ref = { id: string };

/**
 * The fields of a ticket the API shows: a loaded Ticket entity has them, and so does a ticket row read
 * without one (`db/scoped.ts` reads lists and details that way, for speed).
 */
export interface TicketFields {
  id: string;
  number: number;
  organization: Ref;
  service?: Ref | null | undefined;
  createdBy: Ref;
  acceptedBy?: Ref | null | undefined;
  assignedTo?: Ref | null | undefined;
  status: TicketStatus;
  priority: TicketPriority;
  title: string;
  description: string;
  category?: string | null | undefined;
  resolution?: string | null | undefined;
  rootCause?: string | null | undefined;
  cancelReason?: string | null | undefined;
  createdAt: Date;
  updatedAt: Date;
  acceptedAt?: Date | null | undefined;
  resolvedAt?: Date | null | undefined;
  closedAt?: Date | null | undefined;
  slaPolicy?: Ref | null | undefined;
  slaStartedAt?: Date | null | undefined;
  slaPausedAt?: Date | null | undefined;
  slaPausedMinutes: number;
  firstResponseDueAt?: Date | null | undefined;
  firstRespondedAt?: Date | null | undefined;
  resolutionDueAt?: Date | null | undefined;
  firstResponseBreached: boolean;
  resolutionBreached: boolean;
}

/**
 * A ticket as a change read it, without an entity: its fields and the version the change is conditioned
 * on. New tickets and replies that move nothing are written from one (tickets/ticket-writes.ts); a
 * Ticket entity is one too.
 */
export type TicketSnapshot = TicketFields & { version: number };

/**
 * What an event about a comment tells of its ticket: enough for its live update and its mail. A ticket
 * snapshot and a Ticket entity are one, and so is what a reply's statement returns of its ticket
 * (db/scoped.ts `insertQuietCommentSql`).
 */
export type TicketHeadline = Pick<
  TicketFields,
  'id' | 'number' | 'organization' | 'createdBy' | 'assignedTo' | 'status' | 'priority' | 'title'
>;

/**
 * The fields of a comment the API and the ticket events use: a Comment entity has them, and so does a
 * reply written with one plain statement (`tickets/ticket-writes.ts`).
 */
export interface CommentFields {
  id: string;
  organization: Ref;
  ticket: Ref;
  author: Ref;
  body: string;
  internal: boolean;
  createdAt: Date;
}

/** A ticket as customers see it (no SLA internals). */
export function toTicketInfo(ticket: TicketFields): TicketInfo {
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
export function toStaffTicketInfo(ticket: TicketFields): StaffTicketInfo {
  return {
    ...toTicketInfo(ticket),
    sla: { policyId: ticket.slaPolicy?.id ?? null, ...readClock(ticket) },
  };
}

export function toCommentInfo(comment: CommentFields): CommentInfo {
  return {
    id: comment.id,
    ticketId: comment.ticket.id,
    authorId: comment.author.id,
    body: comment.body,
    internal: comment.internal,
    createdAt: comment.createdAt,
  };
}
