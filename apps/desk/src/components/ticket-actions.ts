import type { StaffTicketDetailInfo } from '@atum-desk/core/domain';
import { useToast } from '@atum-desk/ui';
import { useMutation, useQueryClient } from '@tanstack/solid-query';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/errors.ts';
import { queryKeys } from '../api/queries.ts';

/** Every ticket view shows the change: lists, the inbox, the ticket, the counts and the audit trail. */
export function invalidateTicketViews(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.tickets }),
    queryClient.invalidateQueries({ queryKey: queryKeys.dashboard }),
    queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
  ]);
}

/**
 * Accepting a NEW ticket. Optimistic in the inbox: the row leaves at once and comes back if the
 * server refuses (a colleague was faster: 409).
 */
export function useAcceptTicket() {
  const api = useApi();
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation(() => ({
    mutationFn: (ticket: { id: string; number: number }) =>
      api.client.internal.tickets.accept.mutate({ id: ticket.id }),
    onMutate: async (ticket: { id: string; number: number }) => {
      await queryClient.cancelQueries({ queryKey: queryKeys.newQueue });
      const previous = queryClient.getQueryData(queryKeys.newQueue);
      queryClient.setQueryData<{ pages: { items: { id: string }[] }[]; pageParams: unknown[] }>(
        queryKeys.newQueue,
        (data) =>
          data && {
            ...data,
            pages: data.pages.map((page) => ({
              ...page,
              items: page.items.filter((item) => item.id !== ticket.id),
            })),
          },
      );
      return { previous };
    },
    onSuccess: (_result, ticket) => {
      toast.show({
        title: `Ticket #${ticket.number} accepted`,
        message: 'Its SLA clocks are running.',
        tone: 'success',
      });
    },
    onError: (error, ticket, context) => {
      if (context?.previous) queryClient.setQueryData(queryKeys.newQueue, context.previous);
      const problem = describeError(error);
      toast.show({
        title: `Ticket #${ticket.number} was not accepted`,
        message:
          problem.status === 409 ? 'It is no longer new: a colleague has taken it already.' : problem.message,
        tone: 'danger',
      });
    },
    onSettled: () => invalidateTicketViews(queryClient),
  }));
}

/** Rejecting a NEW ticket with a reason the customer reads. */
export function useRejectTicket() {
  const api = useApi();
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation(() => ({
    mutationFn: (input: { id: string; number: number; reason: string }) =>
      api.client.internal.tickets.reject.mutate({ id: input.id, reason: input.reason }),
    onSuccess: (_result, input) => {
      toast.show({ title: `Ticket #${input.number} rejected`, message: 'The customer sees your reason.' });
    },
    onSettled: () => invalidateTicketViews(queryClient),
  }));
}

/** The cached detail of a ticket, for optimistic updates. */
export type CachedTicket = StaffTicketDetailInfo;
