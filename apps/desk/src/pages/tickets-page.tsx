import { TICKET_PRIORITIES, TICKET_STATUSES } from '@atum-desk/core/domain';
import {
  Button,
  Card,
  DateTime,
  EmptyState,
  ErrorState,
  PriorityPill,
  priorityText,
  Select,
  Skeleton,
  StatusPill,
  Table,
  TextField,
} from '@atum-desk/ui';
import { A, useLocation, useSearchParams } from '@solidjs/router';
import { useInfiniteQuery } from '@tanstack/solid-query';
import {
  createEffect,
  createMemo,
  createSignal,
  For,
  Match,
  on,
  onCleanup,
  onMount,
  Show,
  Switch,
} from 'solid-js';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/errors.ts';
import { ticketListQuery } from '../api/queries.ts';
import { currentUser, useSession } from '../auth/session.tsx';
import { createNow } from '../components/now.ts';
import { usePeople } from '../components/people.ts';
import { SlaBadge } from '../components/sla-countdown.tsx';
import { usePageTitle } from '../page-title.ts';
import { moveRowFocus } from '../shortcuts/row-focus.ts';
import { useShortcuts } from '../shortcuts/shortcut-provider.tsx';
import {
  arrangeTickets,
  filtersToSearch,
  isFiltered,
  ME,
  parseFilters,
  SLA_FILTER_LABELS,
  SLA_FILTERS,
  SORT_KEYS,
  SORT_LABELS,
  type TicketFilters,
  toListInput,
} from '../tickets/filters.ts';
import { staffStatusLabel } from '../tickets/labels.ts';

/** Every filter unset (the order is set apart). */
const filtersToClear: Partial<TicketFilters> = {
  status: undefined,
  priority: undefined,
  organizationId: undefined,
  assigneeId: undefined,
  sla: undefined,
  q: undefined,
};

/** Milliseconds of quiet typing before the search runs. */
const SEARCH_DELAY_MS = 300;

/**
 * `/desk/tickets`: every ticket the caller may see, with filters (status, priority, organization,
 * assignee, SLA state), full-text search and an order, all kept in the address.
 */
