import { z } from 'zod';

/** Every status a ticket can be in (SPEC §5). */
export const TICKET_STATUSES = [
  'NEW',
  'ACCEPTED',
  'ASSIGNED',
  'IN_PROGRESS',
  'WAITING_CUSTOMER',
  'RESOLVED',
  'CLOSED',
  'CANCELLED',
] as const;
export const ZTicketStatus = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof ZTicketStatus>;

/** Ticket priorities, most urgent first; shown as P1–P4. */
export const TICKET_PRIORITIES = ['URGENT', 'HIGH', 'MEDIUM', 'LOW'] as const;
export const ZTicketPriority = z.enum(TICKET_PRIORITIES);
export type TicketPriority = z.infer<typeof ZTicketPriority>;

/** The P1–P4 label of a priority. */
export function priorityLabel(priority: TicketPriority): `P${1 | 2 | 3 | 4}` {
  return `P${(TICKET_PRIORITIES.indexOf(priority) + 1) as 1 | 2 | 3 | 4}`;
}
