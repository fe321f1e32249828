import type { FilterQuery } from '@mikro-orm/core';
import { type EntityManager, raw } from '@mikro-orm/postgresql';
import { isStaffRole } from '../../domain/auth/roles.ts';
import { DomainError } from '../../domain/errors.ts';
import type { TicketStatus } from '../../domain/tickets/ticket-enums.ts';
import { Attachment } from '../attachments/attachment.entity.ts';
import type { Scope } from '../auth/scope.ts';
import { Comment } from '../tickets/comment.entity.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import { decodeCursor, olderThan, toPage } from './keyset.ts';

// The one place tenant and role visibility rules live (SPEC §4). Every read of a tenant table goes
// through here: a test fails when any other server file queries tickets, comments or attachments
// directly. Something the caller may not see is NOT_FOUND, never FORBIDDEN: no existence leak.

/** Which tickets a caller may see. */
export function visibleTickets(scope: Scope): FilterQuery<Ticket> {
  switch (scope.role) {
    case 'CUSTOMER_USER':
      return { organization: requireOrganization(scope), createdBy: scope.actorId };
    case 'CUSTOMER_ADMIN':
      return { organization: requireOrganization(scope) };
    case 'AGENT':
      // Their own work, and the accepted tickets nobody holds yet (to take one).
      return { $or: [{ assignedTo: scope.actorId }, { status: 'ACCEPTED', assignedTo: null }] };
    case 'MANAGER':
    case 'ADMIN':
    case 'SYSTEM':
      return {};
  }
}

/** Whether the caller may see internal notes and internal attachments. */
export function seesInternal(scope: Scope): boolean {
  return scope.role === 'SYSTEM' || isStaffRole(scope.role);
}

/** The ticket if the caller may see it; NOT_FOUND otherwise. */
export async function findVisibleTicket(em: EntityManager, scope: Scope, id: string): Promise<Ticket> {
  const ticket = await em.findOne(Ticket, { $and: [{ id }, visibleTickets(scope)] });
  if (!ticket) throw new DomainError('NOT_FOUND', 'no such ticket');
  return ticket;
}

/** A ticket's comments the caller may read, oldest first. */
export async function findVisibleComments(
  em: EntityManager,
  scope: Scope,
  ticket: Ticket,
): Promise<Comment[]> {
  return em.find(
    Comment,
    {
      ticket: ticket.id,
      organization: ticket.organization.id,
      ...(seesInternal(scope) ? {} : { internal: false }),
    },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
}

/** A ticket's attachments the caller may read, oldest first. */
export async function findVisibleAttachments(
  em: EntityManager,
  scope: Scope,
  ticket: Ticket,
): Promise<Attachment[]> {
  return em.find(
    Attachment,
    {
      ticket: ticket.id,
      organization: ticket.organization.id,
      ...(seesInternal(scope) ? {} : { internal: false }),
    },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
}

/** An attachment if the caller may see its ticket and, when internal, is staff; NOT_FOUND otherwise. */
export async function findVisibleAttachment(
  em: EntityManager,
  scope: Scope,
  id: string,
): Promise<Attachment> {
  const attachment = await em.findOne(Attachment, {
    id,
    ...(seesInternal(scope) ? {} : { internal: false }),
    ticket: visibleTickets(scope),
  });
  if (!attachment) throw new DomainError('NOT_FOUND', 'no such attachment');
  return attachment;
}

/**
 * Records the first public staff reply on a ticket the caller already reached through this helper: one
 * conditional update, so parallel replies never conflict and only the first one counts.
 */
export async function recordFirstResponse(em: EntityManager, ticket: Ticket, at: Date): Promise<void> {
  await em.nativeUpdate(
    Ticket,
    {
      id: ticket.id,
      organization: ticket.organization.id,
      slaStartedAt: { $ne: null },
      firstRespondedAt: null,
    },
    {
      firstRespondedAt: at,
      firstResponseBreached: raw('first_response_breached or coalesce(first_response_due_at < ?, false)', [
        at,
      ]),
    },
  );
}

export interface TicketListFilters {
  status?: TicketStatus | undefined;
  priority?: Ticket['priority'] | undefined;
  assigneeId?: string | undefined;
  organizationId?: string | undefined;
  /** Full-text search over title and description. */
  q?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Tickets the caller may see, newest first, in keyset pages. */
export async function listVisibleTickets(
  em: EntityManager,
  scope: Scope,
  filters: TicketListFilters,
  page: { cursor?: string | undefined; limit: number },
): Promise<Page<Ticket>> {
  const where: FilterQuery<Ticket>[] = [visibleTickets(scope)];
  if (filters.status) where.push({ status: filters.status });
  if (filters.priority) where.push({ priority: filters.priority });
  if (filters.assigneeId) where.push({ assignedTo: filters.assigneeId });
  if (filters.organizationId) where.push({ organization: filters.organizationId });
  const after = decodeCursor(page.cursor);
  if (after) where.push(olderThan(after));
  if (filters.q)
    where.push({ [raw("search_vector @@ websearch_to_tsquery('english', ?)", [filters.q])]: true });
  const rows = await em.find(
    Ticket,
    { $and: where },
    { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: page.limit + 1 },
  );
  return toPage(rows, page.limit);
}

function requireOrganization(scope: Scope): string {
  // A customer without an organization cannot exist (a check constraint forbids it); if it ever did,
  // it must see nothing rather than everything.
  if (!scope.organizationId) throw new DomainError('NOT_FOUND', 'no such ticket');
  return scope.organizationId;
}
