import type { TicketInfo } from '@atum-desk/core/domain';
import {
  Button,
  DateTime,
  EmptyState,
  ErrorState,
  PriorityPill,
  Select,
  Skeleton,
  StatusPill,
  Table,
  TextField,
} from '@atum-desk/ui';
import { A, useSearchParams } from '@solidjs/router';
import { keepPreviousData, useQuery } from '@tanstack/solid-query';
import { createEffect, createMemo, createSignal, For, Match, on, onCleanup, Show, Switch } from 'solid-js';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/errors.ts';
import { type TicketListParams, ticketListQuery } from '../api/queries.ts';
import { currentUser, useSession } from '../auth/session.tsx';
import { usePageTitle } from '../page-title.ts';
import { isTicketStatus, STATUS_OPTIONS } from '../tickets/ticket-labels.ts';

/** How long typing pauses before the search runs. */
const SEARCH_DELAY_MS = 300;

/**
 * `/portal/tickets`: the caller's tickets (a customer admin: the organization's), newest activity
 * first, with search, a status filter and paging. Filters live in the address, so back and reload keep
 * them; the page cursors are a stack, so "Previous page" returns to what was shown.
 */
export default function TicketsPage() {
  const api = useApi();
  const session = useSession();
  const user = () => currentUser(session);
  const isAdmin = () => user()?.role === 'CUSTOMER_ADMIN';
  const [search, setSearch] = useSearchParams<{ q?: string; status?: string }>();
  const [text, setText] = createSignal(search.q ?? '');
  const [cursors, setCursors] = createSignal<string[]>([]);
  const title = () => (isAdmin() ? 'Your organization’s tickets' : 'My tickets');
  usePageTitle(title);

  const status = () => (isTicketStatus(search.status) ? search.status : undefined);
  const q = () => search.q?.trim() || undefined;
  const params = createMemo<TicketListParams>(() => ({ status: status(), q: q(), cursor: cursors().at(-1) }));
  // Any change of filter starts again from the first page.
  createEffect(on([status, q], () => setCursors([]), { defer: true }));

  let timer: ReturnType<typeof setTimeout> | undefined;
  const applySearch = (value: string) => {
    clearTimeout(timer);
    setSearch({ q: value.trim() || undefined }, { replace: true });
  };
  onCleanup(() => clearTimeout(timer));

  const list = useQuery(() => ({ ...ticketListQuery(api, params()), placeholderData: keepPreviousData }));
  const filtered = () => Boolean(status() || q());
  const page = () => cursors().length + 1;

  return (
    <section class="portal-page" aria-labelledby="tickets-title">
      <header class="portal-page__header">
        <h1 id="tickets-title">{title()}</h1>
        <A href="/tickets/new" class="atum-button" data-variant="primary">
          New ticket
        </A>
      </header>

      <search aria-label="Filter tickets">
        <form
          class="portal-filters glass"
          onSubmit={(event) => {
            event.preventDefault();
            applySearch(text());
          }}
        >
          <TextField.Root class="portal-filters__search">
            <TextField.Label>Search</TextField.Label>
            <TextField.Input
              type="search"
              name="q"
              placeholder="Title or description"
              value={text()}
              onInput={(event) => {
                const value = event.currentTarget.value;
                setText(value);
                clearTimeout(timer);
                timer = setTimeout(() => applySearch(value), SEARCH_DELAY_MS);
              }}
            />
          </TextField.Root>
          <Select.Root class="portal-filters__status">
            <Select.Label>Status</Select.Label>
            <Select.Control
              name="status"
              value={status() ?? ''}
              onChange={(event) =>
                setSearch({ status: event.currentTarget.value || undefined }, { replace: true })
              }
            >
              <option value="">All statuses</option>
              <For each={STATUS_OPTIONS}>
                {(option) => <option value={option.value}>{option.label}</option>}
              </For>
            </Select.Control>
          </Select.Root>
        </form>
      </search>

      <div class="portal-panel glass" aria-busy={list.isFetching ? 'true' : 'false'}>
        <Switch fallback={<Skeleton lines={6} label="Loading tickets" />}>
          <Match when={list.isError}>
            <ErrorState
              title="Tickets could not be loaded"
              message={describeError(list.error).message}
              onRetry={() => void list.refetch()}
            />
          </Match>
          <Match when={list.isSuccess && list.data.items.length === 0}>
            <Show
              when={filtered()}
              fallback={
                <EmptyState
                  title="No tickets yet"
                  description="When something needs our attention, open a ticket and follow it here."
                  action={
                    <A href="/tickets/new" class="atum-button" data-variant="primary">
                      Open a ticket
                    </A>
                  }
                />
              }
            >
              <EmptyState
                title="No tickets match"
                description="Try other words or another status."
                action={
                  <Button
                    variant="secondary"
                    onClick={() => {
                      setText('');
                      setSearch({ q: undefined, status: undefined }, { replace: true });
                    }}
                  >
                    Clear filters
                  </Button>
                }
              />
            </Show>
          </Match>
          <Match when={list.isSuccess}>
            <TicketTable items={list.data?.items ?? []} showRequester={isAdmin()} userId={user()?.id} />
            <nav class="portal-pager" aria-label="Pages">
              <Button
                variant="secondary"
                disabled={cursors().length === 0}
                onClick={() => setCursors((stack) => stack.slice(0, -1))}
              >
                Previous page
              </Button>
              <span class="portal-pager__page" aria-live="polite">
                Page {page()}
              </span>
              <Button
                variant="secondary"
                disabled={!list.data?.nextCursor}
                onClick={() => {
                  const next = list.data?.nextCursor;
                  if (next) setCursors((stack) => [...stack, next]);
                }}
              >
                Next page
              </Button>
            </nav>
          </Match>
        </Switch>
      </div>
    </section>
  );
}

function TicketTable(props: { items: TicketInfo[]; showRequester: boolean; userId: string | undefined }) {
  return (
    <Table.Root>
      <Table.Caption hidden>Tickets, newest first</Table.Caption>
      <Table.Head>
        <Table.Row>
          <Table.HeaderCell>Ticket</Table.HeaderCell>
          <Table.HeaderCell>Title</Table.HeaderCell>
          <Table.HeaderCell>Status</Table.HeaderCell>
          <Table.HeaderCell>Priority</Table.HeaderCell>
          <Show when={props.showRequester}>
            <Table.HeaderCell>Opened by</Table.HeaderCell>
          </Show>
          <Table.HeaderCell>Last update</Table.HeaderCell>
        </Table.Row>
      </Table.Head>
      <Table.Body>
        <For each={props.items}>
          {(ticket) => (
            <Table.Row data-ticket-id={ticket.id}>
              <Table.Cell label="Ticket" class="portal-ticket-number">
                #{ticket.number}
              </Table.Cell>
              <Table.Cell label="Title" class="portal-ticket-title">
                <A href={`/tickets/${ticket.id}`}>{ticket.title}</A>
              </Table.Cell>
              <Table.Cell label="Status">
                <StatusPill status={ticket.status} />
              </Table.Cell>
              <Table.Cell label="Priority">
                <PriorityPill priority={ticket.priority} />
              </Table.Cell>
              <Show when={props.showRequester}>
                <Table.Cell label="Opened by">
                  {ticket.createdById === props.userId ? 'You' : 'A colleague'}
                </Table.Cell>
              </Show>
              <Table.Cell label="Last update">
                <DateTime value={ticket.updatedAt} relative />
              </Table.Cell>
            </Table.Row>
          )}
        </For>
      </Table.Body>
    </Table.Root>
  );
}
