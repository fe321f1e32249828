import {
  type SlaPolicyInfo,
  TICKET_PRIORITIES,
  type TicketPriority,
  WEEKDAYS,
  ZCreateSlaPolicyInput,
  ZUpdateSlaPolicyInput,
} from '@atum-desk/core/domain';
import {
  Alert,
  Button,
  Card,
  ErrorState,
  Modal,
  PriorityPill,
  priorityText,
  Select,
  Skeleton,
  Table,
  TextField,
} from '@atum-desk/ui';
import { useQuery } from '@tanstack/solid-query';
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import {
  type CalendarForm,
  calendarToForm,
  describeCalendar,
  formToCalendar,
  officeHoursForm,
  WEEKDAY_LABELS,
} from '../../admin/calendar-form.ts';
import { useApi } from '../../api/api-context.tsx';
import { describeError } from '../../api/errors.ts';
import { browserTimezone, queryKeys } from '../../api/queries.ts';
import { currentUser, useSession } from '../../auth/session.tsx';
import {
  AdminDialog,
  check,
  type FieldErrors,
  serverErrors,
  useAdminSave,
} from '../../components/admin-kit.tsx';
import { usePeople } from '../../components/people.ts';
import { usePageTitle } from '../../page-title.ts';
import { formatDuration } from '../../tickets/duration.ts';

/** Timezones the browser knows, for the calendar's picker. */
function timezones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/**
 * `/desk/admin/sla`: SLA policies with their business calendars. One policy per organization and
 * priority; the global defaults apply to organizations without their own and cannot be deleted.
 */
export default function SlaPoliciesPage() {
  const api = useApi();
  const session = useSession();
  const people = usePeople(() => currentUser(session));
  const policies = useQuery(() => ({
    queryKey: queryKeys.slaPolicies,
    queryFn: () => api.client.sla.policies.list.query({}),
  }));
  const groups = createMemo(() => {
    const byOrganization = new Map<string | null, SlaPolicyInfo[]>();
    for (const policy of policies.data ?? []) {
      byOrganization.set(policy.organizationId, [
        ...(byOrganization.get(policy.organizationId) ?? []),
        policy,
      ]);
    }
    return [...byOrganization.entries()]
      .map(([organizationId, list]) => ({
        organizationId,
        name: organizationId ? people.organizationName(organizationId) : 'Global defaults',
        policies: list.toSorted(
          (a, b) => TICKET_PRIORITIES.indexOf(a.priority) - TICKET_PRIORITIES.indexOf(b.priority),
        ),
      }))
      .sort((a, b) =>
        a.organizationId === null ? -1 : b.organizationId === null ? 1 : a.name.localeCompare(b.name),
      );
  });
  const [editing, setEditing] = createSignal<SlaPolicyInfo | 'new'>();
  const [deleting, setDeleting] = createSignal<SlaPolicyInfo>();
  usePageTitle(() => 'SLA policies');

  return (
    <section class="desk-page" aria-labelledby="sla-title">
      <header class="desk-page__header">
        <div>
          <h1 id="sla-title">SLA policies</h1>
          <p class="desk-muted">
            Targets for the first response and the resolution, counted in business time on each policy's
            calendar. New targets apply to tickets accepted from then on.
          </p>
        </div>
        <Button onClick={() => setEditing('new')}>New policy</Button>
      </header>
      <Switch fallback={<Skeleton lines={6} label="Loading the SLA policies" />}>
        <Match when={policies.isError}>
          <ErrorState
            title="The SLA policies could not be loaded"
            message={describeError(policies.error).message}
            onRetry={() => void policies.refetch()}
          />
        </Match>
        <Match when={policies.isSuccess}>
          <For each={groups()}>
            {(group) => (
              <Card.Root>
                <Card.Title>{group.name}</Card.Title>
                <Table.Root>
                  <Table.Caption hidden>SLA policies: {group.name}</Table.Caption>
                  <Table.Head>
                    <Table.Row>
                      <Table.HeaderCell>Policy</Table.HeaderCell>
                      <Table.HeaderCell>First response</Table.HeaderCell>
                      <Table.HeaderCell>Resolution</Table.HeaderCell>
                      <Table.HeaderCell>Warn at</Table.HeaderCell>
                      <Table.HeaderCell>Business calendar</Table.HeaderCell>
                      <Table.HeaderCell>
                        <span class="visually-hidden">Actions</span>
                      </Table.HeaderCell>
                    </Table.Row>
                  </Table.Head>
                  <Table.Body>
                    <For each={group.policies}>
                      {(policy) => (
                        <Table.Row>
                          <Table.Cell label="Policy">
                            <PriorityPill priority={policy.priority} />
                            <span class="desk-row-meta">{policy.name}</span>
                          </Table.Cell>
                          <Table.Cell label="First response">
                            {formatDuration(policy.firstResponseMinutes * 60_000)}
                          </Table.Cell>
                          <Table.Cell label="Resolution">
                            {formatDuration(policy.resolutionMinutes * 60_000)}
                          </Table.Cell>
                          <Table.Cell label="Warn at">{policy.warnAtPercent} %</Table.Cell>
                          <Table.Cell label="Business calendar">
                            {describeCalendar(policy.calendar)}
                          </Table.Cell>
                          <Table.Cell label="Actions">
                            <div class="desk-row-actions">
                              <Button
                                variant="ghost"
                                aria-label={`Edit ${policy.name}`}
                                onClick={() => setEditing(policy)}
                              >
                                Edit
                              </Button>
                              <Show when={policy.organizationId}>
                                <Button
                                  variant="ghost"
                                  aria-label={`Delete ${policy.name}`}
                                  onClick={() => setDeleting(policy)}
                                >
                                  Delete
                                </Button>
                              </Show>
                            </div>
                          </Table.Cell>
                        </Table.Row>
                      )}
                    </For>
                  </Table.Body>
                </Table.Root>
              </Card.Root>
            )}
          </For>
        </Match>
      </Switch>
      <Show when={editing()} keyed>
        {(target) => (
          <PolicyDialog
            policy={target === 'new' ? undefined : target}
            organizations={people.organizations()}
            onClose={() => setEditing(undefined)}
          />
        )}
      </Show>
      <DeletePolicy policy={deleting()} onClose={() => setDeleting(undefined)} />
    </section>
  );
}

