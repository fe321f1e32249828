import { type CreateTicketInput, type TicketPriority, ZCreateTicketInput } from '@atum-desk/core/domain';
import { Alert, Button, Card, FileDropZone, Select, TextField, useToast } from '@atum-desk/ui';
import { A, useNavigate } from '@solidjs/router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/solid-query';
import { createSignal, For, Show } from 'solid-js';
import { useApi } from '../api/api-context.tsx';
import { describeError, issuesToFields } from '../api/errors.ts';
import { queryKeys, servicesQuery } from '../api/queries.ts';
import { usePageTitle } from '../page-title.ts';
import { checkFile, type PickedFile, pickFiles } from '../tickets/attachment-files.ts';
import { PRIORITY_OPTIONS } from '../tickets/ticket-labels.ts';

type Field = 'title' | 'description' | 'priority' | 'serviceId' | 'attachments';

const ATTACHMENTS_INPUT_ID = 'new-ticket-attachments';

/** The form's values checked by the server's own schema; field name → message. */
export function validateNewTicket(values: CreateTicketInput): Partial<Record<Field, string>> {
  const result = ZCreateTicketInput.safeParse(values);
  return result.success ? {} : issuesToFields(result.error.issues);
}

/**
 * `/portal/tickets/new`: title, description, priority, service and attachments. The ticket is created
 * first, then each file is sent with its own progress bar; then the ticket opens.
 */
