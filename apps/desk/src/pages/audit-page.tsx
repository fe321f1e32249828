import type { AuditEntryInfo } from '@atum-desk/core/domain';
import {
  Alert,
  Button,
  Card,
  DateTime,
  EmptyState,
  ErrorState,
  Select,
  Skeleton,
  Table,
  TextField,
} from '@atum-desk/ui';
import { A, useSearchParams } from '@solidjs/router';
import { useInfiniteQuery, useMutation } from '@tanstack/solid-query';
import { createEffect, createMemo, createSignal, For, Match, on, Show, Switch } from 'solid-js';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/errors.ts';
import { type AuditListInput, auditListQuery } from '../api/queries.ts';
import { currentUser, useSession } from '../auth/session.tsx';
import { auditActionLabel, KNOWN_AUDIT_ACTIONS, summarizeAudit } from '../components/audit-labels.ts';
import { usePeople } from '../components/people.ts';
import { usePageTitle } from '../page-title.ts';

const ENTITY_TYPES = ['ticket', 'comment', 'attachment', 'user', 'organization', 'service', 'sla_policy'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The audit filters from the address; unknown values are left out. */
export function parseAuditFilters(params: Record<string, string | string[] | undefined>): AuditListInput {
  const one = (key: string) => {
    const value = params[key];
    return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
  };
  const filters: AuditListInput = {};
  const action = one('action');
  if (action && /^[a-z_]+\.[a-z_]+$/.test(action)) filters.action = action;
  const entityType = one('entityType');
  if (entityType && ENTITY_TYPES.includes(entityType)) filters.entityType = entityType;
  const entityId = one('entityId');
  if (entityId && entityId.length <= 100) filters.entityId = entityId;
  const actorId = one('actor');
  if (actorId && UUID.test(actorId)) filters.actorId = actorId;
  const organizationId = one('org');
  if (organizationId && UUID.test(organizationId)) filters.organizationId = organizationId;
  return filters;
}

/**
 * `/desk/audit`: the append-only audit log, newest first, filtered by action, entity, actor and
 * organization (all in the address). Administrators can verify the hash chains.
 */
export default function AuditPage() {
  const api = useApi();
  const session = useSession();
  const me = () => currentUser(session);
  const people = usePeople(me);
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = createMemo(() => parseAuditFilters(searchParams));
  const log = useInfiniteQuery(() => auditListQuery(api, filters()));
  const rows = createMemo(() => log.data?.pages.flatMap((page) => page.items) ?? []);
  const [entityId, setEntityId] = createSignal(filters().entityId ?? '');
  createEffect(
    on(
      () => filters().entityId,
      (id) => setEntityId(id ?? ''),
      { defer: true },
    ),
  );
  usePageTitle(() => 'Audit log');

  const set = (key: string, value: string | undefined) => setSearchParams({ [key]: value || undefined });
  const filtered = () => Object.keys(filters()).length > 0;

  return (
    <section class="desk-page" aria-labelledby="audit-title">
      <header class="desk-page__header">
        <div>
          <h1 id="audit-title">Audit log</h1>
          <p class="desk-muted">
            Every change, sign-in and download, append-only and hash-chained. Newest first.
          </p>
        </div>
        <Show when={me()?.role === 'ADMIN'}>
          <VerifyChains />
        </Show>
      </header>
      <Card.Root>
        <form
          class="desk-filters"
          aria-label="Filter the audit log"
          onSubmit={(event) => {
            event.preventDefault();
            set('entityId', entityId().trim());
          }}
        >
          <Select.Root>
            <Select.Label>Action</Select.Label>
            <Select.Control
              value={filters().action ?? ''}
              onChange={(event) => set('action', event.currentTarget.value)}
            >
              <option value="">Any action</option>
              <For each={KNOWN_AUDIT_ACTIONS}>
                {(action) => (
                  <option value={action}>
                    {auditActionLabel(action)} ({action})
                  </option>
                )}
              </For>
            </Select.Control>
          </Select.Root>
          <Select.Root>
            <Select.Label>Entity type</Select.Label>
            <Select.Control
              value={filters().entityType ?? ''}
              onChange={(event) => set('entityType', event.currentTarget.value)}
            >
              <option value="">Any entity</option>
              <For each={ENTITY_TYPES}>
                {(type) => <option value={type}>{type.replace('_', ' ')}</option>}
              </For>
            </Select.Control>
          </Select.Root>
          <TextField.Root>
            <TextField.Label>Entity id</TextField.Label>
            <TextField.Input
              name="entityId"
              value={entityId()}
              spellcheck={false}
              onInput={(event) => setEntityId(event.currentTarget.value)}
              onChange={(event) => set('entityId', event.currentTarget.value.trim())}
            />
          </TextField.Root>
          <Select.Root>
            <Select.Label>Actor</Select.Label>
            <Select.Control
              value={filters().actorId ?? ''}
              onChange={(event) => set('actor', event.currentTarget.value)}
            >
              <option value="">Anyone</option>
              <For each={people.staff()}>{(member) => <option value={member.id}>{member.name}</option>}</For>
            </Select.Control>
          </Select.Root>
          <Select.Root>
            <Select.Label>Organization</Select.Label>
            <Select.Control
              value={filters().organizationId ?? ''}
              onChange={(event) => set('org', event.currentTarget.value)}
            >
              <option value="">Any organization</option>
              <For each={people.organizations()}>
                {(organization) => <option value={organization.id}>{organization.name}</option>}
              </For>
            </Select.Control>
          </Select.Root>
          <div class="desk-filters__actions">
            <Show when={filtered()}>
              <Button
                variant="ghost"
                onClick={() =>
                  setSearchParams({
                    action: undefined,
                    entityType: undefined,
                    entityId: undefined,
                    actor: undefined,
                    org: undefined,
                  })
                }
              >
                Clear filters
              </Button>
            </Show>
          </div>
        </form>
      </Card.Root>
      <Card.Root>
        <Switch fallback={<Skeleton lines={8} label="Loading the audit log" />}>
          <Match when={log.isError}>
            <ErrorState
              title="The audit log could not be loaded"
              message={describeError(log.error).message}
              onRetry={() => void log.refetch()}
            />
          </Match>
          <Match when={log.isSuccess && rows().length === 0}>
            <EmptyState
              title="No entries"
              description={filtered() ? 'Nothing matches these filters.' : 'Nothing recorded yet.'}
            />
          </Match>
          <Match when={log.isSuccess}>
            <Table.Root>
              <Table.Caption hidden>Audit log entries</Table.Caption>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell>When</Table.HeaderCell>
                  <Table.HeaderCell>Action</Table.HeaderCell>
                  <Table.HeaderCell>Actor</Table.HeaderCell>
                  <Table.HeaderCell>Organization</Table.HeaderCell>
                  <Table.HeaderCell>Entity</Table.HeaderCell>
                  <Table.HeaderCell>Change</Table.HeaderCell>
                  <Table.HeaderCell>IP</Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                <For each={rows()}>{(row) => <AuditRow row={row} people={people} />}</For>
              </Table.Body>
            </Table.Root>
            <p class="desk-muted desk-pager">
              {rows().length} {rows().length === 1 ? 'entry' : 'entries'} shown
              <Show when={log.hasNextPage}>
                <Button
                  variant="secondary"
                  busy={log.isFetchingNextPage}
                  onClick={() => void log.fetchNextPage()}
                >
                  Load more
                </Button>
              </Show>
            </p>
          </Match>
        </Switch>
      </Card.Root>
    </section>
  );
}

function AuditRow(props: { row: AuditEntryInfo; people: ReturnType<typeof usePeople> }) {
  const ticketId = () => {
    if (props.row.entityType === 'ticket') return props.row.entityId;
    const value = props.row.newValue as { ticketId?: unknown } | null;
    return typeof value?.ticketId === 'string' ? value.ticketId : null;
  };
  return (
    <Table.Row data-action={props.row.action}>
      <Table.Cell label="When">
        <DateTime value={props.row.createdAt} />
      </Table.Cell>
      <Table.Cell label="Action">
        <span title={props.row.action}>{auditActionLabel(props.row.action)}</span>
      </Table.Cell>
      <Table.Cell label="Actor">{props.people.personName(props.row.actorId)}</Table.Cell>
      <Table.Cell label="Organization">{props.people.organizationName(props.row.organizationId)}</Table.Cell>
      <Table.Cell label="Entity">
        <span class="desk-muted">{props.row.entityType}</span>{' '}
        <Show
          when={ticketId()}
          fallback={<code class="desk-id">{props.row.entityId?.slice(0, 8) ?? '—'}</code>}
        >
          {(id) => (
            <A href={`/tickets/${id()}`} title={props.row.entityId ?? undefined}>
              <code class="desk-id">{props.row.entityId?.slice(0, 8)}</code>
              <span class="visually-hidden"> (open the ticket)</span>
            </A>
          )}
        </Show>
      </Table.Cell>
      <Table.Cell label="Change" class="desk-audit-change">
        <span>{summarizeAudit(props.row, (id) => props.people.personName(id))}</span>
        <Show when={props.row.oldValue !== null || props.row.newValue !== null}>
          <details class="desk-details">
            <summary>Recorded values</summary>
            <pre class="desk-json">
              {JSON.stringify({ old: props.row.oldValue, new: props.row.newValue }, null, 2)}
            </pre>
          </details>
        </Show>
      </Table.Cell>
      <Table.Cell label="IP">{props.row.ip ?? '—'}</Table.Cell>
    </Table.Row>
  );
}

function VerifyChains() {
  const api = useApi();
  const verify = useMutation(() => ({ mutationFn: () => api.client.audit.verify.query({}) }));
  return (
    <div class="desk-verify">
      <Button variant="secondary" busy={verify.isPending} onClick={() => verify.mutate()}>
        Verify the hash chains
      </Button>
      <Show when={verify.data}>
        {(result) => (
          <Alert tone={result().ok ? 'success' : 'danger'} title={result().ok ? 'Intact' : 'Chain broken'}>
            {result().rows} rows in {result().chains} chains checked
            {result().ok ? '; every hash matches.' : `; ${result().breaks.length} chain(s) broken.`}
          </Alert>
        )}
      </Show>
      <Show when={verify.isError}>
        <Alert tone="danger">{describeError(verify.error).message}</Alert>
      </Show>
    </div>
  );
}
