import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../domain/errors.ts';
import {
  isAlertDue,
  pendingSlaTimers,
  type SlaAlertKind,
  type SlaClockName,
} from '../../domain/sla/sla-timers.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { SYSTEM_SCOPE } from '../auth/scope.ts';
import { findOverdueSlaTickets, findVisibleTicket, markSlaAlert } from '../db/scoped.ts';
import { publishTicketEvent } from '../tickets/ticket-events.ts';
import { slaFactsOf } from './sla.service.ts';
import { storeSlaTimers } from './sla-timer-outbox.ts';

export interface SlaAlertCheck {
  ticketId: string;
  clock: SlaClockName;
  kind: SlaAlertKind;
}

/** What a check did: raised the alert, found it not due yet (and rescheduled), or found nothing to do. */
export type SlaAlertOutcome = 'raised' | 'rescheduled' | 'nothing';

/**
 * Raises one SLA alert if it is due now and not raised yet: flags the ticket (once, by a conditional
 * update), writes `sla.breached` or `sla.warned` to the audit log and publishes the alert for mail and
 * live updates, all in one transaction. A timer that fired early because the due time moved later is
 * set again for the new time. Safe to run twice.
 */
export async function checkSlaAlert(
  em: EntityManager,
  check: SlaAlertCheck,
  now = new Date(),
): Promise<SlaAlertOutcome> {
  return em.transactional(async (tx) => {
    const ticket = await findVisibleTicket(tx, SYSTEM_SCOPE, check.ticketId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
      throw error;
    });
    if (!ticket) return 'nothing';
    const facts = await slaFactsOf(tx, ticket);
    if (!facts) return 'nothing';
    if (!isAlertDue(facts, check.clock, check.kind, now)) {
      const later = pendingSlaTimers(facts).find(
        (timer) => timer.clock === check.clock && timer.kind === check.kind,
      );
      if (!later) return 'nothing';
      // Forced: the row may already hold this time while the job that fired early was the only one.
      await storeSlaTimers(tx, ticket.id, [{ clock: check.clock, kind: check.kind, runAt: later.at }], {
        force: true,
      });
      return 'rescheduled';
    }
    if (!(await markSlaAlert(tx, ticket, check.clock, check.kind, now))) return 'nothing';
    const due = check.clock === 'first_response' ? ticket.firstResponseDueAt : ticket.resolutionDueAt;
    recordAudit(
      tx,
      { actorId: null },
      {
        action: check.kind === 'breach' ? 'sla.breached' : 'sla.warned',
        organizationId: ticket.organization.id,
        entityType: 'ticket',
        entityId: ticket.id,
        newValue: { clock: check.clock, dueAt: due ?? null, at: now, priority: ticket.priority },
      },
    );
    await tx.flush();
    await publishTicketEvent(tx, SYSTEM_SCOPE, {
      type: 'sla_alert',
      ticket,
      clock: check.clock,
      kind: check.kind,
    });
    return 'raised';
  });
}

/**
 * The safety net behind the timers: finds running clocks past their due time that nobody flagged (a
 * lost job, a clock moved while the worker was down) and raises their breaches. Returns how many.
 */
export async function sweepSlaBreaches(em: EntityManager, now = new Date(), limit = 500): Promise<number> {
  const overdue = await findOverdueSlaTickets(em.fork(), now, limit);
  let raised = 0;
  for (const ticket of overdue) {
    for (const clock of ['first_response', 'resolution'] as const) {
      const outcome = await checkSlaAlert(em.fork(), { ticketId: ticket.id, clock, kind: 'breach' }, now);
      if (outcome === 'raised') raised++;
    }
  }
  return raised;
}