export default function NewTicketPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  usePageTitle(() => 'New ticket');

  const [title, setTitle] = createSignal('');
  const [description, setDescription] = createSignal('');
  const [priority, setPriority] = createSignal<TicketPriority>('MEDIUM');
  const [serviceId, setServiceId] = createSignal('');
  const [files, setFiles] = createSignal<PickedFile[]>([]);
  const [errors, setErrors] = createSignal<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = createSignal<string>();
  // Set once the ticket exists but a file could not be sent: the form is done, the files are not.
  const [created, setCreated] = createSignal<{ id: string; number: number }>();
  const [busy, setBusy] = createSignal(false);
  // Some file did not arrive: the button now sends the files again, nothing else.
  const [retrying, setRetrying] = createSignal(false);
  const fields: Partial<Record<Exclude<Field, 'attachments'>, HTMLElement>> = {};

  const services = useQuery(() => servicesQuery(api));
  const create = useMutation(() => ({
    mutationFn: (input: CreateTicketInput) => api.client.tickets.create.mutate(input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.tickets }),
  }));

  const updateFile = (id: string, change: Partial<PickedFile>) =>
    setFiles((list) => list.map((item) => (item.id === id ? { ...item, ...change } : item)));

  /** Sends the queued files one after the other; true when every one arrived. */
  const uploadAll = async (ticketId: string): Promise<boolean> => {
    let allSent = true;
    for (const item of files()) {
      if (item.status === 'done') continue;
      // Refused by the browser's own check (size, type): sending it would only be refused again.
      if (checkFile(item.file)) continue;
      updateFile(item.id, { status: 'uploading', progress: 0, error: undefined });
      try {
        await api.upload(ticketId, item.file, {
          onProgress: (progress) => updateFile(item.id, { progress }),
        });
        updateFile(item.id, { status: 'done', progress: 1 });
      } catch (error) {
        allSent = false;
        updateFile(item.id, { status: 'error', error: describeError(error).message });
      }
    }
    await queryClient.invalidateQueries({ queryKey: queryKeys.ticket(ticketId) });
    return allSent;
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy()) return;
    setFormError(undefined);
    const existing = created();
    if (existing) {
      // Only the files are left to send.
      setBusy(true);
      const sent = await uploadAll(existing.id).finally(() => setBusy(false));
      if (sent) finish(existing);
      return;
    }
    const input: CreateTicketInput = {
      title: title(),
      description: description(),
      priority: priority(),
      serviceId: serviceId() || null,
    };
    const found: Partial<Record<Field, string>> = validateNewTicket(input);
    if (files().some((item) => item.status === 'error')) {
      found.attachments = 'Remove the files that cannot be attached.';
    }
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFormError('Check the highlighted fields.');
      focusFirst(found);
      return;
    }
    setBusy(true);
    try {
      const ticket = await create.mutateAsync(input);
      setCreated({ id: ticket.id, number: ticket.number });
      if (await uploadAll(ticket.id)) finish(ticket);
      else {
        setRetrying(true);
        setFormError(`Ticket #${ticket.number} was opened, but some files could not be attached.`);
      }
    } catch (error) {
      const problem = describeError(error);
      setErrors(problem.fields);
      setFormError(problem.message);
      focusFirst(problem.fields);
    } finally {
      setBusy(false);
    }
  };

  const focusFirst = (found: Partial<Record<Field, string>>) => {
    const first = (['title', 'description', 'priority', 'serviceId', 'attachments'] as const).find(
      (field) => found[field],
    );
    if (first === 'attachments') document.getElementById(ATTACHMENTS_INPUT_ID)?.focus();
    else if (first) fields[first]?.focus();
  };

  const finish = (ticket: { id: string; number: number }) => {
    toast.show({
      title: `Ticket #${ticket.number} opened`,
      message: 'Our team will look at it soon.',
      tone: 'success',
    });
    navigate(`/tickets/${ticket.id}`);
  };

  return (
    <Card.Root class="portal-form-card">
      <Card.Title level={1}>New ticket</Card.Title>
      <p class="portal-muted">Tell us what happened. The more precise, the faster we can help.</p>
      <form class="portal-form" novalidate onSubmit={submit}>
        <TextField.Root invalid={errors().title !== undefined}>
          <TextField.Label>Title</TextField.Label>
          <TextField.Input
            ref={(element) => {
              fields.title = element;
            }}
            name="title"
            maxLength={200}
            required
            disabled={Boolean(created())}
            value={title()}
            onInput={(event) => setTitle(event.currentTarget.value)}
          />
          <TextField.Error>{errors().title}</TextField.Error>
        </TextField.Root>

        <TextField.Root invalid={errors().description !== undefined}>
          <TextField.Label>Description</TextField.Label>
          <TextField.Description>What happened, what you expected, and since when.</TextField.Description>
          <TextField.TextArea
            ref={(element) => {
              fields.description = element;
            }}
            name="description"
            rows={7}
            required
            disabled={Boolean(created())}
            value={description()}
            onInput={(event) => setDescription(event.currentTarget.value)}
          />
          <TextField.Error>{errors().description}</TextField.Error>
        </TextField.Root>

        <div class="portal-form__row">
          <Select.Root invalid={errors().priority !== undefined}>
            <Select.Label>Priority</Select.Label>
            <Select.Control
              ref={(element) => {
                fields.priority = element;
              }}
              name="priority"
              disabled={Boolean(created())}
              value={priority()}
              onChange={(event) => setPriority(event.currentTarget.value as TicketPriority)}
            >
              <For each={PRIORITY_OPTIONS}>
                {(option) => <option value={option.value}>{option.label}</option>}
              </For>
            </Select.Control>
            <Select.Error>{errors().priority}</Select.Error>
          </Select.Root>

          <Select.Root invalid={errors().serviceId !== undefined}>
            <Select.Label>Service</Select.Label>
            <Select.Control
              ref={(element) => {
                fields.serviceId = element;
              }}
              name="serviceId"
              disabled={Boolean(created())}
              value={serviceId()}
              onChange={(event) => setServiceId(event.currentTarget.value)}
            >
              <option value="">No particular service</option>
              <For each={services.data ?? []}>
                {(service) => <option value={service.id}>{service.name}</option>}
              </For>
            </Select.Control>
            <Select.Error>{errors().serviceId}</Select.Error>
          </Select.Root>
        </div>

        <FileDropZone
          inputId={ATTACHMENTS_INPUT_ID}
          label="Attachments"
          description="Screenshots, logs or documents, up to 25 MB each (images, PDF, text, Office, ZIP)."
          items={files()}
          disabled={busy()}
          error={errors().attachments}
          onFiles={(picked) => setFiles((list) => [...list, ...pickFiles(picked)])}
          onRemove={(id) => {
            setFiles((list) => list.filter((item) => item.id !== id));
            setErrors(({ attachments: _gone, ...rest }) => rest);
          }}
        />

        <Show when={formError()}>
          <Alert tone="danger">
            {formError()}
            <Show when={created()}>
              {(ticket) => (
                <>
                  {' '}
                  <A href={`/tickets/${ticket().id}`}>Go to ticket #{ticket().number}</A>
                </>
              )}
            </Show>
          </Alert>
        </Show>

        <div class="portal-form__actions">
          <Button type="submit" busy={busy()} disabled={busy()}>
            {retrying() ? 'Retry attachments' : 'Submit ticket'}
          </Button>
          <A href="/tickets" class="atum-button" data-variant="ghost">
            Cancel
          </A>
        </div>
      </form>
    </Card.Root>
  );
}
