import type { FilterQuery } from '@mikro-orm/core';
import { type EntityManager, type QBFilterQuery, raw } from '@mikro-orm/postgresql';
import { isStaffRole } from '../../domain/auth/roles.ts';
import { DomainError } from '../../domain/errors.ts';
import type { TicketStatus } from '../../domain/tickets/ticket-enums.ts';
import type { WorkflowRole } from '../../domain/tickets/ticket-workflow.ts';
import { Attachment } from '../attachments/attachment.entity.ts';
import type { Scope } from '../auth/scope.ts';
import { Comment } from '../tickets/comment.entity.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import { decodeCursor, olderThan, toPage } from './keyset.ts';

// The one place tenant and role visibility rules live (SPEC §4). Every read of a tenant table goes
// through here: a test fails when any other server file queries tickets, comments or attachments
// directly. Something the caller may not see is NOT_FOUND, never FORBIDDEN: no existence leak.

/** One way a ticket can be in sight: every condition it names holds (`{}` holds for every ticket). */
interface VisibilityClause {
  /** The ticket belongs to the caller's own organization. */
  ownOrganization?: true;
  /** The caller filed it. */
  filedByCaller?: true;
  /** The caller holds it ('caller'), or nobody does ('nobody'). */
  assignee?: 'caller' | 'nobody';
  status?: TicketStatus;
}

/**
 * Which tickets each role sees: a ticket is visible when it meets at least one clause. The one table
 * both the database filter (`visibleTickets`) and the live-event predicate (`canSeeTicket`) are read
 * from, so the two cannot drift apart.
 */
const TICKET_VISIBILITY: Readonly<Record<WorkflowRole, readonly [VisibilityClause, ...VisibilityClause[]]>> =
  {
    CUSTOMER_USER: [{ ownOrganization: true, filedByCaller: true }],
    CUSTOMER_ADMIN: [{ ownOrganization: true }],
    // Their own work, and the accepted tickets nobody holds yet (to take one).
    AGENT: [{ assignee: 'caller' }, { status: 'ACCEPTED', assignee: 'nobody' }],
    MANAGER: [{}],
    ADMIN: [{}],
    SYSTEM: [{}],
  };

/** Which tickets a caller may see. */
export function visibleTickets(scope: Scope): FilterQuery<Ticket> {
  const filters = TICKET_VISIBILITY[scope.role].map(
    (clause): FilterQuery<Ticket> => ({
      ...(clause.ownOrganization ? { organization: requireOrganization(scope) } : {}),
      ...(clause.filedByCaller ? { createdBy: scope.actorId } : {}),
      ...(clause.assignee ? { assignedTo: clause.assignee === 'caller' ? scope.actorId : null } : {}),
      ...(clause.status ? { status: clause.status } : {}),
    }),
  );
  return filters.length === 1 && filters[0] ? filters[0] : { $or: filters };
}

/** What the visibility rules look at in a ticket: the facts a live event carries. */
export interface TicketVisibilityFacts {
  organizationId: string;
  createdById: string;
  assignedToId: string | null;
  status: TicketStatus;
}

/** Whether a caller may see a ticket with these facts: `visibleTickets` as a predicate. */
export function canSeeTicket(scope: Scope, ticket: TicketVisibilityFacts): boolean {
  return TICKET_VISIBILITY[scope.role].some(
    (clause) =>
      (!clause.ownOrganization ||
        (scope.organizationId !== null && ticket.organizationId === scope.organizationId)) &&
      (!clause.filedByCaller || ticket.createdById === scope.actorId) &&
      (clause.assignee !== 'caller' || ticket.assignedToId === scope.actorId) &&
      (clause.assignee !== 'nobody' || ticket.assignedToId === null) &&
      (!clause.status || ticket.status === clause.status),
  );
}

/** What the visibility rules look at in a live ticket event. */
export interface TicketEventVisibilityFacts extends TicketVisibilityFacts {
  /** An internal note or attachment, or an SLA alert: staff only. */
  internal: boolean;
  /** The ticket's status and assignee before a transition, when it had them. */
  previous?: Pick<TicketVisibilityFacts, 'status' | 'assignedToId'> | undefined;
}

