import type { EntityManager } from '@mikro-orm/postgresql';
import { pendingSlaTimers, SLA_ALERTS, SLA_CLOCKS } from '../../domain/sla/sla-timers.ts';
import type { Ticket } from '../tickets/ticket.entity.ts';
import type { TicketEventHandler } from '../tickets/ticket-events.ts';
import { slaFactsOf } from './sla.service.ts';
import { storeSlaTimers, type WantedSlaTimer } from './sla-timer-outbox.ts';

/**
 * Wants a job at each pending alert of the ticket's clocks and none for the others; the jobs are set
 * or removed after the commit (sla-timer-outbox.ts).
 */
export async function scheduleSlaTimers(tx: EntityManager, ticket: Ticket): Promise<void> {
  const facts = await slaFactsOf(tx, ticket);
  const pending = facts ? pendingSlaTimers(facts) : [];
  const wanted: WantedSlaTimer[] = [];
  for (const clock of SLA_CLOCKS) {
    for (const kind of SLA_ALERTS) {
      const timer = pending.find((candidate) => candidate.clock === clock && candidate.kind === kind);
      wanted.push({ clock, kind, runAt: timer?.at ?? null });
    }
  }
  await storeSlaTimers(tx, ticket.id, wanted);
}

/** Keeps the timers in step with every change to an accepted ticket's clocks. */
export const slaTimersOnTicketEvent: TicketEventHandler = async (tx, _scope, event) => {
  if (event.type === 'created' || event.type === 'commented' || event.type === 'attachment_added') return;
  if (!event.ticket.slaStartedAt) return;
  await scheduleSlaTimers(tx, event.ticket);
};
