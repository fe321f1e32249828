import { TICKET_PRIORITIES } from '@atum-desk/core/domain';
import { Card, DateTime, ErrorState, PriorityPill, Skeleton, StatusPill } from '@atum-desk/ui';
import { A } from '@solidjs/router';
import { useQuery } from '@tanstack/solid-query';
import { createMemo, For, lazy, Match, Show, Suspense, Switch } from 'solid-js';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/errors.ts';
import { type DashboardSummary, dashboardQuery, myTicketsQuery, PAGE_SIZE } from '../api/queries.ts';
import { mayUse } from '../auth/roles.ts';
import { currentUser, useSession } from '../auth/session.tsx';
import { createNow } from '../components/now.ts';
import { SlaBadge } from '../components/sla-countdown.tsx';
import { usePageTitle } from '../page-title.ts';
import { formatDuration } from '../tickets/duration.ts';
import { ME, ticketsHref } from '../tickets/filters.ts';
import { staffStatusLabel } from '../tickets/labels.ts';

const CreatedResolvedChart = lazy(() => import('../components/created-resolved-chart.tsx'));

const OPEN_STATUSES = ['NEW', 'ACCEPTED', 'ASSIGNED', 'IN_PROGRESS', 'WAITING_CUSTOMER'] as const;

/**
 * `/desk/`: the day at a glance. Open tickets by status and priority, the NEW queue and how long its
 * oldest ticket waits, SLA at risk and breached, the caller's own work, and tickets created and
 * resolved over 30 days. Live events refresh it.
 */
export default function DashboardPage() {
  const api = useApi();
  const session = useSession();
  const me = () => currentUser(session);
  const summary = useQuery(() => dashboardQuery(api));
  usePageTitle(() => 'Dashboard');
  return (
    <section class="desk-page" aria-labelledby="dashboard-title">
      <header class="desk-page__header">
        <div>
          <h1 id="dashboard-title">Dashboard</h1>
          <Show when={me()}>{(user) => <p class="desk-muted">Welcome back, {user().name}.</p>}</Show>
        </div>
        <Show when={summary.data}>
          {(data) => (
            <p class="desk-muted desk-updated">
              Updated <DateTime value={data().generatedAt} />
            </p>
          )}
        </Show>
      </header>
      <Switch fallback={<Skeleton lines={8} label="Loading the dashboard" />}>
        <Match when={summary.isError}>
          <ErrorState
            title="The dashboard could not be loaded"
            message={describeError(summary.error).message}
            onRetry={() => void summary.refetch()}
          />
        </Match>
        <Match when={summary.data}>{(data) => <DashboardView summary={data()} />}</Match>
      </Switch>
    </section>
  );
}

