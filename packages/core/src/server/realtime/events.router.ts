import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { Scope } from '../auth/scope.ts';
import { findVisibleTicket } from '../db/scoped.ts';
import { t } from '../trpc/init.ts';
import { signedInProcedure } from '../trpc/procedures.ts';
import type { LiveStreamOptions, RealtimeHub, TrackedLiveEvent } from './realtime-hub.ts';

// Live updates (issue #7): subscriptions over the WebSocket at /ws. Each event says what changed
// (kind and ids); the client refetches through the ordinary scoped queries.

export const ZOnTicketEventInput = z
  .object({
    /** Only this ticket's events (a ticket page); NOT_FOUND if the caller cannot see it. */
    ticketId: z.uuid().optional(),
    /** Set by the tRPC client when it resubscribes after a reconnect: the stream starts with `resync`. */
    lastEventId: z.string().max(64).nullish(),
  })
  .optional();

export const eventsRouter = t.router({
  /**
   * The ticket events the caller may see, as they commit, each `tracked` by its id; `resync` means
   * "refetch everything": some events may have been missed.
   */
  onTicketEvent: signedInProcedure.input(ZOnTicketEventInput).subscription(async ({ ctx, input, signal }) => {
    // Checked before the stream starts, so another organization's ticket answers 404 like everywhere.
    if (input?.ticketId) await findVisibleTicket(ctx.em.fork(), ctx.scope, input.ticketId);
    return liveEvents(ctx.realtime, ctx.scope, {
      ticketId: input?.ticketId,
      resumed: Boolean(input?.lastEventId),
      signal,
    });
  }),
});

async function* liveEvents(
  hub: RealtimeHub | undefined,
  scope: Scope,
  options: LiveStreamOptions,
): AsyncGenerator<TrackedLiveEvent, void> {
  if (!hub) {
    throw new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: 'subscribe over the WebSocket at /ws' });
  }
  yield* hub.stream(scope, options);
}
