import type { EntityManager } from '@mikro-orm/postgresql';
import { isStaffRole } from '../../domain/auth/roles.ts';
import { DomainError } from '../../domain/errors.ts';
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketPriority,
  type TicketStatus,
} from '../../domain/tickets/ticket-enums.ts';
import type { Scope } from '../auth/scope.ts';
import { aggregateVisibleTickets } from '../db/scoped.ts';
import { Organization } from '../organizations/organization.entity.ts';

// The staff dashboard (issue #7): what the desk's first page shows, in one call, counted by PostgreSQL
// over the tickets the caller may see (an agent's dashboard counts an agent's tickets).

/** Statuses that still need work; RESOLVED waits only for the customer or the nightly close. */
export const OPEN_TICKET_STATUSES: readonly TicketStatus[] = [
  'NEW',
  'ACCEPTED',
  'ASSIGNED',
  'IN_PROGRESS',
  'WAITING_CUSTOMER',
];

/** A running clock with less than this share of its time left is "at risk" (the desk turns it amber). */
export const SLA_RISK_SHARE = 0.2;

/** Days in the created/resolved series, today included. */
export const DASHBOARD_DAYS = 30;

export interface DashboardSummary {
  generatedAt: Date;
  timezone: string;
  /** Every status, open or not, with its count. */
  byStatus: { status: TicketStatus; count: number }[];
  /** Open tickets per priority, most urgent first. */
  openByPriority: { priority: TicketPriority; count: number }[];
  newQueue: { count: number; oldestCreatedAt: Date | null };
  /** Open tickets whose SLA is breached, or at risk (under 20 % of a running clock left). */
  sla: { atRisk: number; breached: number };
  /** The caller's own open tickets. */
  mine: { open: number; waitingCustomer: number; breached: number };
  /** Active organizations with their open tickets (the desk's organization names and filter). */
  organizations: { id: string; name: string; open: number }[];
  /** One entry per day, oldest first, `day` as `YYYY-MM-DD` in `timezone`. */
  daily: { day: string; created: number; resolved: number }[];
}

/** The days of the series ending today in `timezone`, oldest first. */
export function dashboardDays(now: Date, timezone: string, days = DASHBOARD_DAYS): string[] {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  // Noon UTC steps never skip or repeat a calendar day, whatever the zone's offset or DST.
  const today = format.format(now);
  const [year, month, day] = today.split('-').map(Number);
  const noon = Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1, 12);
  return Array.from({ length: days }, (_, index) =>
    new Date(noon - (days - 1 - index) * 86_400_000).toISOString().slice(0, 10),
  );
}

/** The dashboard figures for `scope` at `now`. */
export async function dashboardSummary(
  em: EntityManager,
  scope: Scope,
  input: { timezone: string; now: Date },
): Promise<DashboardSummary> {
  if (scope.role === 'SYSTEM' || !isStaffRole(scope.role)) throw new DomainError('FORBIDDEN', 'staff only');
  const days = dashboardDays(input.now, input.timezone);
  // From the start of the first day in that zone; a day earlier is safe, PostgreSQL groups by local day.
  const since = new Date(Date.parse(`${days[0]}T00:00:00Z`) - 86_400_000);
  const [aggregates, organizations] = await Promise.all([
    aggregateVisibleTickets(em.fork(), scope, {
      now: input.now,
      since,
      timezone: input.timezone,
      riskShare: SLA_RISK_SHARE,
    }),
    em.fork().find(Organization, { isActive: true }, { orderBy: { name: 'asc' } }),
  ]);
  const open = aggregates.groups.filter((group) => OPEN_TICKET_STATUSES.includes(group.status));
  const sum = (groups: typeof open, pick: (group: (typeof open)[number]) => number) =>
    groups.reduce((total, group) => total + pick(group), 0);
  const newGroups = aggregates.groups.filter((group) => group.status === 'NEW');
  const oldest = newGroups
    .map((group) => group.oldestCreatedAt)
    .filter((at): at is Date => at !== null)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const openPerOrganization = new Map(
    aggregates.openByOrganization.map((row) => [row.organizationId, row.count] as const),
  );
  const created = new Map(aggregates.createdPerDay.map((row) => [row.day, row.count] as const));
  const resolved = new Map(aggregates.resolvedPerDay.map((row) => [row.day, row.count] as const));
  return {
    generatedAt: input.now,
    timezone: input.timezone,
    byStatus: TICKET_STATUSES.map((status) => ({
      status,
      count: sum(
        aggregates.groups.filter((group) => group.status === status),
        (group) => group.count,
      ),
    })),
    openByPriority: TICKET_PRIORITIES.map((priority) => ({
      priority,
      count: sum(
        open.filter((group) => group.priority === priority),
        (group) => group.count,
      ),
    })),
    newQueue: { count: sum(newGroups, (group) => group.count), oldestCreatedAt: oldest ?? null },
    sla: { atRisk: sum(open, (group) => group.atRisk), breached: sum(open, (group) => group.breached) },
    mine: {
      open: sum(open, (group) => group.mine),
      waitingCustomer: sum(
        open.filter((group) => group.status === 'WAITING_CUSTOMER'),
        (group) => group.mine,
      ),
      breached: sum(open, (group) => group.mineBreached),
    },
    organizations: organizations.map((organization) => ({
      id: organization.id,
      name: organization.name,
      open: openPerOrganization.get(organization.id) ?? 0,
    })),
    daily: days.map((day) => ({ day, created: created.get(day) ?? 0, resolved: resolved.get(day) ?? 0 })),
  };
}
