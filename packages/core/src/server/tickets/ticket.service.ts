import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import { isStaffRole } from '../../domain/auth/roles.ts';
import { DomainError } from '../../domain/errors.ts';
import type { BusinessCalendar } from '../../domain/sla/business-calendar.schema.ts';
import {
  meetResolution,
  pauseClock,
  resumeClock,
  retargetClock,
  startClock,
} from '../../domain/sla/sla-clock.ts';
import type {
  CreateTicketInput,
  StatusInput,
  ZStaffTicketListInput,
} from '../../domain/tickets/ticket.schema.ts';
import type { TicketPriority } from '../../domain/tickets/ticket-enums.ts';
import {
  actionForStatusChange,
  decideComment,
  decideStatusChange,
  decideTransition,
  quietCommentKeys,
  requireTransition,
  type TicketAction,
  type TransitionAllowed,
  type WorkflowFields,
  type WorkflowTicket,
} from '../../domain/tickets/ticket-workflow.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { auditActorId, type Scope, workflowActor } from '../auth/scope.ts';
import { newId } from '../db/ids.ts';
import {
  findVisibleTicket,
  findVisibleTicketView,
  listVisibleTickets,
  type Page,
  recordFirstResponse,
  type TicketView,
} from '../db/scoped.ts';
import { queryRows } from '../db/sql.ts';
import {
  type CounterRow,
  RATE_LIMIT_RULES,
  rateLimitResultOf,
  rateLimitUpsert,
  unlimited,
} from '../rate-limits/rate-limiter.ts';
import { Service } from '../services/service.entity.ts';
import { findSlaPolicy, readClock, slaPolicyOf, targetsOf, writeClock } from '../sla/sla.service.ts';
import { User } from '../users/user.entity.ts';
import { Comment } from './comment.entity.ts';
import type { Ticket } from './ticket.entity.ts';
import type { CommentFields, TicketFields, TicketSnapshot } from './ticket.mapper.ts';
import { publishTicketEvent } from './ticket-events.ts';
import { insertNewTicket, insertQuietReply, type NewTicket } from './ticket-writes.ts';

// Ticket use cases. Each loads through the scoping helper, asks the workflow rules, changes the
// entities, writes its audit rows and commits in one transaction. Ticket rows carry a version: a change
// based on a stale read loses with CONFLICT (409) instead of overwriting, so of two managers accepting
// one ticket exactly one wins.

type StaffListInput = z.infer<typeof ZStaffTicketListInput>;

function auditActor(scope: Scope) {
  return { actorId: auditActorId(scope), ip: scope.ip, userAgent: scope.userAgent };
}

function workflowTicket(ticket: TicketFields): WorkflowTicket {
  return {
    status: ticket.status,
    createdById: ticket.createdBy.id,
    assignedToId: ticket.assignedTo?.id ?? null,
    resolvedAt: ticket.resolvedAt ?? null,
  };
}

/** Runs a ticket change in a transaction; a lost version race becomes CONFLICT. */
async function inTransaction<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await em.transactional(work);
  } catch (error) {
    if (error instanceof OptimisticLockError) {
      throw new DomainError(
        'CONFLICT',
        'the ticket was changed by someone else at the same time; reload and retry',
      );
    }
    throw error;
  }
}

/**
 * Files a ticket: customers for themselves, staff on behalf of a named customer (SPEC §5 create).
 * A customer's ticket is one statement (tickets/ticket-writes.ts): it counts the hit against the hourly
 * ticket limit, writes the ticket (taking its number) only if the limit allows it, with its mail event
 * and its audit row; the requester is the caller, whose organization the session check confirmed (the
 * scope's). Staff name the requester, so one statement more first counts the hit and checks that the
 * requester is an active customer, and reads their organization. A refused ticket writes nothing and
 * takes no number.
 */
