import { z } from 'zod';
import {
  ZAddCommentInput,
  ZCancelInput,
  ZComment,
  ZCreateTicketInput,
  ZTicket,
  ZTicketDetail,
  ZTicketId,
  ZTicketListInput,
  ZTicketPage,
} from '../../domain/tickets/ticket.schema.ts';
import { t } from '../trpc/init.ts';
import { signedInProcedure } from '../trpc/procedures.ts';
import { toCommentInfo, toTicketInfo } from './ticket.mapper.ts';
import {
  addComment,
  createTicket,
  getTicketDetail,
  listTickets,
  performTicketAction,
} from './ticket.service.ts';

// The customer-facing ticket API (SPEC §11, "customer" rows). Staff may call it too and then see what
// the scoping rules let them see, but never internal notes here: the desk uses `internal.tickets`.

export const ticketRouter = t.router({
  create: signedInProcedure
    .meta({
      openapi: { method: 'POST', path: '/tickets', tags: ['tickets'], summary: 'Open a ticket' },
      sessionGate: true,
    })
    .input(ZCreateTicketInput)
    .output(ZTicket)
    .mutation(async ({ ctx, input }) =>
      toTicketInfo(
        await createTicket(ctx.em, ctx.scope, input, {
          ticketsPerHour: ctx.config.rateLimits.ticketsPerHour,
        }),
      ),
    ),

  list: signedInProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/tickets',
        tags: ['tickets'],
        summary: 'Tickets visible to the caller',
      },
      sessionGate: true,
    })
    .input(ZTicketListInput)
    .output(ZTicketPage)
    .query(async ({ ctx, input }) => {
      const page = await listTickets(ctx.em, ctx.scope, input);
      return { items: page.items.map(toTicketInfo), nextCursor: page.nextCursor };
    }),

  get: signedInProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/tickets/{id}',
        tags: ['tickets'],
        summary: 'A ticket with its public conversation',
      },
      sessionGate: true,
    })
    .input(z.object({ id: ZTicketId }))
    .output(ZTicketDetail)
    .query(async ({ ctx, input }) => {
      const detail = await getTicketDetail(ctx.em, ctx.scope, input.id);
      return {
        ...toTicketInfo(detail.ticket),
        comments: detail.comments.filter((comment) => !comment.internal),
        attachments: detail.attachments.filter((attachment) => !attachment.internal),
      };
    }),

  comment: signedInProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/tickets/{id}/comments',
        tags: ['tickets'],
        summary: 'Reply on a ticket',
      },
      sessionGate: true,
    })
    .input(ZAddCommentInput)
    .output(ZComment)
    .mutation(async ({ ctx, input }) =>
      toCommentInfo(await addComment(ctx.em, ctx.scope, { id: input.id, body: input.body, internal: false })),
    ),

  cancel: signedInProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/tickets/{id}/cancel',
        tags: ['tickets'],
        summary: 'Withdraw a NEW ticket',
      },
    })
    .input(ZCancelInput)
    .output(ZTicket)
    .mutation(async ({ ctx, input }) =>
      toTicketInfo(
        await performTicketAction(
          ctx.em,
          ctx.scope,
          input.id,
          'cancel',
          input.reason ? { reason: input.reason } : {},
        ),
      ),
    ),
});
