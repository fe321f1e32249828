import { z } from 'zod';
import { ZAttachment } from '../attachments/allowed-types.ts';
import { ZBodyFlag } from '../body-flag.schema.ts';
import { ZSlaTimeline } from '../sla/sla-timeline.ts';
import { ZTicketPriority, ZTicketStatus } from './ticket-enums.ts';
import { TICKET_ACTIONS } from './ticket-workflow.ts';

// Inputs and outputs of the ticket API: the forms of the portal and desk use the same schemas.

const ZText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `enter a ${what}`)
    .max(max, `keep the ${what} under ${max + 1} characters`);

/** A ticket id in a path or body. */
export const ZTicketId = z.uuid({ error: 'not a ticket id' });

export const ZCreateTicketInput = z.object({
  title: ZText(200, 'title'),
  description: ZText(20_000, 'description'),
  priority: ZTicketPriority,
  serviceId: z.uuid().nullish(),
  category: z.string().trim().max(100).nullish(),
  /** Staff filing on a customer's behalf name the requester; customers file for themselves. */
  requesterId: z.uuid().nullish(),
});
export type CreateTicketInput = z.infer<typeof ZCreateTicketInput>;

/** SLA state of a ticket (SPEC §11); staff only. */
export const ZTicketSla = z.object({
  policyId: z.uuid().nullable(),
  startedAt: z.date().nullable(),
  pausedAt: z.date().nullable(),
  pausedMinutes: z.number(),
  firstResponseDueAt: z.date().nullable(),
  firstRespondedAt: z.date().nullable(),
  resolutionDueAt: z.date().nullable(),
  firstResponseBreached: z.boolean(),
  resolutionBreached: z.boolean(),
});
export type TicketSla = z.infer<typeof ZTicketSla>;

/** A ticket as customers see it: no SLA internals. */
export const ZTicket = z.object({
  id: z.uuid(),
  number: z.number().int(),
  organizationId: z.uuid(),
  serviceId: z.uuid().nullable(),
  createdById: z.uuid(),
  acceptedById: z.uuid().nullable(),
  assignedToId: z.uuid().nullable(),
  status: ZTicketStatus,
  priority: ZTicketPriority,
  title: z.string(),
  description: z.string(),
  category: z.string().nullable(),
  resolution: z.string().nullable(),
  rootCause: z.string().nullable(),
  /** Why it was rejected or cancelled. */
  cancelReason: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  acceptedAt: z.date().nullable(),
  resolvedAt: z.date().nullable(),
  closedAt: z.date().nullable(),
});
export type TicketInfo = z.infer<typeof ZTicket>;

/** A ticket as staff see it. */
export const ZStaffTicket = ZTicket.extend({ sla: ZTicketSla });
export type StaffTicketInfo = z.infer<typeof ZStaffTicket>;

export const ZComment = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  authorId: z.uuid(),
  body: z.string(),
  internal: z.boolean(),
  createdAt: z.date(),
});
export type CommentInfo = z.infer<typeof ZComment>;

export const ZAddCommentInput = z.object({
  id: ZTicketId,
  body: ZText(20_000, 'reply'),
});

export const ZAddStaffCommentInput = ZAddCommentInput.extend({
  /** Internal notes are never shown to customers. */
  internal: ZBodyFlag.default(false),
});

/** Keyset paging: the cursor is opaque to clients. */
export const ZPageInput = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const ZTicketListInput = ZPageInput.extend({
  status: ZTicketStatus.optional(),
  q: z.string().trim().max(200).optional(),
});

export const ZStaffTicketListInput = ZTicketListInput.extend({
  priority: ZTicketPriority.optional(),
  assigneeId: z.uuid().optional(),
  organizationId: z.uuid().optional(),
});

export const ZTicketPage = z.object({ items: z.array(ZTicket), nextCursor: z.string().nullable() });
export const ZStaffTicketPage = z.object({ items: z.array(ZStaffTicket), nextCursor: z.string().nullable() });

export const ZRejectInput = z.object({ id: ZTicketId, reason: ZText(2_000, 'reason') });
export const ZCancelInput = z.object({ id: ZTicketId, reason: z.string().trim().max(2_000).optional() });
export const ZAssignInput = z.object({ id: ZTicketId, assigneeId: z.uuid({ error: 'not a user id' }) });
export const ZStatusInput = z.object({
  id: ZTicketId,
  status: ZTicketStatus,
  resolution: z.string().trim().max(20_000).optional(),
  rootCause: z.string().trim().max(20_000).optional(),
});
export type StatusInput = z.infer<typeof ZStatusInput>;
export const ZPriorityInput = z.object({ id: ZTicketId, priority: ZTicketPriority });

/** A ticket with what the caller may see of its conversation (customers: public only). */
export const ZTicketDetail = ZTicket.extend({
  comments: z.array(ZComment),
  attachments: z.array(ZAttachment),
});
export type TicketDetailInfo = z.infer<typeof ZTicketDetail>;

/** The staff view: every comment and attachment, the SLA state, and what the caller may do next. */
export const ZStaffTicketDetail = ZStaffTicket.extend({
  comments: z.array(ZComment),
  attachments: z.array(ZAttachment),
  allowedActions: z.array(z.enum(TICKET_ACTIONS)),
  /** Why the clocks say what they say; null before acceptance. */
  slaTimeline: ZSlaTimeline.nullable(),
});
export type StaffTicketDetailInfo = z.infer<typeof ZStaffTicketDetail>;