export default function TicketsPage() {
  const api = useApi();
  const session = useSession();
  const me = () => currentUser(session);
  const people = usePeople(me);
  const location = useLocation<{ focusSearch?: boolean }>();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = createMemo(() => parseFilters(searchParams));
  const listInput = createMemo(() => toListInput(filters(), me()?.id));
  const list = useInfiniteQuery(() => ({ ...ticketListQuery(api, listInput()), enabled: Boolean(me()) }));
  const now = createNow(30_000);
  const loaded = createMemo(() => list.data?.pages.flatMap((page) => page.items) ?? []);
  const rows = createMemo(() => arrangeTickets(loaded(), filters(), now()));
  usePageTitle(() => 'Tickets');

  // The address changes after a navigation settles; two changes in a row build on the first, not on
  // the address it has not reached yet.
  let latest: TicketFilters | undefined;
  createEffect(on(filters, () => (latest = undefined)));
  const update = (change: Partial<TicketFilters>, replace = false) => {
    latest = { ...(latest ?? filters()), ...change };
    setSearchParams(filtersToSearch(latest), { replace });
  };

  // The search box types freely; the address (and the query) follow once typing pauses.
  const [query, setQuery] = createSignal(filters().q ?? '');
  createEffect(
    on(
      () => filters().q,
      (q) => setQuery(q ?? ''),
      { defer: true },
    ),
  );
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  const onSearchInput = (value: string) => {
    setQuery(value);
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => update({ q: value.trim() || undefined }, true), SEARCH_DELAY_MS);
  };
  onCleanup(() => clearTimeout(searchTimer));
  let searchInput: HTMLInputElement | undefined;
  onMount(() => {
    if (location.state?.focusSearch) searchInput?.focus();
  });

  useShortcuts(() => [
    { keys: ['/'], description: 'Search tickets', group: 'Tickets', run: () => searchInput?.focus() },
    { keys: ['j'], description: 'Next ticket', group: 'Tickets', run: () => moveRowFocus(1) },
    { keys: ['k'], description: 'Previous ticket', group: 'Tickets', run: () => moveRowFocus(-1) },
  ]);

  return (
    <section class="desk-page" aria-labelledby="tickets-title">
      <header class="desk-page__header">
        <div>
          <h1 id="tickets-title">Tickets</h1>
          <p class="desk-muted">
            <Show when={me()?.role === 'AGENT'} fallback="Every ticket of every organization.">
              Your tickets, and accepted tickets nobody has taken yet.
            </Show>
          </p>
        </div>
      </header>

      <Card.Root>
        <form
          class="desk-filters"
          aria-label="Filter tickets"
          onSubmit={(event) => {
            event.preventDefault();
            clearTimeout(searchTimer);
            update({ q: query().trim() || undefined });
          }}
        >
          <TextField.Root class="desk-filters__search">
            <TextField.Label>Search</TextField.Label>
            <TextField.Input
              ref={searchInput}
              type="search"
              name="q"
              placeholder="Words in the title or description"
              aria-keyshortcuts="/"
              value={query()}
              onInput={(event) => onSearchInput(event.currentTarget.value)}
            />
          </TextField.Root>
          <Select.Root>
            <Select.Label>Status</Select.Label>
            <Select.Control
              name="status"
              value={filters().status ?? ''}
              onChange={(event) =>
                update({ status: (event.currentTarget.value || undefined) as TicketFilters['status'] })
              }
            >
              <option value="">Any status</option>
              <For each={TICKET_STATUSES}>
                {(status) => <option value={status}>{staffStatusLabel(status)}</option>}
              </For>
            </Select.Control>
          </Select.Root>
          <Select.Root>
            <Select.Label>Priority</Select.Label>
            <Select.Control
              name="priority"
              value={filters().priority ?? ''}
              onChange={(event) =>
                update({ priority: (event.currentTarget.value || undefined) as TicketFilters['priority'] })
              }
            >
              <option value="">Any priority</option>
              <For each={TICKET_PRIORITIES}>
                {(priority) => <option value={priority}>{priorityText(priority)}</option>}
              </For>
            </Select.Control>
          </Select.Root>
          <Select.Root>
            <Select.Label>Organization</Select.Label>
            <Select.Control
              name="org"
              value={filters().organizationId ?? ''}
              onChange={(event) => update({ organizationId: event.currentTarget.value || undefined })}
            >
              <option value="">Any organization</option>
              <For each={people.organizations()}>
                {(organization) => <option value={organization.id}>{organization.name}</option>}
              </For>
            </Select.Control>
          </Select.Root>
          <Select.Root>
            <Select.Label>Assignee</Select.Label>
            <Select.Control
              name="assignee"
              value={filters().assigneeId ?? ''}
              onChange={(event) => update({ assigneeId: event.currentTarget.value || undefined })}
            >
              <option value="">Anyone</option>
              <option value={ME}>Me</option>
              <For each={people.staff().filter((member) => member.id !== me()?.id)}>
                {(member) => <option value={member.id}>{member.name}</option>}
              </For>
            </Select.Control>
          </Select.Root>
          <Select.Root>
            <Select.Label>SLA</Select.Label>
            <Select.Control
              name="sla"
              value={filters().sla ?? ''}
              onChange={(event) =>
                update({ sla: (event.currentTarget.value || undefined) as TicketFilters['sla'] })
              }
            >
              <option value="">Any SLA state</option>
              <For each={SLA_FILTERS}>
                {(state) => <option value={state}>{SLA_FILTER_LABELS[state]}</option>}
              </For>
            </Select.Control>
          </Select.Root>
          <Select.Root>
            <Select.Label>Sort by</Select.Label>
            <Select.Control
              name="sort"
              value={filters().sort}
              onChange={(event) => update({ sort: event.currentTarget.value as TicketFilters['sort'] })}
            >
              <For each={SORT_KEYS}>{(key) => <option value={key}>{SORT_LABELS[key]}</option>}</For>
            </Select.Control>
          </Select.Root>
          <div class="desk-filters__actions">
            <Show when={isFiltered(filters()) || filters().sort !== 'newest'}>
              <Button variant="ghost" onClick={() => update({ ...filtersToClear, sort: 'newest' })}>
                Clear filters
              </Button>
            </Show>
          </div>
        </form>
      </Card.Root>

      <Card.Root>
        <Switch fallback={<Skeleton lines={8} label="Loading the tickets" />}>
          <Match when={list.isError}>
            <ErrorState
              title="The tickets could not be loaded"
              message={describeError(list.error).message}
              onRetry={() => void list.refetch()}
            />
          </Match>
          <Match when={list.isSuccess && rows().length === 0}>
            <EmptyState
              title={isFiltered(filters()) ? 'No ticket matches' : 'No tickets yet'}
              description={
                isFiltered(filters())
                  ? 'Change or clear the filters to see more.'
                  : 'Tickets appear here once customers file them.'
              }
            />
          </Match>
          <Match when={list.isSuccess}>
            <Table.Root class="desk-table-tickets">
              <Table.Caption hidden>Tickets</Table.Caption>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell>Ticket</Table.HeaderCell>
                  <Table.HeaderCell>Status</Table.HeaderCell>
                  <Table.HeaderCell>Priority</Table.HeaderCell>
                  <Table.HeaderCell>Assignee</Table.HeaderCell>
                  <Table.HeaderCell>SLA</Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                <For each={rows()}>
                  {(ticket) => (
                    <Table.Row data-row={ticket.id}>
                      <Table.Cell label="Ticket">
                        <A href={`/tickets/${ticket.id}`} data-row-focus>
                          <span class="desk-number">#{ticket.number}</span> {ticket.title}
                        </A>
                        <span class="desk-row-meta">
                          {people.organizationName(ticket.organizationId)} · updated{' '}
                          <DateTime value={ticket.updatedAt} relative now={now()} />
                        </span>
                      </Table.Cell>
                      <Table.Cell label="Status">
                        <StatusPill status={ticket.status} label={staffStatusLabel(ticket.status)} />
                      </Table.Cell>
                      <Table.Cell label="Priority">
                        <PriorityPill priority={ticket.priority} />
                      </Table.Cell>
                      <Table.Cell label="Assignee">
                        <Show
                          when={ticket.assignedToId}
                          fallback={<span class="desk-muted">Unassigned</span>}
                        >
                          {(id) => <>{people.personName(id())}</>}
                        </Show>
                      </Table.Cell>
                      <Table.Cell label="SLA">
                        <SlaBadge ticket={ticket} now={now} />
                      </Table.Cell>
                    </Table.Row>
                  )}
                </For>
              </Table.Body>
            </Table.Root>
          </Match>
        </Switch>
        <Show when={list.isSuccess}>
          <p class="desk-muted desk-pager" aria-live="polite">
            Showing {rows().length} of {loaded().length} loaded {loaded().length === 1 ? 'ticket' : 'tickets'}
            <Show when={filters().sla || filters().sort !== 'newest'}>
              {' '}
              (SLA filter and order apply to the loaded tickets)
            </Show>
            <Show when={list.hasNextPage}>
              <Button
                variant="secondary"
                busy={list.isFetchingNextPage}
                onClick={() => void list.fetchNextPage()}
              >
                Load more
              </Button>
            </Show>
          </p>
        </Show>
      </Card.Root>
    </section>
  );
}
