import type { EntityManager } from '@mikro-orm/postgresql';
import {
  pendingSlaTimers,
  SLA_ALERTS,
  SLA_CLOCKS,
  type SlaAlertKind,
  type SlaClockName,
} from '../../domain/sla/sla-timers.ts';
import { cancelJob, enqueueJob } from '../jobs/enqueue.ts';
import type { Ticket } from '../tickets/ticket.entity.ts';
import type { TicketEventHandler } from '../tickets/ticket-events.ts';
import { slaFactsOf } from './sla.service.ts';

/** The graphile-worker task that checks one alert of one clock. */
export const SLA_CHECK_TASK = 'sla/check-alert';

/** The job key of a ticket's timer: rescheduling replaces it instead of adding another. */
export function slaTimerKey(ticketId: string, clock: SlaClockName, kind: SlaAlertKind): string {
  return `sla:${ticketId}:${clock}:${kind}`;
}

/** Sets a job at each pending alert of the ticket's clocks and removes the timers no longer pending. */
export async function scheduleSlaTimers(tx: EntityManager, ticket: Ticket): Promise<void> {
  const facts = await slaFactsOf(tx, ticket);
  const pending = facts ? pendingSlaTimers(facts) : [];
  for (const clock of SLA_CLOCKS) {
    for (const kind of SLA_ALERTS) {
      const key = slaTimerKey(ticket.id, clock, kind);
      const timer = pending.find((candidate) => candidate.clock === clock && candidate.kind === kind);
      if (timer) {
        await enqueueJob(
          tx,
          SLA_CHECK_TASK,
          { ticketId: ticket.id, clock, kind },
          { runAt: timer.at, jobKey: key },
        );
      } else {
        await cancelJob(tx, key);
      }
    }
  }
}

/** Keeps the timers in step with every change to an accepted ticket's clocks. */
export const slaTimersOnTicketEvent: TicketEventHandler = async (tx, _scope, event) => {
  if (event.type === 'created' || event.type === 'commented' || event.type === 'attachment_added') return;
  if (!event.ticket.slaStartedAt) return;
  await scheduleSlaTimers(tx, event.ticket);
};
