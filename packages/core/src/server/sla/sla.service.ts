import type { EntityManager } from '@mikro-orm/postgresql';
import type { SlaClock, SlaTargets } from '../../domain/sla/sla-clock.ts';
import type { SlaTimerFacts } from '../../domain/sla/sla-timers.ts';
import type { TicketPriority } from '../../domain/tickets/ticket-enums.ts';
import type { Ticket } from '../tickets/ticket.entity.ts';
import type { TicketFields } from '../tickets/ticket.mapper.ts';
import { SlaPolicy } from './sla-policy.entity.ts';

/** The policy for an organization and priority: its own if it has one, else the global default. */
export async function findSlaPolicy(
  em: EntityManager,
  organizationId: string,
  priority: TicketPriority,
): Promise<SlaPolicy | null> {
  const policies = await em.find(
    SlaPolicy,
    { priority, $or: [{ organization: organizationId }, { organization: null }] },
    // Organization-specific first (nulls last), so the first row wins.
    { orderBy: { organization: { id: 'asc nulls last' } }, limit: 1 },
  );
  return policies[0] ?? null;
}

/** What a policy promises. */
export function targetsOf(policy: SlaPolicy): SlaTargets {
  return {
    firstResponseMinutes: policy.firstResponseMinutes,
    resolutionMinutes: policy.resolutionMinutes,
    calendar: policy.calendar,
  };
}

/** The SLA fields of a ticket as a clock. */
export function readClock(ticket: TicketFields): SlaClock {
  return {
    startedAt: ticket.slaStartedAt ?? null,
    pausedAt: ticket.slaPausedAt ?? null,
    pausedMinutes: ticket.slaPausedMinutes,
    firstResponseDueAt: ticket.firstResponseDueAt ?? null,
    firstRespondedAt: ticket.firstRespondedAt ?? null,
    resolutionDueAt: ticket.resolutionDueAt ?? null,
    firstResponseBreached: ticket.firstResponseBreached,
    resolutionBreached: ticket.resolutionBreached,
  };
}

/** Stores a clock on its ticket. */
export function writeClock(ticket: Ticket, clock: SlaClock): void {
  ticket.slaStartedAt = clock.startedAt;
  ticket.slaPausedAt = clock.pausedAt;
  // Whole minutes are enough to explain a clock; the due times keep the exact instants.
  ticket.slaPausedMinutes = Math.round(clock.pausedMinutes);
  ticket.firstResponseDueAt = clock.firstResponseDueAt;
  ticket.firstRespondedAt = clock.firstRespondedAt;
  ticket.resolutionDueAt = clock.resolutionDueAt;
  ticket.firstResponseBreached = clock.firstResponseBreached;
  ticket.resolutionBreached = clock.resolutionBreached;
}

/**
 * The policy the ticket's clocks run on: its own, or, when that policy was deleted since, the one that
 * now applies to its organization and priority.
 */
export async function slaPolicyOf(em: EntityManager, ticket: TicketFields): Promise<SlaPolicy | null> {
  if (!ticket.slaStartedAt) return null;
  return (
    (ticket.slaPolicy ? await em.findOne(SlaPolicy, ticket.slaPolicy.id) : null) ??
    (await findSlaPolicy(em, ticket.organization.id, ticket.priority))
  );
}

/** What the SLA timers need to know about a ticket; null when it has no running SLA policy. */
export async function slaFactsOf(em: EntityManager, ticket: Ticket): Promise<SlaTimerFacts | null> {
  const policy = await slaPolicyOf(em, ticket);
  if (!policy) return null;
  return {
    status: ticket.status,
    clock: readClock(ticket),
    firstResponseWarnedAt: ticket.firstResponseWarnedAt ?? null,
    resolutionWarnedAt: ticket.resolutionWarnedAt ?? null,
    targets: targetsOf(policy),
    warnAtPercent: policy.warnAtPercent,
  };
}
