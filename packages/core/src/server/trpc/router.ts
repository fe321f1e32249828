import { auditRouter } from '../audit/audit.router.ts';
import { authRouter } from '../auth/auth.router.ts';
import { csatRouter } from '../csat/csat.router.ts';
import { notificationRouter } from '../notifications/notification.router.ts';
import { organizationRouter } from '../organizations/organization.router.ts';
import { eventsRouter } from '../realtime/events.router.ts';
import { presenceRouter } from '../realtime/presence.router.ts';
import { serviceRouter } from '../services/service.router.ts';
import { slaPolicyRouter } from '../sla/sla-policy.router.ts';
import { dashboardRouter } from '../tickets/dashboard.router.ts';
import { internalTicketRouter } from '../tickets/internal-ticket.router.ts';
import { ticketRouter } from '../tickets/ticket.router.ts';
import { staffRouter, userRouter } from '../users/user.router.ts';
import { t } from './init.ts';

/** Every procedure of the API. REST paths come from each procedure's `openapi` meta. */
export const appRouter = t.router({
  auth: authRouter,
  audit: auditRouter,
  tickets: ticketRouter,
  orgs: organizationRouter,
  users: userRouter,
  services: serviceRouter,
  sla: t.router({ policies: slaPolicyRouter }),
  internal: t.router({ tickets: internalTicketRouter, staff: staffRouter, dashboard: dashboardRouter }),
  notifications: notificationRouter,
  csat: csatRouter,
  events: eventsRouter,
  presence: presenceRouter,
});

/** The router's type, for the typed client. */
export type AppRouter = typeof appRouter;
