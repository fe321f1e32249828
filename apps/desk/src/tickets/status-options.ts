import type { TicketAction, TicketStatus } from '@atum-desk/core/domain';

/** The status each workflow action of the status endpoint leads to (SPEC §5). */
const STATUS_OF_ACTION: Partial<Record<TicketAction, TicketStatus>> = {
  start: 'IN_PROGRESS',
  resume: 'IN_PROGRESS',
  reopen: 'IN_PROGRESS',
  request_info: 'WAITING_CUSTOMER',
  resolve: 'RESOLVED',
  close: 'CLOSED',
};

/** The statuses the caller may move the ticket to now, from the server's `allowedActions`. */
export function statusTargets(allowed: readonly TicketAction[]): TicketStatus[] {
  const targets: TicketStatus[] = [];
  for (const action of allowed) {
    const status = STATUS_OF_ACTION[action];
    if (status && !targets.includes(status)) targets.push(status);
  }
  return targets;
}

/** What moving to `status` means, for the option's words: "In progress (start work)". */
export function statusChangeHint(from: TicketStatus, to: TicketStatus): string {
  if (to === 'IN_PROGRESS') {
    if (from === 'WAITING_CUSTOMER') return 'resume without an answer';
    if (from === 'RESOLVED') return 'reopen';
    return 'start work';
  }
  if (to === 'WAITING_CUSTOMER') return 'ask the customer; SLA pauses';
  if (to === 'RESOLVED') return 'needs resolution and root cause';
  if (to === 'CLOSED') return 'read-only from then on';
  return '';
}