function DashboardView(props: { summary: DashboardSummary }) {
  const session = useSession();
  const me = () => currentUser(session);
  const now = createNow(30_000);
  const mayUseInbox = () => {
    const user = me();
    return user !== undefined && mayUse(user.role, 'inbox');
  };
  const count = (status: string) => props.summary.byStatus.find((row) => row.status === status)?.count ?? 0;
  const openTotal = createMemo(() => OPEN_STATUSES.reduce((total, status) => total + count(status), 0));
  const oldestWait = () =>
    props.summary.newQueue.oldestCreatedAt
      ? formatDuration(now().getTime() - props.summary.newQueue.oldestCreatedAt.getTime())
      : null;
  const totals = createMemo(() =>
    props.summary.daily.reduce(
      (sum, day) => ({ created: sum.created + day.created, resolved: sum.resolved + day.resolved }),
      { created: 0, resolved: 0 },
    ),
  );

  return (
    <div class="desk-dashboard">
      <ul class="desk-stats" aria-label="Key figures">
        <Show when={mayUseInbox()}>
          <li>
            <A
              href="/inbox"
              class="desk-stat glass"
              data-tone={props.summary.newQueue.count > 0 ? 'gold' : undefined}
            >
              <span class="desk-stat__label">New queue</span>
              <span class="desk-stat__value">{props.summary.newQueue.count}</span>
              <span class="desk-stat__note">
                <Show when={oldestWait()} fallback="Nothing waiting">
                  {(wait) => <>Oldest waiting {wait()}</>}
                </Show>
              </span>
            </A>
          </li>
        </Show>
        <li>
          <A
            href={ticketsHref({ sla: 'breached', sort: 'due' })}
            class="desk-stat glass"
            data-tone={props.summary.sla.breached > 0 ? 'danger' : undefined}
          >
            <span class="desk-stat__label">SLA breached</span>
            <span class="desk-stat__value">{props.summary.sla.breached}</span>
            <span class="desk-stat__note">Open tickets past a due time</span>
          </A>
        </li>
        <li>
          <A
            href={ticketsHref({ sla: 'at_risk', sort: 'due' })}
            class="desk-stat glass"
            data-tone={props.summary.sla.atRisk > 0 ? 'warning' : undefined}
          >
            <span class="desk-stat__label">SLA at risk</span>
            <span class="desk-stat__value">{props.summary.sla.atRisk}</span>
            <span class="desk-stat__note">Under 20 % of a clock left</span>
          </A>
        </li>
        <li>
          <A href={ticketsHref({ assigneeId: ME, sort: 'due' })} class="desk-stat glass">
            <span class="desk-stat__label">My open tickets</span>
            <span class="desk-stat__value">{props.summary.mine.open}</span>
            <span class="desk-stat__note">
              {props.summary.mine.waitingCustomer} waiting for the customer, {props.summary.mine.breached}{' '}
              breached
            </span>
          </A>
        </li>
      </ul>

      <div class="desk-dashboard__grid">
        <Card.Root>
          <Card.Title>Open tickets by status</Card.Title>
          <p class="desk-muted">{openTotal()} open in total.</p>
          <ul class="desk-breakdown">
            <For each={OPEN_STATUSES}>
              {(status) => (
                <li>
                  <A href={ticketsHref({ status })} class="desk-breakdown__link">
                    <StatusPill status={status} label={staffStatusLabel(status)} />
                    <span class="desk-breakdown__count">{count(status)}</span>
                  </A>
                </li>
              )}
            </For>
          </ul>
        </Card.Root>
        <Card.Root>
          <Card.Title>Open tickets by priority</Card.Title>
          <p class="desk-muted">P1 is the most urgent.</p>
          <ul class="desk-breakdown">
            <For each={TICKET_PRIORITIES}>
              {(priority) => (
                <li>
                  <A href={ticketsHref({ priority })} class="desk-breakdown__link">
                    <PriorityPill priority={priority} />
                    <span class="desk-breakdown__count">
                      {props.summary.openByPriority.find((row) => row.priority === priority)?.count ?? 0}
                    </span>
                  </A>
                </li>
              )}
            </For>
          </ul>
        </Card.Root>
        <MyWork />
      </div>

      <Card.Root>
        <Card.Title>Created and resolved, last 30 days</Card.Title>
        <figure class="desk-figure">
          <figcaption class="desk-muted">
            {totals().created} tickets created and {totals().resolved} resolved in the last 30 days (days in{' '}
            {props.summary.timezone}).
          </figcaption>
          <Suspense fallback={<Skeleton lines={4} label="Loading the chart" />}>
            <CreatedResolvedChart daily={props.summary.daily} />
          </Suspense>
          <details class="desk-details">
            <summary>Show the numbers</summary>
            <table class="atum-table desk-table-compact">
              <caption class="visually-hidden">Tickets created and resolved per day</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Created</th>
                  <th scope="col">Resolved</th>
                </tr>
              </thead>
              <tbody>
                <For each={props.summary.daily}>
                  {(day) => (
                    <tr>
                      <th scope="row">{day.day}</th>
                      <td>{day.created}</td>
                      <td>{day.resolved}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </details>
        </figure>
      </Card.Root>
    </div>
  );
}

function MyWork() {
  const api = useApi();
  const session = useSession();
  const me = () => currentUser(session);
  const now = createNow(30_000);
  const list = useQuery(() => ({ ...myTicketsQuery(api, me()?.id ?? ''), enabled: Boolean(me()) }));
  const open = createMemo(() =>
    (list.data?.items ?? [])
      .filter((ticket) => (OPEN_STATUSES as readonly string[]).includes(ticket.status))
      .slice(0, 8),
  );
  return (
    <Card.Root>
      <Card.Title>My work</Card.Title>
      <Switch fallback={<Skeleton lines={3} label="Loading your tickets" />}>
        <Match when={list.isError}>
          <p class="desk-muted">{describeError(list.error).message}</p>
        </Match>
        <Match when={list.isSuccess && open().length === 0}>
          <p class="desk-muted">Nothing assigned to you is open. Take a ticket from the tickets list.</p>
        </Match>
        <Match when={list.isSuccess}>
          <ul class="desk-mywork">
            <For each={open()}>
              {(ticket) => (
                <li>
                  <A href={`/tickets/${ticket.id}`}>
                    <span class="desk-number">#{ticket.number}</span> {ticket.title}
                  </A>
                  <span class="desk-mywork__meta">
                    <StatusPill status={ticket.status} label={staffStatusLabel(ticket.status)} />
                    <SlaBadge ticket={ticket} now={now} />
                  </span>
                </li>
              )}
            </For>
          </ul>
          <Show when={(list.data?.items.length ?? 0) >= PAGE_SIZE || open().length >= 8}>
            <A href={ticketsHref({ assigneeId: ME })}>All my tickets</A>
          </Show>
        </Match>
      </Switch>
    </Card.Root>
  );
}