export async function createTicket(
  em: EntityManager,
  scope: Scope,
  input: CreateTicketInput,
  options: { ticketsPerHour: number },
  now = new Date(),
): Promise<TicketSnapshot> {
  const customer = scope.role === 'CUSTOMER_USER' || scope.role === 'CUSTOMER_ADMIN';
  if (customer && input.requesterId && input.requesterId !== scope.actorId) {
    throw new DomainError('FORBIDDEN', 'customers file tickets for themselves');
  }
  if (!customer && !input.requesterId) {
    throw new DomainError('VALIDATION', 'name the customer (requesterId) you file for', {
      fields: ['requesterId'],
    });
  }
  const rule = RATE_LIMIT_RULES.ticketsPerUser(options.ticketsPerHour);
  const limited = rule.points === 0 ? null : rateLimitUpsert(rule, scope.actorId);
  const refuse = (counter: CounterRow | null): never => {
    const limit = counter ? rateLimitResultOf(rule, counter) : unlimited();
    throw new DomainError('RATE_LIMITED', 'too many tickets opened in the last hour; try again later', {
      retryAfterSeconds: limit.retryAfterSeconds,
    });
  };

  let requesterId = scope.actorId;
  let organizationId = scope.organizationId;
  let counted = false;
  if (!customer) {
    // This statement counts the limit (a write) before the insert that would carry the session check.
    await scope.gate?.confirm();
    requesterId = input.requesterId ?? '';
    const count = limited
      ? {
          with: `with limited as (${limited.sql})`,
          columns: 'l.points, l.reset_ms, l.retry_after,',
          from: 'limited l',
        }
      : { with: '', columns: '', from: '(select 1) as one' };
    const [requester] = await queryRows<Partial<CounterRow> & { organization_id: string | null }>(
      em,
      `${count.with}
       select ${count.columns} r.organization_id
         from ${count.from}
         left join users r on r.id = ? and r.is_active and r.role in ('CUSTOMER_USER', 'CUSTOMER_ADMIN')`,
      [...(limited?.params ?? []), requesterId],
    );
    if (!requester) throw new Error('the requester query returned no row');
    if (limited) {
      const counter = counterOf(requester);
      if (!rateLimitResultOf(rule, counter).allowed) refuse(counter);
      counted = true;
    }
    organizationId = requester.organization_id;
    if (!organizationId) {
      throw new DomainError('VALIDATION', 'requesterId is not an active customer', {
        fields: ['requesterId'],
      });
    }
  }
  if (!organizationId) throw new DomainError('FORBIDDEN', 'only customers of an organization have tickets');

  let service: Service | null = null;
  if (input.serviceId) {
    service = await em.findOne(Service, {
      id: input.serviceId,
      isActive: true,
      $or: [{ organization: null }, { organization: organizationId }],
    });
    if (!service) throw new DomainError('VALIDATION', 'no such service', { fields: ['serviceId'] });
  }
  const ticket: NewTicket = {
    id: newId(),
    organization: { id: organizationId },
    service: service ? { id: service.id } : null,
    createdBy: { id: requesterId },
    acceptedBy: null,
    assignedTo: null,
    status: 'NEW',
    priority: input.priority,
    title: input.title,
    description: input.description,
    category: input.category ?? null,
    resolution: null,
    rootCause: null,
    cancelReason: null,
    createdAt: now,
    updatedAt: now,
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    slaPolicy: null,
    slaStartedAt: null,
    slaPausedAt: null,
    slaPausedMinutes: 0,
    firstResponseDueAt: null,
    firstRespondedAt: null,
    resolutionDueAt: null,
    firstResponseBreached: false,
    resolutionBreached: false,
    version: 1,
  };
  const written = await insertNewTicket(
    em,
    scope,
    auditActor(scope),
    ticket,
    limited && !counted ? { cte: limited, points: rule.points } : undefined,
  );
  if (!written.ticket) {
    if (!written.counter) throw new Error('the ticket insert wrote nothing');
    return refuse(written.counter);
  }
  return written.ticket;
}

