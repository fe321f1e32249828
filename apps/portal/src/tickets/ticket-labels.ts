import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketPriority,
  type TicketStatus,
} from '@atum-desk/core/domain';
import { priorityText, statusLabel } from '@atum-desk/ui';

/** Status filter choices, in workflow order. */
export const STATUS_OPTIONS: { value: TicketStatus; label: string }[] = TICKET_STATUSES.map((status) => ({
  value: status,
  label: statusLabel(status),
}));

/** Priority choices, most urgent first: "P1 · Urgent" … "P4 · Low". */
export const PRIORITY_OPTIONS: { value: TicketPriority; label: string }[] = TICKET_PRIORITIES.map(
  (priority) => ({ value: priority, label: priorityText(priority) }),
);

/** Whether a string from the address bar is a ticket status. */
export function isTicketStatus(value: string | undefined): value is TicketStatus {
  return (TICKET_STATUSES as readonly string[]).includes(value ?? '');
}
