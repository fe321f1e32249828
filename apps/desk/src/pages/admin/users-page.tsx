import {
  isStaffRole,
  USER_ROLES,
  type UserInfo,
  type UserRole,
  ZCreateUserInput,
  ZUpdateUserInput,
} from '@atum-desk/core/domain';
import { Button, Card, EmptyState, ErrorState, Select, Skeleton, Table, TextField } from '@atum-desk/ui';
import { useInfiniteQuery } from '@tanstack/solid-query';
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { useApi } from '../../api/api-context.tsx';
import { describeError } from '../../api/errors.ts';
import { queryKeys } from '../../api/queries.ts';
import { roleName } from '../../auth/roles.ts';
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

/** `/desk/admin/users`: staff and customers, with roles, organizations and access. */
export default function UsersPage() {
  const api = useApi();
  const session = useSession();
  const people = usePeople(() => currentUser(session));
  const [q, setQ] = createSignal('');
  const [role, setRole] = createSignal<UserRole | ''>('');
  const input = createMemo(() => ({
    ...(q().trim() ? { q: q().trim() } : {}),
    ...(role() ? { role: role() as UserRole } : {}),
  }));
  const users = useInfiniteQuery(() => ({
    queryKey: queryKeys.users(input()),
    queryFn: ({ pageParam }: { pageParam: string | undefined }) =>
      api.client.users.list.query({ ...input(), limit: 50, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page: { nextCursor: string | null }) => page.nextCursor ?? undefined,
  }));
  const rows = createMemo(() => users.data?.pages.flatMap((page) => page.items) ?? []);
  const [editing, setEditing] = createSignal<UserInfo | 'new'>();
  usePageTitle(() => 'Users');

  return (
    <section class="desk-page" aria-labelledby="users-title">
      <header class="desk-page__header">
        <div>
          <h1 id="users-title">Users</h1>
          <p class="desk-muted">
            Staff serve every organization; customers belong to one. Passwords are never shown.
          </p>
        </div>
        <Button onClick={() => setEditing('new')}>New user</Button>
      </header>
      <Card.Root>
        <form class="desk-filters" aria-label="Filter users" onSubmit={(event) => event.preventDefault()}>
          <TextField.Root class="desk-filters__search">
            <TextField.Label>Search</TextField.Label>
            <TextField.Input
              type="search"
              placeholder="Name or e-mail"
              value={q()}
              onInput={(event) => setQ(event.currentTarget.value)}
            />
          </TextField.Root>
          <Select.Root>
            <Select.Label>Role</Select.Label>
            <Select.Control
              value={role()}
              onChange={(event) => setRole(event.currentTarget.value as UserRole | '')}
            >
              <option value="">Any role</option>
              <For each={USER_ROLES}>{(value) => <option value={value}>{roleName(value)}</option>}</For>
            </Select.Control>
          </Select.Root>
        </form>
      </Card.Root>
      <Card.Root>
        <Switch fallback={<Skeleton lines={6} label="Loading the users" />}>
          <Match when={users.isError}>
            <ErrorState
              title="The users could not be loaded"
              message={describeError(users.error).message}
              onRetry={() => void users.refetch()}
            />
          </Match>
          <Match when={users.isSuccess && rows().length === 0}>
            <EmptyState title="No users match" />
          </Match>
          <Match when={users.isSuccess}>
            <Table.Root>
              <Table.Caption hidden>Users</Table.Caption>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell>Name</Table.HeaderCell>
                  <Table.HeaderCell>E-mail</Table.HeaderCell>
                  <Table.HeaderCell>Role</Table.HeaderCell>
                  <Table.HeaderCell>Organization</Table.HeaderCell>
                  <Table.HeaderCell>Access</Table.HeaderCell>
                  <Table.HeaderCell>
                    <span class="visually-hidden">Actions</span>
                  </Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                <For each={rows()}>
                  {(user) => (
                    <Table.Row>
                      <Table.Cell label="Name">{user.name}</Table.Cell>
                      <Table.Cell label="E-mail">{user.email}</Table.Cell>
                      <Table.Cell label="Role">{roleName(user.role)}</Table.Cell>
                      <Table.Cell label="Organization">
                        {user.organizationId
                          ? people.organizationName(user.organizationId)
                          : 'Staff (all organizations)'}
                      </Table.Cell>
                      <Table.Cell label="Access">
                        <ActiveTag active={user.isActive} />
                      </Table.Cell>
                      <Table.Cell label="Actions">
                        <Button
                          variant="ghost"
                          aria-label={`Edit ${user.name}`}
                          onClick={() => setEditing(user)}
                        >
                          Edit
                        </Button>
                      </Table.Cell>
                    </Table.Row>
                  )}
                </For>
              </Table.Body>
            </Table.Root>
            <Show when={users.hasNextPage}>
              <p class="desk-pager">
                <Button
                  variant="secondary"
                  busy={users.isFetchingNextPage}
                  onClick={() => void users.fetchNextPage()}
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
          <UserDialog
            user={target === 'new' ? undefined : target}
            onClose={() => setEditing(undefined)}
            organizations={people.organizations()}
          />
        )}
      </Show>
    </section>
  );
}

