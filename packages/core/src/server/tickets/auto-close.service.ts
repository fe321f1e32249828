import type { EntityManager } from '@mikro-orm/postgresql';
import { REOPEN_WINDOW_DAYS } from '../../domain/tickets/ticket-workflow.ts';
import { SYSTEM_SCOPE } from '../auth/scope.ts';
import { findTicketsToAutoClose } from '../db/scoped.ts';
import type { Logger } from '../logging/logger.ts';
import { performTicketAction } from './ticket.service.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Closes the tickets RESOLVED for more than `afterDays` days (at least the reopen window: until then a
 * customer's reply may still reopen them), each in its own transaction and audited as the system.
 * Returns how many it closed. A ticket reopened or closed meanwhile is skipped.
 */
export async function autoCloseResolvedTickets(
  em: EntityManager,
  options: { afterDays: number; logger: Logger; now?: Date; batch?: number },
): Promise<number> {
  const now = options.now ?? new Date();
  const days = Math.max(options.afterDays, REOPEN_WINDOW_DAYS);
  const due = await findTicketsToAutoClose(
    em.fork(),
    new Date(now.getTime() - days * DAY_MS),
    options.batch ?? 500,
  );
  let closed = 0;
  for (const ticket of due) {
    try {
      await performTicketAction(em.fork(), SYSTEM_SCOPE, ticket.id, 'close', {}, now);
      closed++;
    } catch (error) {
      // Another change won the race (reopened, closed by a manager): nothing to do for this one.
      options.logger.info({ ticketId: ticket.id, err: error }, 'auto-close skipped a ticket');
    }
  }
  return closed;
}
