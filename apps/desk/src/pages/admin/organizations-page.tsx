import {
  type OrganizationInfo,
  ZCreateOrganizationInput,
  ZUpdateOrganizationInput,
} from '@atum-desk/core/domain';
import { Button, Card, DateTime, EmptyState, ErrorState, Skeleton, Table, TextField } from '@atum-desk/ui';
import { A } from '@solidjs/router';
import { useInfiniteQuery } from '@tanstack/solid-query';
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { useApi } from '../../api/api-context.tsx';
import { describeError } from '../../api/errors.ts';
import { queryKeys } from '../../api/queries.ts';
import { currentUser, useSession } from '../../auth/session.tsx';
import {
  ActiveTag,
  AdminDialog,
  check,
  type FieldErrors,
  serverErrors,
  useAdminSave,
} from '../../components/admin-kit.tsx';
import { usePeople } from '../../components/people.ts';
import { usePageTitle } from '../../page-title.ts';
import { ticketsHref } from '../../tickets/filters.ts';

/** "Acme Corporation" → "acme-corporation". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
}

/** `/desk/admin/organizations`: the customer organizations (tenants). None is ever deleted. */
export default function OrganizationsPage() {
  const api = useApi();
  const session = useSession();
  const people = usePeople(() => currentUser(session));
  const [q, setQ] = createSignal('');
  const organizations = useInfiniteQuery(() => ({
    queryKey: queryKeys.organizations({ q: q().trim() }),
    queryFn: ({ pageParam }: { pageParam: string | undefined }) =>
      api.client.orgs.list.query({
        ...(q().trim() ? { q: q().trim() } : {}),
        limit: 50,
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined,
  }));
  const rows = createMemo(() => organizations.data?.pages.flatMap((page) => page.items) ?? []);
  const openCount = (id: string) =>
    people.organizations().find((organization) => organization.id === id)?.open ?? 0;
  const [editing, setEditing] = createSignal<OrganizationInfo | 'new'>();
  usePageTitle(() => 'Organizations');

  return (
    <section class="desk-page" aria-labelledby="organizations-title">
      <header class="desk-page__header">
        <div>
          <h1 id="organizations-title">Organizations</h1>
          <p class="desk-muted">
            Customers belong to one organization and see only its tickets. Deactivate instead of deleting.
          </p>
        </div>
        <Button onClick={() => setEditing('new')}>New organization</Button>
      </header>
      <Card.Root>
        <form
          class="desk-filters"
          aria-label="Filter organizations"
          onSubmit={(event) => event.preventDefault()}
        >
          <TextField.Root class="desk-filters__search">
            <TextField.Label>Search</TextField.Label>
            <TextField.Input
              type="search"
              placeholder="Name or slug"
              value={q()}
              onInput={(event) => setQ(event.currentTarget.value)}
            />
          </TextField.Root>
        </form>
      </Card.Root>
      <Card.Root>
        <Switch fallback={<Skeleton lines={5} label="Loading the organizations" />}>
          <Match when={organizations.isError}>
            <ErrorState
              title="The organizations could not be loaded"
              message={describeError(organizations.error).message}
              onRetry={() => void organizations.refetch()}
            />
          </Match>
          <Match when={organizations.isSuccess && rows().length === 0}>
            <EmptyState title="No organizations match" />
          </Match>
          <Match when={organizations.isSuccess}>
            <Table.Root>
              <Table.Caption hidden>Organizations</Table.Caption>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell>Name</Table.HeaderCell>
                  <Table.HeaderCell>Slug</Table.HeaderCell>
                  <Table.HeaderCell>Open tickets</Table.HeaderCell>
                  <Table.HeaderCell>Status</Table.HeaderCell>
                  <Table.HeaderCell>Since</Table.HeaderCell>
                  <Table.HeaderCell>
                    <span class="visually-hidden">Actions</span>
                  </Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                <For each={rows()}>
                  {(organization) => (
                    <Table.Row>
                      <Table.Cell label="Name">{organization.name}</Table.Cell>
                      <Table.Cell label="Slug">
                        <code class="desk-id">{organization.slug}</code>
                      </Table.Cell>
                      <Table.Cell label="Open tickets">
                        <A
                          href={ticketsHref({ organizationId: organization.id })}
                          aria-label={`${openCount(organization.id)} open tickets of ${organization.name}`}
                        >
                          {openCount(organization.id)}
                        </A>
                      </Table.Cell>
                      <Table.Cell label="Status">
                        <ActiveTag active={organization.isActive} />
                      </Table.Cell>
                      <Table.Cell label="Since">
                        <DateTime value={organization.createdAt} />
                      </Table.Cell>
                      <Table.Cell label="Actions">
                        <Button
                          variant="ghost"
                          aria-label={`Edit ${organization.name}`}
                          onClick={() => setEditing(organization)}
                        >
                          Edit
                        </Button>
                      </Table.Cell>
                    </Table.Row>
                  )}
                </For>
              </Table.Body>
            </Table.Root>
            <Show when={organizations.hasNextPage}>
              <p class="desk-pager">
                <Button
                  variant="secondary"
                  busy={organizations.isFetchingNextPage}
                  onClick={() => void organizations.fetchNextPage()}
                >
                  Load more
                </Button>
              </p>
            </Show>
          </Match>
        </Switch>
      </Card.Root>
      <Show when={editing()} keyed>
        {(target) => (
          <OrganizationDialog
            organization={target === 'new' ? undefined : target}
            onClose={() => setEditing(undefined)}
          />
        )}
      </Show>
    </section>
  );
}

function OrganizationDialog(props: { organization: OrganizationInfo | undefined; onClose: () => void }) {
  const api = useApi();
  const [name, setName] = createSignal(props.organization?.name ?? '');
  const [slug, setSlug] = createSignal(props.organization?.slug ?? '');
  const [slugTouched, setSlugTouched] = createSignal(Boolean(props.organization));
  const [active, setActive] = createSignal(props.organization?.isActive ?? true);
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const save = useAdminSave((input: unknown) =>
    props.organization
      ? api.client.orgs.update.mutate(input as Parameters<typeof api.client.orgs.update.mutate>[0])
      : api.client.orgs.create.mutate(input as Parameters<typeof api.client.orgs.create.mutate>[0]),
  );
  const submit = async () => {
    const checked = props.organization
      ? check(ZUpdateOrganizationInput, {
          id: props.organization.id,
          name: name(),
          slug: slug(),
          isActive: active(),
        })
      : check(ZCreateOrganizationInput, { name: name(), slug: slug() });
    if (!checked.ok) {
      setErrors(checked.fields);
      return;
    }
    setErrors({});
    try {
      await save.mutateAsync(checked.data);
      props.onClose();
    } catch (error) {
      setErrors(serverErrors(error));
    }
  };
  return (
    <AdminDialog
      open
      title={props.organization ? `Edit ${props.organization.name}` : 'New organization'}
      submitLabel={props.organization ? 'Save organization' : 'Create organization'}
      busy={save.isPending}
      error={errors().form}
      onClose={props.onClose}
      onSubmit={() => void submit()}
    >
      <TextField.Root invalid={errors().name !== undefined}>
        <TextField.Label>Name *</TextField.Label>
        <TextField.Input
          value={name()}
          onInput={(event) => {
            setName(event.currentTarget.value);
            if (!slugTouched()) setSlug(slugify(event.currentTarget.value));
          }}
        />
        <TextField.Error>{errors().name}</TextField.Error>
      </TextField.Root>
      <TextField.Root invalid={errors().slug !== undefined}>
        <TextField.Label>Slug *</TextField.Label>
        <TextField.Description>Lower-case letters, digits and hyphens; unique.</TextField.Description>
        <TextField.Input
          value={slug()}
          spellcheck={false}
          onInput={(event) => {
            setSlugTouched(true);
            setSlug(event.currentTarget.value);
          }}
        />
        <TextField.Error>{errors().slug}</TextField.Error>
      </TextField.Root>
      <Show when={props.organization}>
        <label class="desk-checkbox">
          <input
            type="checkbox"
            checked={active()}
            onChange={(event) => setActive(event.currentTarget.checked)}
          />
          <span>Active (new customer users may join)</span>
        </label>
      </Show>
    </AdminDialog>
  );
}