function UserDialog(props: {
  user: UserInfo | undefined;
  organizations: readonly { id: string; name: string }[];
  onClose: () => void;
}) {
  const api = useApi();
  const [name, setName] = createSignal(props.user?.name ?? '');
  const [email, setEmail] = createSignal(props.user?.email ?? '');
  const [role, setRole] = createSignal<UserRole>(props.user?.role ?? 'AGENT');
  const [organizationId, setOrganizationId] = createSignal(props.user?.organizationId ?? '');
  const [active, setActive] = createSignal(props.user?.isActive ?? true);
  const [password, setPassword] = createSignal('');
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const save = useAdminSave((input: unknown) =>
    props.user
      ? api.client.users.update.mutate(input as Parameters<typeof api.client.users.update.mutate>[0])
      : api.client.users.create.mutate(input as Parameters<typeof api.client.users.create.mutate>[0]),
  );
  const submit = async () => {
    const organization = isStaffRole(role()) ? null : organizationId() || null;
    const checked = props.user
      ? check(ZUpdateUserInput, {
          id: props.user.id,
          name: name(),
          role: role(),
          organizationId: organization,
          isActive: active(),
          ...(password() ? { password: password() } : {}),
        })
      : check(ZCreateUserInput, {
          name: name(),
          email: email(),
          role: role(),
          organizationId: organization,
          password: password(),
        });
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
      title={props.user ? `Edit ${props.user.name}` : 'New user'}
      description={
        props.user ? 'Changing the role, organization, access or password ends their sessions.' : undefined
      }
      submitLabel={props.user ? 'Save user' : 'Create user'}
      busy={save.isPending}
      error={errors().form}
      onClose={props.onClose}
      onSubmit={() => void submit()}
    >
      <TextField.Root invalid={errors().name !== undefined}>
        <TextField.Label>Name *</TextField.Label>
        <TextField.Input
          value={name()}
          onInput={(event) => setName(event.currentTarget.value)}
          autocomplete="off"
        />
        <TextField.Error>{errors().name}</TextField.Error>
      </TextField.Root>
      <Show when={!props.user}>
        <TextField.Root invalid={errors().email !== undefined}>
          <TextField.Label>Email *</TextField.Label>
          <TextField.Input
            type="email"
            value={email()}
            onInput={(event) => setEmail(event.currentTarget.value)}
            autocomplete="off"
          />
          <TextField.Error>{errors().email}</TextField.Error>
        </TextField.Root>
      </Show>
      <Select.Root invalid={errors().role !== undefined}>
        <Select.Label>Role *</Select.Label>
        <Select.Control value={role()} onChange={(event) => setRole(event.currentTarget.value as UserRole)}>
          <For each={USER_ROLES}>{(value) => <option value={value}>{roleName(value)}</option>}</For>
        </Select.Control>
        <Select.Error>{errors().role}</Select.Error>
      </Select.Root>
      <Show when={!isStaffRole(role())}>
        <Select.Root invalid={errors().organizationId !== undefined}>
          <Select.Label>Organization *</Select.Label>
          <Select.Control
            value={organizationId()}
            onChange={(event) => setOrganizationId(event.currentTarget.value)}
          >
            <option value="">Choose an organization</option>
            <For each={props.organizations}>
              {(organization) => <option value={organization.id}>{organization.name}</option>}
            </For>
          </Select.Control>
          <Select.Error>{errors().organizationId}</Select.Error>
        </Select.Root>
      </Show>
      <Show when={props.user}>
        <label class="desk-checkbox">
          <input
            type="checkbox"
            checked={active()}
            onChange={(event) => setActive(event.currentTarget.checked)}
          />
          <span>Active (may sign in)</span>
        </label>
      </Show>
      <TextField.Root invalid={errors().password !== undefined}>
        <TextField.Label>{props.user ? 'New password' : 'Password *'}</TextField.Label>
        <TextField.Description>
          At least 12 characters.{props.user ? ' Leave empty to keep the current one.' : ''}
        </TextField.Description>
        <TextField.Input
          type="password"
          autocomplete="new-password"
          value={password()}
          onInput={(event) => setPassword(event.currentTarget.value)}
        />
        <TextField.Error>{errors().password}</TextField.Error>
      </TextField.Root>
    </AdminDialog>
  );
}
