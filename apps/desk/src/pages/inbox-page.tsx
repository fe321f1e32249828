import type { StaffTicketInfo } from '@atum-desk/core/domain';
import { Button, Card, DateTime, EmptyState, ErrorState, PriorityPill, Skeleton, Table } from '@atum-desk/ui';
import { A } from '@solidjs/router';
import { useInfiniteQuery } from '@tanstack/solid-query';
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/errors.ts';
import { newQueueQuery } from '../api/queries.ts';
import { currentUser, useSession } from '../auth/session.tsx';
import { createNow } from '../components/now.ts';
import { usePeople } from '../components/people.ts';
import { RejectDialog } from '../components/reject-dialog.tsx';
import { useAcceptTicket } from '../components/ticket-actions.ts';
import { usePageTitle } from '../page-title.ts';
import { focusedRowId, moveRowFocus } from '../shortcuts/row-focus.ts';
import { useShortcuts } from '../shortcuts/shortcut-provider.tsx';
import { formatDuration } from '../tickets/duration.ts';

/**
 * `/desk/inbox`: the NEW tickets, oldest first (the one waiting longest is served first), each row with
 * `Accept` and `Reject`. New tickets appear by themselves (live updates).
 */
export default function InboxPage() {
  const api = useApi();
  const session = useSession();
  const people = usePeople(() => currentUser(session));
  const queue = useInfiniteQuery(() => newQueueQuery(api));
  const accept = useAcceptTicket();
  const [rejecting, setRejecting] = createSignal<StaffTicketInfo>();
  const now = createNow(30_000);
  const tickets = createMemo(() =>
    (queue.data?.pages.flatMap((page) => page.items) ?? []).toSorted(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime(),
    ),
  );
  usePageTitle(() => (tickets().length > 0 ? `Inbox (${tickets().length})` : 'Inbox'));

  const byId = (id: string | undefined) => tickets().find((ticket) => ticket.id === id);
  useShortcuts(() => [
    { keys: ['j'], description: 'Next ticket', group: 'Inbox', run: () => moveRowFocus(1) },
    { keys: ['k'], description: 'Previous ticket', group: 'Inbox', run: () => moveRowFocus(-1) },
    {
      keys: ['a'],
      description: 'Accept the ticket whose row has the focus',
      group: 'Inbox',
      run: () => {
        const ticket = byId(focusedRowId());
        if (ticket) {
          moveRowFocus(1);
          accept.mutate(ticket);
        }
      },
    },
    {
      keys: ['x'],
      description: 'Reject the ticket whose row has the focus',
      group: 'Inbox',
      run: () => setRejecting(byId(focusedRowId())),
    },
  ]);

  return (
    <section class="desk-page" aria-labelledby="inbox-title">
      <header class="desk-page__header">
        <div>
          <h1 id="inbox-title">Inbox</h1>
          <p class="desk-muted">
            New tickets waiting for a decision, longest waiting first. Accepting starts the SLA clocks;
            rejecting cancels the ticket with your reason.
          </p>
        </div>
      </header>
      <Card.Root>
        <Switch fallback={<Skeleton lines={6} label="Loading the inbox" />}>
          <Match when={queue.isError}>
            <ErrorState
              title="The inbox could not be loaded"
              message={describeError(queue.error).message}
              onRetry={() => void queue.refetch()}
            />
          </Match>
          <Match when={queue.isSuccess && tickets().length === 0}>
            <EmptyState
              title="Inbox zero"
              description="No new tickets are waiting. New ones appear here by themselves."
            />
          </Match>
          <Match when={queue.isSuccess}>
            <Table.Root class="desk-table-tickets" aria-describedby="inbox-count">
              <Table.Caption hidden>New tickets</Table.Caption>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell>Ticket</Table.HeaderCell>
                  <Table.HeaderCell>Organization</Table.HeaderCell>
                  <Table.HeaderCell>Priority</Table.HeaderCell>
                  <Table.HeaderCell>Waiting</Table.HeaderCell>
                  <Table.HeaderCell>
                    <span class="visually-hidden">Actions</span>
                  </Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                <For each={tickets()}>
                  {(ticket) => (
                    <Table.Row data-row={ticket.id} data-status={ticket.status}>
                      <Table.Cell label="Ticket">
                        <A href={`/tickets/${ticket.id}`} data-row-focus id={`inbox-${ticket.id}`}>
                          <span class="desk-number">#{ticket.number}</span> {ticket.title}
                        </A>
                      </Table.Cell>
                      <Table.Cell label="Organization">
                        {people.organizationName(ticket.organizationId)}
                      </Table.Cell>
                      <Table.Cell label="Priority">
                        <PriorityPill priority={ticket.priority} />
                      </Table.Cell>
                      <Table.Cell label="Waiting">
                        <span title={`Created ${ticket.createdAt.toLocaleString()}`}>
                          {formatDuration(now().getTime() - ticket.createdAt.getTime())}
                        </span>
                        <span class="visually-hidden">
                          , created <DateTime value={ticket.createdAt} />
                        </span>
                      </Table.Cell>
                      <Table.Cell label="Actions">
                        <div class="desk-row-actions">
                          <Button
                            variant="primary"
                            aria-describedby={`inbox-${ticket.id}`}
                            aria-keyshortcuts="a"
                            busy={accept.isPending && accept.variables?.id === ticket.id}
                            onClick={() => accept.mutate(ticket)}
                          >
                            Accept
                          </Button>
                          <Button
                            variant="secondary"
                            aria-describedby={`inbox-${ticket.id}`}
                            aria-keyshortcuts="x"
                            onClick={() => setRejecting(ticket)}
                          >
                            Reject
                          </Button>
                        </div>
                      </Table.Cell>
                    </Table.Row>
                  )}
                </For>
              </Table.Body>
            </Table.Root>
            <p id="inbox-count" class="desk-muted desk-pager">
              {tickets().length} new {tickets().length === 1 ? 'ticket' : 'tickets'}
              <Show when={queue.hasNextPage}>
                <Button
                  variant="secondary"
                  busy={queue.isFetchingNextPage}
                  onClick={() => void queue.fetchNextPage()}
                >
                  Load more
                </Button>
              </Show>
            </p>
          </Match>
        </Switch>
      </Card.Root>
      <RejectDialog ticket={rejecting()} onClose={() => setRejecting(undefined)} />
    </section>
  );
}
