import { type ServiceInfo, ZCreateServiceInput, ZUpdateServiceInput } from '@atum-desk/core/domain';
import { Button, Card, EmptyState, ErrorState, Select, Skeleton, Table, TextField } from '@atum-desk/ui';
import { useQuery } from '@tanstack/solid-query';
import { createSignal, For, Match, Show, Switch } from 'solid-js';
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

/** `/desk/admin/services`: what customers file tickets against; global or for one organization. */
export default function ServicesPage() {
  const api = useApi();
  const session = useSession();
  const people = usePeople(() => currentUser(session));
  const services = useQuery(() => ({
    queryKey: queryKeys.services,
    queryFn: () => api.client.services.list.query({ includeInactive: true }),
  }));
  const [editing, setEditing] = createSignal<ServiceInfo | 'new'>();
  usePageTitle(() => 'Services');
  return (
    <section class="desk-page" aria-labelledby="services-title">
      <header class="desk-page__header">
        <div>
          <h1 id="services-title">Services</h1>
          <p class="desk-muted">The service catalogue customers choose from when they file a ticket.</p>
        </div>
        <Button onClick={() => setEditing('new')}>New service</Button>
      </header>
      <Card.Root>
        <Switch fallback={<Skeleton lines={5} label="Loading the services" />}>
          <Match when={services.isError}>
            <ErrorState
              title="The services could not be loaded"
              message={describeError(services.error).message}
              onRetry={() => void services.refetch()}
            />
          </Match>
          <Match when={services.isSuccess && (services.data?.length ?? 0) === 0}>
            <EmptyState title="No services yet" description="Add the first one with New service." />
          </Match>
          <Match when={services.isSuccess}>
            <Table.Root>
              <Table.Caption hidden>Services</Table.Caption>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell>Name</Table.HeaderCell>
                  <Table.HeaderCell>Description</Table.HeaderCell>
                  <Table.HeaderCell>Offered to</Table.HeaderCell>
                  <Table.HeaderCell>Status</Table.HeaderCell>
                  <Table.HeaderCell>
                    <span class="visually-hidden">Actions</span>
                  </Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                <For each={services.data}>
                  {(service) => (
                    <Table.Row>
                      <Table.Cell label="Name">{service.name}</Table.Cell>
                      <Table.Cell label="Description">{service.description ?? '—'}</Table.Cell>
                      <Table.Cell label="Offered to">
                        {service.organizationId
                          ? people.organizationName(service.organizationId)
                          : 'Every organization'}
                      </Table.Cell>
                      <Table.Cell label="Status">
                        <ActiveTag active={service.isActive} />
                      </Table.Cell>
                      <Table.Cell label="Actions">
                        <Button
                          variant="ghost"
                          aria-label={`Edit ${service.name}`}
                          onClick={() => setEditing(service)}
                        >
                          Edit
                        </Button>
                      </Table.Cell>
                    </Table.Row>
                  )}
                </For>
              </Table.Body>
            </Table.Root>
          </Match>
        </Switch>
      </Card.Root>
      <Show when={editing()} keyed>
        {(target) => (
          <ServiceDialog
            service={target === 'new' ? undefined : target}
            organizations={people.organizations()}
            onClose={() => setEditing(undefined)}
          />
        )}
      </Show>
    </section>
  );
}

function ServiceDialog(props: {
  service: ServiceInfo | undefined;
  organizations: readonly { id: string; name: string }[];
  onClose: () => void;
}) {
  const api = useApi();
  const [name, setName] = createSignal(props.service?.name ?? '');
  const [description, setDescription] = createSignal(props.service?.description ?? '');
  const [organizationId, setOrganizationId] = createSignal(props.service?.organizationId ?? '');
  const [active, setActive] = createSignal(props.service?.isActive ?? true);
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const save = useAdminSave((input: unknown) =>
    props.service
      ? api.client.services.update.mutate(input as Parameters<typeof api.client.services.update.mutate>[0])
      : api.client.services.create.mutate(input as Parameters<typeof api.client.services.create.mutate>[0]),
  );
  const submit = async () => {
    const checked = props.service
      ? check(ZUpdateServiceInput, {
          id: props.service.id,
          name: name(),
          description: description().trim() || null,
          isActive: active(),
        })
      : check(ZCreateServiceInput, {
          name: name(),
          description: description().trim() || null,
          organizationId: organizationId() || null,
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
      title={props.service ? `Edit ${props.service.name}` : 'New service'}
      submitLabel={props.service ? 'Save service' : 'Create service'}
      busy={save.isPending}
      error={errors().form}
      onClose={props.onClose}
      onSubmit={() => void submit()}
    >
      <TextField.Root invalid={errors().name !== undefined}>
        <TextField.Label>Name *</TextField.Label>
        <TextField.Input value={name()} onInput={(event) => setName(event.currentTarget.value)} />
        <TextField.Error>{errors().name}</TextField.Error>
      </TextField.Root>
      <TextField.Root invalid={errors().description !== undefined}>
        <TextField.Label>Description</TextField.Label>
        <TextField.TextArea
          rows={3}
          value={description()}
          onInput={(event) => setDescription(event.currentTarget.value)}
        />
        <TextField.Error>{errors().description}</TextField.Error>
      </TextField.Root>
      <Select.Root invalid={errors().organizationId !== undefined}>
        <Select.Label>Offered to</Select.Label>
        <Show when={props.service}>
          <Select.Description>
            Tickets belong to their service's organization, so this stays as created.
          </Select.Description>
        </Show>
        <Select.Control
          value={organizationId()}
          disabled={Boolean(props.service)}
          onChange={(event) => setOrganizationId(event.currentTarget.value)}
        >
          <option value="">Every organization</option>
          <For each={props.organizations}>
            {(organization) => <option value={organization.id}>{organization.name}</option>}
          </For>
        </Select.Control>
        <Select.Error>{errors().organizationId}</Select.Error>
      </Select.Root>
      <Show when={props.service}>
        <label class="desk-checkbox">
          <input
            type="checkbox"
            checked={active()}
            onChange={(event) => setActive(event.currentTarget.checked)}
          />
          <span>Active (offered to customers)</span>
        </label>
      </Show>
    </AdminDialog>
  );
}
