import { z } from 'zod';
import { SLA_CLOCKS } from '../../domain/sla/sla-timers.ts';
import { ZTicketPriority, ZTicketStatus } from '../../domain/tickets/ticket-enums.ts';

// What a notification's template needs, captured in the transaction of the event (so the mail says
// what was true then) and stored with the row. Each kind lists exactly what its audience may read:
// customer kinds have no field that could carry an internal note, SLA figures or AI output.

export const ZTicketFacts = z.object({
  id: z.uuid(),
  number: z.number().int(),
  title: z.string(),
  status: ZTicketStatus,
  priority: ZTicketPriority,
});
export type TicketFacts = z.infer<typeof ZTicketFacts>;

const base = { ticket: ZTicketFacts, recipientName: z.string() };

/** Mail to customers: nothing internal. */
export const ZCustomerMailFacts = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ticket_received'), ...base }),
  z.object({ kind: z.literal('ticket_accepted'), ...base }),
  z.object({ kind: z.literal('ticket_rejected'), ...base, reason: z.string() }),
  z.object({ kind: z.literal('ticket_status_changed'), ...base, from: ZTicketStatus, to: ZTicketStatus }),
  z.object({
    kind: z.literal('ticket_resolved'),
    ...base,
    resolution: z.string(),
    /** Whether to ask for a rating: false once the ticket has its answer. */
    survey: z.boolean(),
  }),
  z.object({ kind: z.literal('public_reply'), ...base, authorName: z.string(), body: z.string() }),
]);
export type CustomerMailFacts = z.infer<typeof ZCustomerMailFacts>;

/** Which SLA clock an alert is about, and its due time then (ISO). */
const slaFields = { clock: z.enum(SLA_CLOCKS), dueAt: z.iso.datetime().nullable() };

/** Mail to staff. */
export const ZStaffMailFacts = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ticket_created'),
    ...base,
    requesterName: z.string(),
    organizationName: z.string(),
    description: z.string(),
  }),
  z.object({ kind: z.literal('ticket_assigned'), ...base, assignedByName: z.string() }),
  z.object({ kind: z.literal('customer_reply'), ...base, authorName: z.string(), body: z.string() }),
  z.object({ kind: z.literal('internal_note'), ...base, authorName: z.string(), body: z.string() }),
  z.object({ kind: z.literal('sla_warning'), ...base, ...slaFields }),
  z.object({ kind: z.literal('sla_breach'), ...base, ...slaFields }),
]);
export type StaffMailFacts = z.infer<typeof ZStaffMailFacts>;

export type MailFacts = CustomerMailFacts | StaffMailFacts;
