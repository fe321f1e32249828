import { z } from 'zod';
import { ZSlaTimeline } from '../../domain/sla/sla-timeline.ts';
import {
  ZAddStaffCommentInput,
  ZAssignInput,
  ZComment,
  ZPageInput,
  ZPriorityInput,
  ZRejectInput,
  ZStaffTicket,
  ZStaffTicketDetail,
  ZStaffTicketListInput,
  ZStaffTicketPage,
  ZStatusInput,
  ZTicketId,
} from '../../domain/tickets/ticket.schema.ts';
import { allowedActions } from '../../domain/tickets/ticket-workflow.ts';
import { workflowActor } from '../auth/scope.ts';
import { findVisibleTicket } from '../db/scoped.ts';
import { slaTimelineOf } from '../sla/sla-timeline.service.ts';
import { t } from '../trpc/init.ts';
import { managerProcedure, staffProcedure } from '../trpc/procedures.ts';
import { toCommentInfo, toStaffTicketInfo } from './ticket.mapper.ts';
import {
  addComment,
  changeTicketPriority,
  changeTicketStatus,
  getTicketDetail,
  listTickets,
  performTicketAction,
} from './ticket.service.ts';

const ZIdInput = z.object({ id: ZTicketId });

/** The staff ticket API (SPEC §11, `/internal/tickets`). */
export const internalTicketRouter = t.router({
  list: staffProcedure
    .meta({
      openapi: { method: 'GET', path: '/internal/tickets', tags: ['internal'], summary: 'Tickets, filtered' },
      sessionGate: true,
    })
    .input(ZStaffTicketListInput)
    .output(ZStaffTicketPage)
    .query(async ({ ctx, input }) => {
      const page = await listTickets(ctx.em, ctx.scope, input);
      return { items: page.items.map(toStaffTicketInfo), nextCursor: page.nextCursor };
    }),

  newQueue: managerProcedure
    .meta({
      openapi: { method: 'GET', path: '/internal/tickets/new', tags: ['internal'], summary: 'The NEW queue' },
      sessionGate: true,
    })
    .input(ZPageInput)
    .output(ZStaffTicketPage)
    .query(async ({ ctx, input }) => {
      const page = await listTickets(ctx.em, ctx.scope, { ...input, status: 'NEW' });
      return { items: page.items.map(toStaffTicketInfo), nextCursor: page.nextCursor };
    }),

  get: staffProcedure
    .meta({
      openapi: { method: 'GET', path: '/internal/tickets/{id}', tags: ['internal'], summary: 'Full detail' },
      sessionGate: true,
    })
    .input(ZIdInput)
    .output(ZStaffTicketDetail)
    .query(async ({ ctx, input }) => {
      const detail = await getTicketDetail(ctx.em, ctx.scope, input.id);
      const ticket = detail.ticket;
      return {
        ...toStaffTicketInfo(ticket),
        comments: detail.comments,
        attachments: detail.attachments,
        allowedActions: allowedActions(
          workflowActor(ctx.scope),
          {
            status: ticket.status,
            createdById: ticket.createdBy.id,
            assignedToId: ticket.assignedTo?.id ?? null,
            resolvedAt: ticket.resolvedAt ?? null,
          },
          new Date(),
        ),
        slaTimeline: await slaTimelineOf(ctx.em, ticket),
      };
    }),

  sla: staffProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/internal/tickets/{id}/sla',
        tags: ['internal'],
        summary: 'The SLA timeline: running and paused stretches, due times, alerts',
      },
    })
    .input(ZIdInput)
    .output(ZSlaTimeline.nullable())
    .query(async ({ ctx, input }) =>
      slaTimelineOf(ctx.em, await findVisibleTicket(ctx.em, ctx.scope, input.id)),
    ),

  accept: managerProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/internal/tickets/{id}/accept',
        tags: ['internal'],
        summary: 'Accept a NEW ticket',
      },
    })
    .input(ZIdInput)
    .output(ZStaffTicket)
    .mutation(async ({ ctx, input }) =>
      toStaffTicketInfo(await performTicketAction(ctx.em, ctx.scope, input.id, 'accept')),
    ),

  reject: managerProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/internal/tickets/{id}/reject',
        tags: ['internal'],
        summary: 'Reject a NEW ticket',
      },
    })
    .input(ZRejectInput)
    .output(ZStaffTicket)
    .mutation(async ({ ctx, input }) =>
      toStaffTicketInfo(
        await performTicketAction(ctx.em, ctx.scope, input.id, 'reject', { reason: input.reason }),
      ),
    ),

  assign: staffProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/internal/tickets/{id}/assign',
        tags: ['internal'],
        summary: 'Assign',
      },
    })
    .input(ZAssignInput)
    .output(ZStaffTicket)
    .mutation(async ({ ctx, input }) =>
      toStaffTicketInfo(
        await performTicketAction(ctx.em, ctx.scope, input.id, 'assign', { assigneeId: input.assigneeId }),
      ),
    ),

  status: staffProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/internal/tickets/{id}/status',
        tags: ['internal'],
        summary: 'Change status',
      },
    })
    .input(ZStatusInput)
    .output(ZStaffTicket)
    .mutation(async ({ ctx, input }) =>
      toStaffTicketInfo(await changeTicketStatus(ctx.em, ctx.scope, input)),
    ),

  priority: staffProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/internal/tickets/{id}/priority',
        tags: ['internal'],
        summary: 'Change priority',
      },
    })
    .input(ZPriorityInput)
    .output(ZStaffTicket)
    .mutation(async ({ ctx, input }) =>
      toStaffTicketInfo(await changeTicketPriority(ctx.em, ctx.scope, input)),
    ),

  comment: staffProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/internal/tickets/{id}/comments',
        tags: ['internal'],
        summary: 'Reply or add an internal note',
      },
      sessionGate: true,
    })
    .input(ZAddStaffCommentInput)
    .output(ZComment)
    .mutation(async ({ ctx, input }) => toCommentInfo(await addComment(ctx.em, ctx.scope, input))),
});
