import { z } from 'zod';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../domain/tickets/ticket-enums.ts';
import { t } from '../trpc/init.ts';
import { staffProcedure } from '../trpc/procedures.ts';
import { dashboardSummary } from './dashboard.service.ts';

function isTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

export const ZDashboardInput = z.object({
  /** The IANA timezone whose days the created/resolved series counts; UTC when left out. */
  timezone: z.string().trim().min(1).max(64).refine(isTimezone, 'unknown IANA timezone').default('UTC'),
});

const ZCount = z.number().int().nonnegative();

export const ZDashboardSummary = z.object({
  generatedAt: z.date(),
  timezone: z.string(),
  byStatus: z.array(z.object({ status: z.enum(TICKET_STATUSES), count: ZCount })),
  openByPriority: z.array(z.object({ priority: z.enum(TICKET_PRIORITIES), count: ZCount })),
  newQueue: z.object({ count: ZCount, oldestCreatedAt: z.date().nullable() }),
  sla: z.object({ atRisk: ZCount, breached: ZCount }),
  mine: z.object({ open: ZCount, waitingCustomer: ZCount, breached: ZCount }),
  organizations: z.array(z.object({ id: z.uuid(), name: z.string(), open: ZCount })),
  daily: z.array(z.object({ day: z.iso.date(), created: ZCount, resolved: ZCount })),
});

/** The staff dashboard's figures (`GET /api/v1/internal/dashboard`). */
export const dashboardRouter = t.router({
  summary: staffProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/internal/dashboard',
        tags: ['internal'],
        summary: 'Dashboard figures: open tickets by status and priority, NEW queue, SLA, 30-day series',
      },
    })
    .input(ZDashboardInput)
    .output(ZDashboardSummary)
    .query(({ ctx, input }) =>
      dashboardSummary(ctx.em, ctx.scope, { timezone: input.timezone, now: new Date() }),
    ),
});