function PolicyDialog(props: {
  policy: SlaPolicyInfo | undefined;
  organizations: readonly { id: string; name: string }[];
  onClose: () => void;
}) {
  const api = useApi();
  const [name, setName] = createSignal(props.policy?.name ?? '');
  const [organizationId, setOrganizationId] = createSignal(props.policy?.organizationId ?? '');
  const [priority, setPriority] = createSignal<TicketPriority>(props.policy?.priority ?? 'MEDIUM');
  const [firstResponse, setFirstResponse] = createSignal(String(props.policy?.firstResponseMinutes ?? 240));
  const [resolution, setResolution] = createSignal(String(props.policy?.resolutionMinutes ?? 2400));
  const [warnAt, setWarnAt] = createSignal(String(props.policy?.warnAtPercent ?? 80));
  const [calendar, setCalendar] = createSignal<CalendarForm>(
    props.policy ? calendarToForm(props.policy.calendar) : officeHoursForm(browserTimezone()),
  );
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const zones = timezones();
  const save = useAdminSave((input: unknown) =>
    props.policy
      ? api.client.sla.policies.update.mutate(
          input as Parameters<typeof api.client.sla.policies.update.mutate>[0],
        )
      : api.client.sla.policies.create.mutate(
          input as Parameters<typeof api.client.sla.policies.create.mutate>[0],
        ),
  );
  const setDay = (day: (typeof WEEKDAYS)[number], value: string) =>
    setCalendar((form) => ({ ...form, days: { ...form.days, [day]: value } }));

  const submit = async () => {
    const parsedCalendar = formToCalendar(calendar());
    const numbers = {
      firstResponseMinutes: Number(firstResponse()),
      resolutionMinutes: Number(resolution()),
      warnAtPercent: Number(warnAt()),
    };
    const checked = props.policy
      ? check(ZUpdateSlaPolicyInput, {
          id: props.policy.id,
          name: name(),
          ...numbers,
          ...(parsedCalendar.ok ? { calendar: parsedCalendar.calendar } : {}),
        })
      : check(ZCreateSlaPolicyInput, {
          name: name(),
          organizationId: organizationId() || null,
          priority: priority(),
          ...numbers,
          ...(parsedCalendar.ok ? { calendar: parsedCalendar.calendar } : {}),
        });
    const found: FieldErrors = {
      ...(checked.ok ? {} : checked.fields),
      ...(parsedCalendar.ok ? {} : parsedCalendar.errors),
    };
    if (!checked.ok || !parsedCalendar.ok) {
      setErrors(found);
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
      title={props.policy ? `Edit ${props.policy.name}` : 'New SLA policy'}
      description="Times are business minutes: they count only while the calendar is open."
      submitLabel={props.policy ? 'Save policy' : 'Create policy'}
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
      <div class="desk-form__row">
        <Select.Root invalid={errors().organizationId !== undefined}>
          <Select.Label>Organization</Select.Label>
          <Select.Control
            value={organizationId()}
            disabled={Boolean(props.policy)}
            onChange={(event) => setOrganizationId(event.currentTarget.value)}
          >
            <option value="">Global default</option>
            <For each={props.organizations}>
              {(organization) => <option value={organization.id}>{organization.name}</option>}
            </For>
          </Select.Control>
          <Select.Error>{errors().organizationId}</Select.Error>
        </Select.Root>
        <Select.Root invalid={errors().priority !== undefined}>
          <Select.Label>Priority</Select.Label>
          <Select.Control
            value={priority()}
            disabled={Boolean(props.policy)}
            onChange={(event) => setPriority(event.currentTarget.value as TicketPriority)}
          >
            <For each={TICKET_PRIORITIES}>
              {(value) => <option value={value}>{priorityText(value)}</option>}
            </For>
          </Select.Control>
          <Select.Error>{errors().priority}</Select.Error>
        </Select.Root>
      </div>
      <div class="desk-form__row">
        <TextField.Root invalid={errors().firstResponseMinutes !== undefined}>
          <TextField.Label>First response (minutes) *</TextField.Label>
          <TextField.Input
            type="number"
            min="1"
            inputmode="numeric"
            value={firstResponse()}
            onInput={(event) => setFirstResponse(event.currentTarget.value)}
          />
          <TextField.Error>{errors().firstResponseMinutes}</TextField.Error>
        </TextField.Root>
        <TextField.Root invalid={errors().resolutionMinutes !== undefined}>
          <TextField.Label>Resolution (minutes) *</TextField.Label>
          <TextField.Input
            type="number"
            min="1"
            inputmode="numeric"
            value={resolution()}
            onInput={(event) => setResolution(event.currentTarget.value)}
          />
          <TextField.Error>{errors().resolutionMinutes}</TextField.Error>
        </TextField.Root>
        <TextField.Root invalid={errors().warnAtPercent !== undefined}>
          <TextField.Label>Warn managers at (% used) *</TextField.Label>
          <TextField.Input
            type="number"
            min="1"
            max="99"
            inputmode="numeric"
            value={warnAt()}
            onInput={(event) => setWarnAt(event.currentTarget.value)}
          />
          <TextField.Error>{errors().warnAtPercent}</TextField.Error>
        </TextField.Root>
      </div>
      <fieldset class="desk-fieldset">
        <legend>Business calendar</legend>
        <Select.Root invalid={errors().timezone !== undefined}>
          <Select.Label>Timezone *</Select.Label>
          <Select.Control
            value={calendar().timezone}
            onChange={(event) => setCalendar((form) => ({ ...form, timezone: event.currentTarget.value }))}
          >
            <For each={zones.includes(calendar().timezone) ? zones : [calendar().timezone, ...zones]}>
              {(zone) => <option value={zone}>{zone}</option>}
            </For>
          </Select.Control>
          <Select.Error>{errors().timezone}</Select.Error>
        </Select.Root>
        <label class="desk-checkbox">
          <input
            type="checkbox"
            checked={calendar().alwaysOpen}
            onChange={(event) =>
              setCalendar((form) => ({ ...form, alwaysOpen: event.currentTarget.checked }))
            }
          />
          <span>Round the clock (24×7; holidays still close their day)</span>
        </label>
        <Show when={!calendar().alwaysOpen}>
          <p class="desk-muted">
            Opening hours per day, e.g. 09:00-12:00, 13:00-17:00. Leave a day empty when closed.
          </p>
          <Show when={errors().days}>
            <Alert tone="danger">{errors().days}</Alert>
          </Show>
          <div class="desk-week">
            <For each={WEEKDAYS}>
              {(day) => (
                <TextField.Root invalid={errors()[day] !== undefined}>
                  <TextField.Label>{WEEKDAY_LABELS[day]}</TextField.Label>
                  <TextField.Input
                    value={calendar().days[day]}
                    placeholder="Closed"
                    spellcheck={false}
                    onInput={(event) => setDay(day, event.currentTarget.value)}
                  />
                  <TextField.Error>{errors()[day]}</TextField.Error>
                </TextField.Root>
              )}
            </For>
          </div>
        </Show>
        <TextField.Root invalid={errors().holidays !== undefined}>
          <TextField.Label>Holidays</TextField.Label>
          <TextField.Description>
            One date per line, YYYY-MM-DD, in the calendar's timezone.
          </TextField.Description>
          <TextField.TextArea
            rows={3}
            value={calendar().holidays}
            spellcheck={false}
            onInput={(event) => setCalendar((form) => ({ ...form, holidays: event.currentTarget.value }))}
          />
          <TextField.Error>{errors().holidays}</TextField.Error>
        </TextField.Root>
      </fieldset>
    </AdminDialog>
  );
}

function DeletePolicy(props: { policy: SlaPolicyInfo | undefined; onClose: () => void }) {
  const api = useApi();
  const remove = useAdminSave((id: string) => api.client.sla.policies.delete.mutate({ id }));
  return (
    <Modal.Root open={props.policy !== undefined} onClose={props.onClose}>
      <Modal.Title>Delete {props.policy?.name}?</Modal.Title>
      <Modal.Description>
        Tickets of this organization accepted from now on fall back to the global default for their priority.
        Accepted tickets keep their due times.
      </Modal.Description>
      <Show when={remove.isError}>
        <Alert tone="danger">{describeError(remove.error).message}</Alert>
      </Show>
      <Modal.Footer>
        <Button variant="ghost" onClick={() => props.onClose()}>
          Keep it
        </Button>
        <Button
          busy={remove.isPending}
          onClick={async () => {
            if (!props.policy) return;
            await remove.mutateAsync(props.policy.id).then(props.onClose, () => undefined);
          }}
        >
          Delete policy
        </Button>
      </Modal.Footer>
    </Modal.Root>
  );
}
