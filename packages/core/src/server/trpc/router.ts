import { authRouter } from '../auth/auth.router.ts';
import { internalTicketRouter } from '../tickets/internal-ticket.router.ts';
import { ticketRouter } from '../tickets/ticket.router.ts';
import { t } from './init.ts';

/** Every procedure of the API. REST paths come from each procedure's `openapi` meta. */
export const appRouter = t.router({
  auth: authRouter,
  tickets: ticketRouter,
  internal: t.router({ tickets: internalTicketRouter }),
});

/** The router's type, for the typed client. */
export type AppRouter = typeof appRouter;
