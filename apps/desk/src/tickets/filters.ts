import {
  type StaffTicketInfo,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketPriority,
  type TicketStatus,
} from '@atum-desk/core/domain';
import { nextDueAt, type TicketSlaState, ticketSlaState } from './sla.ts';

// The filters of the ticket list, kept in the URL (`/desk/tickets?status=NEW&priority=HIGH&sort=due`)
// so a filtered view can be bookmarked, shared and reloaded. Status, priority, organization, assignee and
// the search go to the server (`internal.tickets.list`); the SLA state and the order apply to the rows
// loaded so far, since the list API filters on neither and always pages newest first.

export const SLA_FILTERS = ['breached', 'at_risk', 'on_track'] as const;
export type SlaFilter = (typeof SLA_FILTERS)[number];

export const SORT_KEYS = ['newest', 'oldest', 'priority', 'due', 'updated'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** What each order is called in the picker. */
export const SORT_LABELS: Record<SortKey, string> = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  priority: 'Priority (P1 first)',
  due: 'SLA due soonest',
  updated: 'Recently updated',
};

export const SLA_FILTER_LABELS: Record<SlaFilter, string> = {
  breached: 'Breached',
  at_risk: 'At risk',
  on_track: 'On track',
};

/** The assignee filter's word for the signed-in user. */
export const ME = 'me';

export interface TicketFilters {
  status?: TicketStatus;
  priority?: TicketPriority;
  organizationId?: string;
  /** A staff id, or `me`. */
  assigneeId?: string;
  sla?: SlaFilter;
  q?: string;
  sort: SortKey;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pick<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the filters from search params; anything unknown or malformed is left out, never an error. */
export function parseFilters(params: Record<string, string | string[] | undefined>): TicketFilters {
  const filters: TicketFilters = { sort: pick(first(params.sort), SORT_KEYS) ?? 'newest' };
  const status = pick(first(params.status), TICKET_STATUSES);
  if (status) filters.status = status;
  const priority = pick(first(params.priority), TICKET_PRIORITIES);
  if (priority) filters.priority = priority;
  const organizationId = first(params.org);
  if (organizationId && UUID.test(organizationId)) filters.organizationId = organizationId.toLowerCase();
  const assigneeId = first(params.assignee);
  if (assigneeId === ME || (assigneeId && UUID.test(assigneeId)))
    filters.assigneeId = assigneeId.toLowerCase();
  const sla = pick(first(params.sla), SLA_FILTERS);
  if (sla) filters.sla = sla;
  const q = first(params.q)?.trim().slice(0, 200);
  if (q) filters.q = q;
  return filters;
}

/**
 * The search params for the filters, each key present (undefined removes it from the URL) so that
 * `setSearchParams` replaces the whole set; defaults are left out to keep addresses short.
 */
export function filtersToSearch(filters: TicketFilters): Record<string, string | undefined> {
  return {
    status: filters.status,
    priority: filters.priority,
    org: filters.organizationId,
    assignee: filters.assigneeId,
    sla: filters.sla,
    q: filters.q?.trim() || undefined,
    sort: filters.sort === 'newest' ? undefined : filters.sort,
  };
}

/** The query string of a filtered list (`?status=NEW&sort=due`), for links. */
export function ticketsHref(filters: Partial<TicketFilters>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filtersToSearch({ sort: 'newest', ...filters }))) {
    if (value !== undefined) search.set(key, value);
  }
  const query = search.toString();
  return query ? `/tickets?${query}` : '/tickets';
}

/** The server's share of the filters, as `internal.tickets.list` input (without paging). */
export function toListInput(filters: TicketFilters, myId: string | undefined) {
  const assigneeId = filters.assigneeId === ME ? myId : filters.assigneeId;
  return {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.priority ? { priority: filters.priority } : {}),
    ...(filters.organizationId ? { organizationId: filters.organizationId } : {}),
    ...(assigneeId ? { assigneeId } : {}),
    ...(filters.q ? { q: filters.q } : {}),
  };
}

/** Whether any filter narrows the list (the order does not). */
export function isFiltered(filters: TicketFilters): boolean {
  return Boolean(
    filters.status ||
      filters.priority ||
      filters.organizationId ||
      filters.assigneeId ||
      filters.sla ||
      filters.q,
  );
}

const SLA_MATCH: Record<SlaFilter, TicketSlaState> = {
  breached: 'breached',
  at_risk: 'at_risk',
  on_track: 'on_track',
};

type ListTicket = Pick<
  StaffTicketInfo,
  'id' | 'priority' | 'createdAt' | 'updatedAt' | 'sla' | 'status' | 'resolvedAt'
>;

/** The loaded rows after the SLA filter, in the chosen order (stable: ties keep the server's order). */
export function arrangeTickets<T extends ListTicket>(
  tickets: readonly T[],
  filters: TicketFilters,
  now: Date,
): T[] {
  const wanted = filters.sla ? SLA_MATCH[filters.sla] : undefined;
  const kept = wanted ? tickets.filter((ticket) => ticketSlaState(ticket, now) === wanted) : [...tickets];
  const time = (date: Date | null) => (date ? date.getTime() : Number.POSITIVE_INFINITY);
  const compare: Record<SortKey, (a: T, b: T) => number> = {
    newest: (a, b) => b.createdAt.getTime() - a.createdAt.getTime(),
    oldest: (a, b) => a.createdAt.getTime() - b.createdAt.getTime(),
    priority: (a, b) => TICKET_PRIORITIES.indexOf(a.priority) - TICKET_PRIORITIES.indexOf(b.priority),
    due: (a, b) => time(nextDueAt(a, now)) - time(nextDueAt(b, now)),
    updated: (a, b) => b.updatedAt.getTime() - a.updatedAt.getTime(),
  };
  return kept
    .map((ticket, index) => ({ ticket, index }))
    .sort((a, b) => compare[filters.sort](a.ticket, b.ticket) || a.index - b.index)
    .map(({ ticket }) => ticket);
}