function counterOf(row: Partial<CounterRow>): CounterRow {
  if (row.points === undefined || row.reset_ms === undefined || row.retry_after === undefined) {
    throw new Error('the rate limit upsert returned no counter');
  }
  return { points: row.points, reset_ms: row.reset_ms, retry_after: row.retry_after };
}

/** A ticket with the comments and attachments the caller may see, for display. */
export async function getTicketDetail(em: EntityManager, scope: Scope, id: string): Promise<TicketView> {
  return findVisibleTicketView(em, scope, id);
}

/** Tickets the caller may see, with filters, newest first. */
export async function listTickets(
  em: EntityManager,
  scope: Scope,
  input: StaffListInput,
): Promise<Page<TicketFields>> {
  return listVisibleTickets(
    em,
    scope,
    {
      status: input.status,
      priority: input.priority,
      assigneeId: input.assigneeId,
      organizationId: input.organizationId,
      q: input.q,
    },
    { cursor: input.cursor, limit: input.limit },
  );
}

const AUDIT_ACTION: Partial<Record<TicketAction, string>> = {
  accept: 'ticket.accepted',
  reject: 'ticket.rejected',
  assign: 'ticket.assigned',
};

/** Applies what the workflow decided to the ticket, and records it. */
async function applyDecision(
  tx: EntityManager,
  scope: Scope,
  ticket: Ticket,
  action: TicketAction,
  decision: TransitionAllowed,
  now: Date,
): Promise<void> {
  const before = { status: ticket.status, assignedToId: ticket.assignedTo?.id ?? null };
  for (const effect of decision.effects) {
    switch (effect.type) {
      case 'record_acceptance':
        ticket.acceptedBy = tx.getReference(User, effect.acceptedById);
        ticket.acceptedAt = effect.at;
        break;
      case 'start_sla': {
        const found = await findSlaPolicy(tx, ticket.organization.id, ticket.priority);
        ticket.slaPolicy = found;
        if (found) writeClock(ticket, startClock(targetsOf(found), effect.at));
        else ticket.slaStartedAt = effect.at;
        break;
      }
      case 'pause_sla':
        writeClock(ticket, pauseClock(readClock(ticket), effect.at));
        break;
      case 'resume_sla': {
        const calendar = await ticketCalendar(tx, ticket);
        if (calendar) writeClock(ticket, resumeClock(readClock(ticket), calendar, effect.at));
        break;
      }
      case 'stop_resolution_clock': {
        ticket.resolvedAt = effect.at;
        const calendar = await ticketCalendar(tx, ticket);
        // A resolved ticket's clocks stand still; a reopen resumes them.
        if (calendar)
          writeClock(ticket, pauseClock(meetResolution(readClock(ticket), calendar, effect.at), effect.at));
        break;
      }
      case 'set_assignee': {
        const assignee = await tx.findOne(User, { id: effect.assigneeId, isActive: true });
        if (!assignee || !isStaffRole(assignee.role)) {
          throw new DomainError('VALIDATION', 'the assignee must be an active staff member', {
            fields: ['assigneeId'],
          });
        }
        ticket.assignedTo = assignee;
        break;
      }
      case 'record_reason':
        ticket.cancelReason = effect.reason;
        break;
      case 'record_resolution':
        ticket.resolution = effect.resolution;
        ticket.rootCause = effect.rootCause;
        break;
      case 'clear_resolution':
        ticket.resolution = null;
        ticket.rootCause = null;
        ticket.resolvedAt = null;
        break;
      case 'request_csat':
        // The CSAT mail is a job of the notifications capability.
        break;
      case 'record_closure':
        ticket.closedAt = effect.at;
        break;
    }
  }
  ticket.status = decision.to;
  ticket.updatedAt = now;
  recordAudit(tx, auditActor(scope), {
    action: AUDIT_ACTION[action] ?? 'ticket.status_changed',
    organizationId: ticket.organization.id,
    entityType: 'ticket',
    entityId: ticket.id,
    oldValue: before,
    newValue: {
      status: ticket.status,
      assignedToId: ticket.assignedTo?.id ?? null,
      action,
      ...(ticket.cancelReason && action === 'reject' ? { reason: ticket.cancelReason } : {}),
      ...(action === 'resolve' ? { resolution: ticket.resolution, rootCause: ticket.rootCause } : {}),
      ...(ticket.slaStartedAt
        ? {
            firstResponseDueAt: ticket.firstResponseDueAt ?? null,
            resolutionDueAt: ticket.resolutionDueAt ?? null,
          }
        : {}),
    },
  });
  await publishTicketEvent(tx, scope, {
    type: 'transitioned',
    ticket,
    action,
    from: before.status,
    fromAssigneeId: before.assignedToId,
  });
}

