import type { TicketStatus } from '@atum-desk/core/domain';
import type { PortalApi } from './api-context.tsx';
import { describeError } from './errors.ts';

/** The filters and page of the ticket list. */
export interface TicketListParams {
  status?: TicketStatus;
  q?: string;
  cursor?: string;
}

/** Every cache key of the portal, in one place, so mutations invalidate exactly what they change. */
export const queryKeys = {
  me: ['me'] as const,
  tickets: ['tickets'] as const,
  ticketList: (params: TicketListParams) => ['tickets', 'list', params] as const,
  ticket: (id: string) => ['tickets', 'detail', id] as const,
  services: ['services'] as const,
  csat: (token: string) => ['csat', token] as const,
};

/** Tickets per page of the list. */
export const PAGE_SIZE = 20;

/** The signed-in user, or null when nobody is (a 401 is an answer here, not an error). */
export function meQuery(api: PortalApi) {
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

export function ticketListQuery(api: PortalApi, params: TicketListParams) {
  return {
    queryKey: queryKeys.ticketList(params),
    queryFn: () => api.client.tickets.list.query({ ...params, limit: PAGE_SIZE }),
  };
}

export function ticketQuery(api: PortalApi, id: string) {
  return {
    queryKey: queryKeys.ticket(id),
    queryFn: () => api.client.tickets.get.query({ id }),
  };
}

export function servicesQuery(api: PortalApi) {
  return {
    queryKey: queryKeys.services,
    queryFn: () => api.client.services.list.query({}),
    staleTime: 10 * 60_000,
  };
}
