import type { AtumClient } from '@atum-desk/core/client';
import type { TicketPriority, TicketStatus } from '@atum-desk/core/domain';
import type { DeskApi } from './api-context.tsx';
import { describeError } from './errors.ts';

/** The dashboard figures, as `internal.dashboard.summary` answers. */
export type DashboardSummary = Awaited<ReturnType<AtumClient['internal']['dashboard']['summary']['query']>>;

/** The server-side filters of the ticket list (`internal.tickets.list` without paging). */
export interface TicketListInput {
  status?: TicketStatus;
  priority?: TicketPriority;
  organizationId?: string;
  assigneeId?: string;
  q?: string;
}

/** The audit log filters (`audit.list` without paging). */
export interface AuditListInput {
  action?: string;
  entityType?: string;
  entityId?: string;
  actorId?: string;
  organizationId?: string;
}

/**
 * Every cache key of the desk, in one place, so that mutations and live events invalidate exactly what
 * they change. Everything about tickets starts with `tickets`; the dashboard and audit views count or
 * record ticket changes too, so a ticket event invalidates those three prefixes.
 */
export const queryKeys = {
  me: ['me'] as const,
  tickets: ['tickets'] as const,
  ticketList: (input: TicketListInput) => ['tickets', 'list', input] as const,
  newQueue: ['tickets', 'new'] as const,
  myTickets: (id: string) => ['tickets', 'mine', id] as const,
  ticket: (id: string) => ['tickets', 'detail', id] as const,
  dashboard: ['dashboard'] as const,
  /** Organization names for every page; kept apart from `dashboard` so ticket events do not refetch it. */
  organizationNames: ['names', 'organizations'] as const,
  staff: ['staff'] as const,
  audit: ['audit'] as const,
  auditList: (input: AuditListInput) => ['audit', 'list', input] as const,
  /** The audit rows of one entity; comments' rows never change, so they live outside the `audit` prefix. */
  entityAudit: (id: string, immutable: boolean) =>
    (immutable ? ['audit-immutable', id] : ['audit', 'entity', id]) as readonly unknown[],
  admin: ['admin'] as const,
  users: (input: { q?: string; role?: string }) => ['admin', 'users', input] as const,
  organizations: (input: { q?: string }) => ['admin', 'organizations', input] as const,
  services: ['admin', 'services'] as const,
  slaPolicies: ['admin', 'sla'] as const,
};

/** Rows per page of the ticket list and the inbox. */
export const PAGE_SIZE = 50;

/** The signed-in user, or null when nobody is (a 401 is an answer here, not an error). */
export function meQuery(api: DeskApi) {
  return {
    queryKey: queryKeys.me,
    queryFn: async () => {
      try {
        return await api.client.auth.me.query();
      } catch (error) {
        if (describeError(error).status === 401) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  };
}

/** The browser's timezone, for the dashboard's days. */
export function browserTimezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function dashboardQuery(api: DeskApi) {
  return {
    queryKey: queryKeys.dashboard,
    queryFn: () => api.client.internal.dashboard.summary.query({ timezone: browserTimezone() }),
  };
}

/**
 * The active organizations with their names, for every page that shows a ticket's organization: the
 * dashboard summary lists them (agents and managers may not call the admin list), fetched once per
 * ten minutes instead of on every ticket event.
 */
export function organizationNamesQuery(api: DeskApi) {
  return {
    queryKey: queryKeys.organizationNames,
    queryFn: async () =>
      (await api.client.internal.dashboard.summary.query({ timezone: browserTimezone() })).organizations,
    staleTime: 10 * 60_000,
  };
}

/** Active staff, for assignee pickers and names. */
export function staffQuery(api: DeskApi) {
  return {
    queryKey: queryKeys.staff,
    queryFn: () => api.client.internal.staff.list.query({}),
    staleTime: 5 * 60_000,
  };
}

export function ticketListQuery(api: DeskApi, input: TicketListInput) {
  return {
    queryKey: queryKeys.ticketList(input),
    queryFn: ({ pageParam }: { pageParam: string | undefined }) =>
      api.client.internal.tickets.list.query({
        ...input,
        limit: PAGE_SIZE,
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined,
  };
}

/** The first page of the caller's own tickets, for the dashboard. */
export function myTicketsQuery(api: DeskApi, myId: string) {
  return {
    queryKey: queryKeys.myTickets(myId),
    queryFn: () => api.client.internal.tickets.list.query({ assigneeId: myId, limit: PAGE_SIZE }),
  };
}

export function newQueueQuery(api: DeskApi) {
  return {
    queryKey: queryKeys.newQueue,
    queryFn: ({ pageParam }: { pageParam: string | undefined }) =>
      api.client.internal.tickets.newQueue.query({
        limit: PAGE_SIZE,
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined,
  };
}

export function ticketQuery(api: DeskApi, id: string) {
  return {
    queryKey: queryKeys.ticket(id),
    queryFn: () => api.client.internal.tickets.get.query({ id }),
  };
}

/**
 * The audit rows of one entity (a ticket, a comment, an attachment). The log files a comment's and an
 * attachment's rows under their own ids, so a ticket's trail is the union of its own rows and theirs.
 * A comment's rows are written once and never change: fetched once per page load, not on every event.
 */
export function entityAuditQuery(api: DeskApi, id: string, immutable: boolean) {
  return {
    queryKey: queryKeys.entityAudit(id, immutable),
    queryFn: () => api.client.audit.list.query({ entityId: id, limit: 200 }),
    ...(immutable ? { staleTime: Number.POSITIVE_INFINITY } : {}),
  };
}

export function auditListQuery(api: DeskApi, input: AuditListInput) {
  return {
    queryKey: queryKeys.auditList(input),
    queryFn: ({ pageParam }: { pageParam: string | undefined }) =>
      api.client.audit.list.query({ ...input, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined,
  };
}