/** The business calendar the ticket's clocks run on, if it has a policy. */
async function ticketCalendar(tx: EntityManager, ticket: Ticket): Promise<BusinessCalendar | null> {
  return (await slaPolicyOf(tx, ticket))?.calendar ?? null;
}

/** Performs one workflow action on a ticket the caller can see. */
export async function performTicketAction(
  em: EntityManager,
  scope: Scope,
  id: string,
  action: TicketAction,
  fields: WorkflowFields = {},
  now = new Date(),
): Promise<Ticket> {
  return inTransaction(em, async (tx) => {
    const ticket = await findVisibleTicket(tx, scope, id);
    const decision = requireTransition(
      decideTransition({ actor: workflowActor(scope), ticket: workflowTicket(ticket), action, now, fields }),
    );
    await applyDecision(tx, scope, ticket, action, decision, now);
    await tx.flush();
    return ticket;
  });
}

/** The staff status endpoint: `{status, resolution?, rootCause?}`. */
export async function changeTicketStatus(
  em: EntityManager,
  scope: Scope,
  input: StatusInput,
  now = new Date(),
): Promise<Ticket> {
  return inTransaction(em, async (tx) => {
    const ticket = await findVisibleTicket(tx, scope, input.id);
    const fields: WorkflowFields = {
      ...(input.resolution !== undefined ? { resolution: input.resolution } : {}),
      ...(input.rootCause !== undefined ? { rootCause: input.rootCause } : {}),
    };
    const decision = requireTransition(
      decideStatusChange({
        actor: workflowActor(scope),
        ticket: workflowTicket(ticket),
        to: input.status,
        now,
        fields,
      }),
    );
    const action = actionForStatusChange(ticket.status, input.status) ?? 'start';
    await applyDecision(tx, scope, ticket, action, decision, now);
    await tx.flush();
    return ticket;
  });
}

/** Changes a ticket's priority; accepted tickets get due times under the new priority's policy. */
export async function changeTicketPriority(
  em: EntityManager,
  scope: Scope,
  input: { id: string; priority: TicketPriority },
  now = new Date(),
): Promise<Ticket> {
  return inTransaction(em, async (tx) => {
    const ticket = await findVisibleTicket(tx, scope, input.id);
    const actor = workflowActor(scope);
    const manages = actor.role === 'MANAGER' || actor.role === 'ADMIN';
    const holds = actor.role === 'AGENT' && ticket.assignedTo?.id === actor.userId;
    if (!manages && !holds)
      throw new DomainError('FORBIDDEN', 'only managers and the assignee change priority');
    if (ticket.status === 'CLOSED' || ticket.status === 'CANCELLED') {
      throw new DomainError('INVALID_TRANSITION', `a ${ticket.status} ticket is read-only`);
    }
    if (ticket.priority === input.priority) return ticket;
    const before = {
      priority: ticket.priority,
      firstResponseDueAt: ticket.firstResponseDueAt ?? null,
      resolutionDueAt: ticket.resolutionDueAt ?? null,
    };
    ticket.priority = input.priority;
    if (ticket.slaStartedAt) {
      const policy = await findSlaPolicy(tx, ticket.organization.id, input.priority);
      ticket.slaPolicy = policy;
      if (policy) writeClock(ticket, retargetClock(readClock(ticket), targetsOf(policy)));
    }
    ticket.updatedAt = now;
    recordAudit(tx, auditActor(scope), {
      action: 'ticket.priority_changed',
      organizationId: ticket.organization.id,
      entityType: 'ticket',
      entityId: ticket.id,
      oldValue: before,
      newValue: {
        priority: ticket.priority,
        firstResponseDueAt: ticket.firstResponseDueAt ?? null,
        resolutionDueAt: ticket.resolutionDueAt ?? null,
      },
    });
    await tx.flush();
    await publishTicketEvent(tx, scope, { type: 'priority_changed', ticket, from: before.priority });
    return ticket;
  });
}