/**
 * Whether a caller may be told about a ticket event: they see the ticket after the change or saw it
 * before (an agent learns that a ticket left their queue), and internal events reach staff only.
 */
export function canSeeTicketEvent(scope: Scope, event: TicketEventVisibilityFacts): boolean {
  if (event.internal && !seesInternal(scope)) return false;
  return (
    canSeeTicket(scope, event) || (!!event.previous && canSeeTicket(scope, { ...event, ...event.previous }))
  );
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

/**
 * Sets an SLA flag (breached, or the time of the warning) on a ticket the system reached through this
 * helper, only if it is not set yet: the one caller that flips it records the alert.
 */
export async function markSlaAlert(
  em: EntityManager,
  ticket: Ticket,
  clock: 'first_response' | 'resolution',
  kind: 'warning' | 'breach',
  at: Date,
): Promise<boolean> {
  const where = { id: ticket.id, organization: ticket.organization.id };
  const changed =
    kind === 'breach'
      ? clock === 'first_response'
        ? await em.nativeUpdate(
            Ticket,
            { ...where, firstResponseBreached: false },
            { firstResponseBreached: true },
          )
        : await em.nativeUpdate(Ticket, { ...where, resolutionBreached: false }, { resolutionBreached: true })
      : clock === 'first_response'
        ? await em.nativeUpdate(
            Ticket,
            { ...where, firstResponseWarnedAt: null },
            { firstResponseWarnedAt: at },
          )
        : await em.nativeUpdate(Ticket, { ...where, resolutionWarnedAt: null }, { resolutionWarnedAt: at });
  return changed > 0;
}

/**
 * Tickets whose running clock passed its due time without being flagged: what the sweeper checks in
 * case a timer job was lost. Across organizations, for the system only.
 */
export async function findOverdueSlaTickets(em: EntityManager, now: Date, limit: number): Promise<Ticket[]> {
  return em.find(
    Ticket,
    {
      slaStartedAt: { $ne: null },
      slaPausedAt: null,
      status: { $nin: ['RESOLVED', 'CLOSED', 'CANCELLED'] },
      $or: [
        { firstRespondedAt: null, firstResponseBreached: false, firstResponseDueAt: { $lte: now } },
        { resolutionBreached: false, resolutionDueAt: { $lte: now } },
      ],
    },
    { orderBy: { resolutionDueAt: 'asc' }, limit },
  );
}

/** RESOLVED tickets resolved before `resolvedBefore`: what the nightly auto-close closes. */
export async function findTicketsToAutoClose(
  em: EntityManager,
  resolvedBefore: Date,
  limit: number,
): Promise<Ticket[]> {
  return em.find(
    Ticket,
    { status: 'RESOLVED', resolvedAt: { $lt: resolvedBefore } },
    { orderBy: { resolvedAt: 'asc' }, limit },
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

/** The dashboard's counts for one status and priority, over the tickets the caller may see. */
export interface TicketCountGroup {
  status: TicketStatus;
  priority: Ticket['priority'];
  count: number;
  /** A clock flagged breached, or a running clock past its due time that the sweeper has not flagged yet. */
  breached: number;
  /** Not breached, and a running, unmet clock has under `riskShare` of its time left. */
  atRisk: number;
  /** Held by the caller. */
  mine: number;
  /** Held by the caller and breached. */
  mineBreached: number;
  oldestCreatedAt: Date | null;
}

/** Aggregates behind the staff dashboard, computed by PostgreSQL over `visibleTickets(scope)`. */
export interface TicketAggregates {
  groups: TicketCountGroup[];
  /** Tickets not yet resolved, closed or cancelled, per organization. */
  openByOrganization: { organizationId: string; count: number }[];
  /** Tickets created and resolved per local day (`YYYY-MM-DD` in `timezone`) since `since`. */
  createdPerDay: { day: string; count: number }[];
  resolvedPerDay: { day: string; count: number }[];
}

const OPEN_STATUSES: TicketStatus[] = ['NEW', 'ACCEPTED', 'ASSIGNED', 'IN_PROGRESS', 'WAITING_CUSTOMER'];

/**
 * Counts for the staff dashboard in four grouped queries (never a row per ticket): per status and
 * priority with the SLA and "mine" figures as FILTER clauses, open tickets per organization, and the
 * created and resolved series per day in the caller's timezone.
 */
export async function aggregateVisibleTickets(
  em: EntityManager,
  scope: Scope,
  options: { now: Date; since: Date; timezone: string; riskShare: number },
): Promise<TicketAggregates> {
  const { now, since, timezone, riskShare } = options;
  const running = 'sla_started_at is not null and sla_paused_at is null';
  const breached = `(first_response_breached or resolution_breached or (${running} and ((first_responded_at is null and first_response_due_at <= ?) or resolution_due_at <= ?)))`;
  const atRisk = `(not ${breached} and ${running} and ((first_responded_at is null and first_response_due_at - ?::timestamptz < (first_response_due_at - sla_started_at) * ?) or (resolution_due_at - ?::timestamptz < (resolution_due_at - sla_started_at) * ?)))`;
  const mine = 'assigned_to_id = ?';
  // The query builder types its conditions apart from em.find's FilterQuery; at run time the same
  // visibility object is read the same way by both, so the one rule stays the one rule.
  const where = (...more: FilterQuery<Ticket>[]) =>
    ({ $and: [visibleTickets(scope), ...more] }) as unknown as QBFilterQuery<Ticket>;
  const groups = await em
    .createQueryBuilder(Ticket)
    .where(where())
    .select([
      'status',
      'priority',
      raw('count(*)::int as count'),
      raw(`(count(*) filter (where ${breached}))::int as breached`, [now, now]),
      raw(`(count(*) filter (where ${atRisk}))::int as at_risk`, [now, now, now, riskShare, now, riskShare]),
      raw(`(count(*) filter (where ${mine}))::int as mine`, [scope.actorId]),
      raw(`(count(*) filter (where ${mine} and ${breached}))::int as mine_breached`, [
        scope.actorId,
        now,
        now,
      ]),
      raw('min(created_at) as oldest_created_at'),
    ])
    .groupBy(['status', 'priority'])
    .execute<
      {
        status: TicketStatus;
        priority: Ticket['priority'];
        count: number;
        breached: number;
        at_risk: number;
        mine: number;
        mine_breached: number;
        oldest_created_at: Date | string | null;
      }[]
    >('all', false);
  const openByOrganization = await em
    .createQueryBuilder(Ticket)
    .where(where({ status: { $in: OPEN_STATUSES } }))
    .select([raw('organization_id as organization_id'), raw('count(*)::int as count')])
    .groupBy(raw('organization_id'))
    .execute<{ organization_id: string; count: number }[]>('all', false);
  const perDay = (column: 'created_at' | 'resolved_at', field: 'createdAt' | 'resolvedAt') =>
    em
      .createQueryBuilder(Ticket)
      .where(where({ [field]: { $gte: since } }))
      .select([
        raw(`to_char(${column} at time zone ?, 'YYYY-MM-DD') as day`, [timezone]),
        raw('count(*)::int as count'),
      ])
      .groupBy(raw(`to_char(${column} at time zone ?, 'YYYY-MM-DD')`, [timezone]))
      .execute<{ day: string; count: number }[]>('all', false);
  const [createdPerDay, resolvedPerDay] = await Promise.all([
    perDay('created_at', 'createdAt'),
    perDay('resolved_at', 'resolvedAt'),
  ]);
  return {
    groups: groups.map((row) => ({
      status: row.status,
      priority: row.priority,
      count: row.count,
      breached: row.breached,
      atRisk: row.at_risk,
      mine: row.mine,
      mineBreached: row.mine_breached,
      oldestCreatedAt: row.oldest_created_at === null ? null : new Date(row.oldest_created_at),
    })),
    openByOrganization: openByOrganization.map((row) => ({
      organizationId: row.organization_id,
      count: row.count,
    })),
    createdPerDay,
    resolvedPerDay,
  };
}
