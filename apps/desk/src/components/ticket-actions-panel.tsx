import {
  type StaffTicketDetailInfo,
  TICKET_PRIORITIES,
  type TicketPriority,
  type TicketStatus,
  type UserInfo,
} from '@atum-desk/core/domain';
import { Alert, Button, priorityText, Select, TextField, useToast } from '@atum-desk/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/solid-query';
import { createEffect, createMemo, createSignal, For, on, Show } from 'solid-js';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/errors.ts';
import { staffQuery } from '../api/queries.ts';
import { useShortcuts } from '../shortcuts/shortcut-provider.tsx';
import { staffStatusLabel } from '../tickets/labels.ts';
import { statusChangeHint, statusTargets } from '../tickets/status-options.ts';
import { RejectDialog } from './reject-dialog.tsx';
import { invalidateTicketViews, useAcceptTicket } from './ticket-actions.ts';

/**
 * What the caller may do with the ticket now, and only that (the server's `allowedActions`): accept or
 * reject a NEW ticket; field `Assignee` + button `Assign`; field `Status` + button `Update status`, with
 * `Resolution` and `Root cause` when resolving; the priority for managers and the assignee.
 */
export function TicketActionsPanel(props: { ticket: StaffTicketDetailInfo; user: UserInfo }) {
  const allowed = (action: StaffTicketDetailInfo['allowedActions'][number]) =>
    props.ticket.allowedActions.includes(action);
  const accept = useAcceptTicket();
  const [rejecting, setRejecting] = createSignal(false);
  const mayChangePriority = () =>
    !['CLOSED', 'CANCELLED'].includes(props.ticket.status) &&
    (props.user.role !== 'AGENT' || props.ticket.assignedToId === props.user.id);
  const nothing = () =>
    !allowed('accept') &&
    !allowed('reject') &&
    !allowed('assign') &&
    statusTargets(props.ticket.allowedActions).length === 0 &&
    !mayChangePriority();

  return (
    <div class="desk-actions-panel">
      <Show when={allowed('accept') || allowed('reject')}>
        <div class="desk-actions">
          <Show when={allowed('accept')}>
            <Button busy={accept.isPending} onClick={() => accept.mutate(props.ticket)}>
              Accept
            </Button>
          </Show>
          <Show when={allowed('reject')}>
            <Button variant="secondary" onClick={() => setRejecting(true)}>
              Reject
            </Button>
          </Show>
        </div>
        <RejectDialog ticket={rejecting() ? props.ticket : undefined} onClose={() => setRejecting(false)} />
      </Show>
      <Show when={allowed('assign')}>
        <AssignForm ticket={props.ticket} user={props.user} />
      </Show>
      <Show when={statusTargets(props.ticket.allowedActions).length > 0}>
        <StatusForm ticket={props.ticket} />
      </Show>
      <Show when={mayChangePriority()}>
        <PriorityForm ticket={props.ticket} />
      </Show>
      <Show when={nothing()}>
        <p class="desk-muted">
          <Show
            when={['CLOSED', 'CANCELLED'].includes(props.ticket.status)}
            fallback="Nothing for you to do here: the ticket is held by someone else."
          >
            This ticket is {staffStatusLabel(props.ticket.status).toLowerCase()} and read-only.
          </Show>
        </p>
      </Show>
    </div>
  );
}

function useTicketChange<Input>(
  run: (input: Input) => Promise<{ number: number }>,
  done: (input: Input) => string,
) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation(() => ({
    mutationFn: run,
    onSuccess: (ticket: { number: number }, input: Input) =>
      void toast.show({
        title: `Ticket #${ticket.number}`,
        message: done(input),
        tone: 'success',
        duration: 4000,
      }),
    onError: (error: unknown) => {
      // Someone changed the ticket meanwhile: the refetch below shows what it is now.
      if (describeError(error).status === 409) {
        toast.show({ title: 'Not changed', message: describeError(error).message, tone: 'danger' });
      }
    },
    onSettled: () => invalidateTicketViews(queryClient),
  }));
}

function AssignForm(props: { ticket: StaffTicketDetailInfo; user: UserInfo }) {
  const api = useApi();
  const staff = useQuery(() => staffQuery(api));
  // Agents take tickets for themselves; managers and administrators hand them to anyone.
  const candidates = createMemo(() =>
    props.user.role === 'AGENT'
      ? [{ id: props.user.id, name: props.user.name, role: props.user.role, email: props.user.email }]
      : (staff.data ?? []),
  );
  const [assignee, setAssignee] = createSignal(props.ticket.assignedToId ?? '');
  createEffect(
    on(
      () => props.ticket.assignedToId,
      (id) => setAssignee(id ?? ''),
      { defer: true },
    ),
  );
  const assign = useTicketChange(
    (assigneeId: string) => api.client.internal.tickets.assign.mutate({ id: props.ticket.id, assigneeId }),
    (assigneeId) =>
      `Assigned to ${assigneeId === props.user.id ? 'you' : (candidates().find((c) => c.id === assigneeId)?.name ?? 'them')}.`,
  );
  return (
    <form
      class="desk-form desk-form--compact"
      novalidate
      onSubmit={(event) => {
        event.preventDefault();
        if (assignee()) assign.mutate(assignee());
      }}
    >
      <Select.Root invalid={assign.isError}>
        <Select.Label>Assignee</Select.Label>
        <Select.Control
          name="assigneeId"
          value={assignee()}
          onChange={(event) => setAssignee(event.currentTarget.value)}
        >
          <option value="" disabled>
            Choose someone
          </option>
          <For each={candidates()}>
            {(member) => (
              <option value={member.id}>
                {member.id === props.user.id ? `${member.name} (you)` : member.name} ·{' '}
                {member.role.toLowerCase()}
              </option>
            )}
          </For>
        </Select.Control>
        <Select.Error>{describeError(assign.error).message}</Select.Error>
      </Select.Root>
      <Button
        type="submit"
        variant="secondary"
        busy={assign.isPending}
        disabled={!assignee() || assignee() === props.ticket.assignedToId}
      >
        Assign
      </Button>
    </form>
  );
}

