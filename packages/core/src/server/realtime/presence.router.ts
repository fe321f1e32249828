import type { EntityManager } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { findVisibleTicket } from '../db/scoped.ts';
import { t } from '../trpc/init.ts';
import { staffProcedure } from '../trpc/procedures.ts';
import {
  PRESENCE_CHANNEL,
  type PresenceEntry,
  type PresenceMap,
  type PresenceNotification,
  ZPresenceState,
} from './presence.ts';

// Presence (issue #7): "Maya Manager is viewing / replying" on the desk's ticket page. Staff only, and
// only on tickets the caller may see. Announcements go through NOTIFY so that every server process
// hears them; the stream is served from this process's presence map.

export const ZAnnounceInput = z.object({ ticketId: z.uuid(), state: ZPresenceState });
export const ZOnTicketPresenceInput = z.object({ ticketId: z.uuid() });

/** Sends one announcement to every server process (an autocommit statement, no transaction). */
export async function announcePresence(em: EntityManager, notification: PresenceNotification): Promise<void> {
  await em
    .getConnection()
    .execute('select pg_notify(?, ?)', [PRESENCE_CHANNEL, JSON.stringify(notification)]);
}

export const presenceRouter = t.router({
  /** "I am viewing / replying on / have left this ticket"; the desk repeats it every 10 s. */
  announce: staffProcedure.input(ZAnnounceInput).mutation(async ({ ctx, input }) => {
    const em = ctx.em.fork();
    await findVisibleTicket(em, ctx.scope, input.ticketId);
    await announcePresence(em, {
      ticketId: input.ticketId,
      userId: ctx.auth.user.id,
      name: ctx.auth.user.name,
      state: input.state,
      at: new Date().toISOString(),
    });
    return { ok: true as const };
  }),

  /** The other staff members on the ticket, now and whenever that changes. */
  onTicket: staffProcedure.input(ZOnTicketPresenceInput).subscription(async ({ ctx, input, signal }) => {
    await findVisibleTicket(ctx.em.fork(), ctx.scope, input.ticketId);
    return othersOn(ctx.realtime?.presence, input.ticketId, ctx.auth.user.id, signal);
  }),
});

async function* othersOn(
  presence: PresenceMap | undefined,
  ticketId: string,
  me: string,
  signal: AbortSignal | undefined,
): AsyncGenerator<PresenceEntry[], void> {
  if (!presence) {
    throw new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: 'subscribe over the WebSocket at /ws' });
  }
  yield* presence.watch(ticketId, me, signal);
}