/**
 * Adds a comment. A customer's reply may move the ticket (waiting → in progress, resolved → reopened);
 * the first public staff reply after acceptance meets first response. A comment that changes nothing is
 * one statement, conditioned on the rules as data (`quietCommentKeys`; tickets/ticket-writes.ts); when
 * that statement writes nothing, the entity path reads the ticket, asks the rules and tells why (not
 * found, refused) or makes the change with the comment in a transaction.
 */
export async function addComment(
  em: EntityManager,
  scope: Scope,
  input: { id: string; body: string; internal: boolean },
  now = new Date(),
): Promise<CommentFields> {
  const quietKeys = quietCommentKeys(workflowActor(scope).role, input.internal);
  if (quietKeys.length > 0) {
    const comment = await insertQuietReply(
      em,
      scope,
      auditActor(scope),
      quietKeys,
      { ticketId: input.id, body: input.body, internal: input.internal },
      now,
    );
    if (comment) return comment;
  }
  return addCommentWithChange(em, scope, input, now);
}

/**
 * A comment through the entities, in one transaction: refused as the rules refuse it, with the change
 * it makes to its ticket (a customer's reply that moves the status, a staff reply that meets first
 * response), or alone when it changes nothing after all (the ticket changed since the quiet statement).
 */
async function addCommentWithChange(
  em: EntityManager,
  scope: Scope,
  input: { id: string; body: string; internal: boolean },
  now: Date,
): Promise<Comment> {
  return inTransaction(em, async (tx) => {
    const ticket = await findVisibleTicket(tx, scope, input.id);
    const actor = workflowActor(scope);
    const facts = {
      ...workflowTicket(ticket),
      firstResponseDue: !!ticket.slaStartedAt && !ticket.firstRespondedAt,
    };
    const outcome = decideComment(actor, facts, input.internal, now);
    if (!outcome.ok) throw new DomainError(outcome.code, outcome.message);
    if (outcome.movesTicket && actor.role !== 'CUSTOMER_USER' && actor.role !== 'CUSTOMER_ADMIN') {
      await recordFirstResponse(tx, ticket, now);
    } else if (outcome.movesTicket) {
      const decision = requireTransition(
        decideTransition({ actor, ticket: facts, action: 'customer_reply', now }),
      );
      await applyDecision(tx, scope, ticket, 'customer_reply', decision, now);
    }
    const comment = tx.create(Comment, {
      organization: ticket.organization,
      ticket,
      author: tx.getReference(User, scope.actorId),
      body: input.body,
      internal: input.internal,
      createdAt: now,
    });
    recordAudit(tx, auditActor(scope), {
      action: 'comment.created',
      organizationId: ticket.organization.id,
      entityType: 'comment',
      entityId: comment.id,
      newValue: { ticketId: ticket.id, internal: input.internal },
    });
    await tx.flush();
    await publishTicketEvent(tx, scope, { type: 'commented', ticket, comment });
    return comment;
  });
}
