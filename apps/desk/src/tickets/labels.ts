import type { TicketStatus } from '@atum-desk/core/domain';
import { statusLabel } from '@atum-desk/ui';

/** Status words for staff: the customer reads "Waiting for you", staff "Waiting for customer". */
export function staffStatusLabel(status: TicketStatus | string): string {
  return status === 'WAITING_CUSTOMER' ? 'Waiting for customer' : statusLabel(status);
}

/** "#1042". */
export function ticketNumber(ticket: { number: number }): string {
  return `#${ticket.number}`;
}