function StatusForm(props: { ticket: StaffTicketDetailInfo }) {
  const api = useApi();
  const [status, setStatus] = createSignal<TicketStatus | ''>('');
  const [resolution, setResolution] = createSignal('');
  const [rootCause, setRootCause] = createSignal('');
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const targets = createMemo(() => statusTargets(props.ticket.allowedActions));
  // A change made elsewhere (live) may take the chosen status off the list.
  createEffect(
    on(targets, (list) => {
      const chosen = status();
      if (chosen && !list.includes(chosen)) setStatus('');
    }),
  );
  const change = useTicketChange(
    (input: { status: TicketStatus; resolution?: string; rootCause?: string }) =>
      api.client.internal.tickets.status.mutate({ id: props.ticket.id, ...input }),
    (input) => `Status: ${staffStatusLabel(input.status)}.`,
  );
  let statusField: HTMLSelectElement | undefined;
  useShortcuts(() => [
    { keys: ['s'], description: 'Change the status', group: 'Ticket', run: () => statusField?.focus() },
  ]);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const to = status();
    if (!to || change.isPending) return;
    const found: Record<string, string> = {};
    if (to === 'RESOLVED') {
      if (!resolution().trim()) found.resolution = 'Describe how it was resolved.';
      if (!rootCause().trim()) found.rootCause = 'Name the root cause.';
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      await change.mutateAsync(
        to === 'RESOLVED'
          ? { status: to, resolution: resolution().trim(), rootCause: rootCause().trim() }
          : { status: to },
      );
      setStatus('');
      setResolution('');
      setRootCause('');
    } catch (failure) {
      setErrors({ form: describeError(failure).message, ...describeError(failure).fields });
    }
  };

  return (
    <form class="desk-form desk-form--compact" novalidate onSubmit={submit}>
      <Select.Root>
        <Select.Label>Status</Select.Label>
        <Select.Description>Now: {staffStatusLabel(props.ticket.status)}</Select.Description>
        <Select.Control
          ref={statusField}
          name="status"
          aria-keyshortcuts="s"
          value={status()}
          onChange={(event) => setStatus(event.currentTarget.value as TicketStatus | '')}
        >
          <option value="">Choose a new status</option>
          <For each={targets()}>
            {(target) => (
              <option value={target}>
                {staffStatusLabel(target)} ({statusChangeHint(props.ticket.status, target)})
              </option>
            )}
          </For>
        </Select.Control>
      </Select.Root>
      <Show when={status() === 'RESOLVED'}>
        <TextField.Root invalid={errors().resolution !== undefined}>
          <TextField.Label>Resolution</TextField.Label>
          <TextField.TextArea
            name="resolution"
            rows={3}
            value={resolution()}
            onInput={(event) => setResolution(event.currentTarget.value)}
          />
          <TextField.Error>{errors().resolution}</TextField.Error>
        </TextField.Root>
        <TextField.Root invalid={errors().rootCause !== undefined}>
          <TextField.Label>Root cause</TextField.Label>
          <TextField.TextArea
            name="rootCause"
            rows={2}
            value={rootCause()}
            onInput={(event) => setRootCause(event.currentTarget.value)}
          />
          <TextField.Error>{errors().rootCause}</TextField.Error>
        </TextField.Root>
      </Show>
      <Show when={errors().form}>
        <Alert tone="danger">{errors().form}</Alert>
      </Show>
      <Button type="submit" variant="secondary" busy={change.isPending} disabled={!status()}>
        Update status
      </Button>
    </form>
  );
}

function PriorityForm(props: { ticket: StaffTicketDetailInfo }) {
  const api = useApi();
  const [priority, setPriority] = createSignal<TicketPriority>(props.ticket.priority);
  createEffect(on(() => props.ticket.priority, setPriority, { defer: true }));
  const change = useTicketChange(
    (to: TicketPriority) =>
      api.client.internal.tickets.priority.mutate({ id: props.ticket.id, priority: to }),
    (to) => `Priority: ${priorityText(to)}. SLA due times recomputed.`,
  );
  return (
    <form
      class="desk-form desk-form--compact"
      novalidate
      onSubmit={(event) => {
        event.preventDefault();
        change.mutate(priority());
      }}
    >
      <Select.Root invalid={change.isError}>
        <Select.Label>Priority</Select.Label>
        <Select.Control
          name="priority"
          value={priority()}
          onChange={(event) => setPriority(event.currentTarget.value as TicketPriority)}
        >
          <For each={TICKET_PRIORITIES}>
            {(value) => <option value={value}>{priorityText(value)}</option>}
          </For>
        </Select.Control>
        <Select.Error>{describeError(change.error).message}</Select.Error>
      </Select.Root>
      <Button
        type="submit"
        variant="secondary"
        busy={change.isPending}
        disabled={priority() === props.ticket.priority}
      >
        Change priority
      </Button>
    </form>
  );
}
