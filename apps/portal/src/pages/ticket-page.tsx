import { type TicketDetailInfo, type UserInfo, ZAddCommentInput } from '@atum-desk/core/domain';
import {
  Alert,
  Button,
  Card,
  DateTime,
  ErrorState,
  type FormError,
  formatBytes,
  Modal,
  PriorityPill,
  Skeleton,
  StatusPill,
  statusLabel,
  TextField,
  Timeline,
  useToast,
} from '@atum-desk/ui';
import { A, useParams } from '@solidjs/router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/solid-query';
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { useApi } from '../api/api-context.tsx';
import { describeError, issuesToFields, toFormError } from '../api/errors.ts';
import { queryKeys, servicesQuery, ticketQuery } from '../api/queries.ts';
import { currentUser, useSession } from '../auth/session.tsx';
import { usePageTitle } from '../page-title.ts';
import {
  acceptsReplies,
  buildConversation,
  type ConversationEntry,
  PENDING_PREFIX,
} from '../tickets/conversation.ts';

/**
 * `/portal/tickets/:id`: the ticket, its attachments, the timeline of public replies and status
 * changes, and the reply box. Cancel while NEW; a reply to a RESOLVED ticket reopens it; CLOSED and
 * CANCELLED tickets are read-only.
 */
export default function TicketPage() {
  const api = useApi();
  const params = useParams<{ id: string }>();
  const session = useSession();
  const ticket = useQuery(() => ticketQuery(api, params.id));
  usePageTitle(() => (ticket.isSuccess ? `#${ticket.data.number} ${ticket.data.title}` : 'Ticket'));

  // 400 (not an id at all) and 404 (none, or another organization's) read the same to a customer.
  const notFound = () => ticket.isError && [400, 404].includes(describeError(ticket.error).status ?? 0);

  return (
    <Switch fallback={<Skeleton lines={8} label="Loading the ticket" />}>
      <Match when={notFound()}>
        <Card.Root class="atum-narrow">
          <ErrorState
            level={1}
            title="Ticket not found"
            message="There is no ticket at this address that you can see. It may belong to another account."
            action={
              <A href="/tickets" class="atum-button" data-variant="secondary">
                Back to the tickets
              </A>
            }
          />
        </Card.Root>
      </Match>
      <Match when={ticket.isError}>
        <ErrorState
          level={1}
          title="The ticket could not be loaded"
          message={describeError(ticket.error).message}
          onRetry={() => void ticket.refetch()}
        />
      </Match>
      <Match when={ticket.isSuccess && currentUser(session)}>
        {(user) => <TicketView ticket={ticket.data as TicketDetailInfo} user={user()} />}
      </Match>
    </Switch>
  );
}

function TicketView(props: { ticket: TicketDetailInfo; user: UserInfo }) {
  const api = useApi();
  const services = useQuery(() => servicesQuery(api));
  const serviceName = () => services.data?.find((service) => service.id === props.ticket.serviceId)?.name;
  const entries = createMemo(() => buildConversation(props.ticket, props.user.id));
  const mayCancel = () =>
    props.ticket.status === 'NEW' &&
    (props.ticket.createdById === props.user.id || props.user.role === 'CUSTOMER_ADMIN');

  return (
    <article class="portal-ticket" aria-labelledby="ticket-title">
      <header class="portal-ticket__header">
        <p class="portal-ticket__crumbs">
          <A href="/tickets">Tickets</A> <span aria-hidden="true">/</span> #{props.ticket.number}
        </p>
        <h1 id="ticket-title">
          <span class="portal-ticket__number">#{props.ticket.number}</span> {props.ticket.title}
        </h1>
        <div class="portal-ticket__meta">
          <StatusPill status={props.ticket.status} />
          <PriorityPill priority={props.ticket.priority} />
          <span>
            Opened <DateTime value={props.ticket.createdAt} />
          </span>
          <Show when={serviceName()}>{(name) => <span>Service: {name()}</span>}</Show>
        </div>
      </header>

      <StatusNotice ticket={props.ticket} />

      <div class="portal-ticket__grid">
        <div class="portal-ticket__main">
          <Card.Root>
            <Card.Title>Description</Card.Title>
            <p class="portal-ticket__description">{props.ticket.description}</p>
          </Card.Root>

          <Card.Root>
            <Card.Title>Conversation</Card.Title>
            <Timeline.Root aria-label="Conversation">
              <For each={entries()}>{(entry) => <ConversationItem entry={entry} />}</For>
            </Timeline.Root>
            <Show
              when={acceptsReplies(props.ticket.status)}
              fallback={
                <p class="portal-muted">
                  This ticket is {statusLabel(props.ticket.status).toLowerCase()} and can no longer be
                  changed. <A href="/tickets/new">Open a new ticket</A> if you need more help.
                </p>
              }
            >
              <ReplyForm ticket={props.ticket} user={props.user} />
            </Show>
          </Card.Root>
        </div>

        <aside class="portal-ticket__side" aria-label="Ticket details">
          <Card.Root>
            <Card.Title>Attachments</Card.Title>
            <Show
              when={props.ticket.attachments.length > 0}
              fallback={<p class="portal-muted">No files attached.</p>}
            >
              <ul class="portal-files">
                <For each={props.ticket.attachments}>
                  {(file) => (
                    <li>
                      <a href={`/api/v1/attachments/${file.id}/download`} download={file.fileName}>
                        {file.fileName}
                      </a>
                      <span class="portal-muted"> {formatBytes(file.sizeBytes)}</span>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </Card.Root>
          <Show when={mayCancel()}>
            <CancelTicket ticket={props.ticket} />
          </Show>
        </aside>
      </div>
    </article>
  );
}

function StatusNotice(props: { ticket: TicketDetailInfo }) {
  return (
    <Switch>
      <Match when={props.ticket.status === 'WAITING_CUSTOMER'}>
        <Alert tone="warning" title="We are waiting for your reply">
          Our team needs more information to go on. Answer below; the clock stops while we wait.
        </Alert>
      </Match>
      <Match when={props.ticket.status === 'RESOLVED'}>
        <Alert tone="success" title="Resolved">
          <Show when={props.ticket.resolution}>
            <p>{props.ticket.resolution}</p>
          </Show>
          <p>Not solved after all? Reply within 7 days of the resolution and the ticket reopens.</p>
        </Alert>
      </Match>
      <Match when={props.ticket.status === 'CLOSED'}>
        <Alert tone="info" title="Closed">
          This ticket is closed and read-only.
        </Alert>
      </Match>
      <Match when={props.ticket.status === 'CANCELLED'}>
        <Alert tone="info" title="Cancelled">
          {props.ticket.cancelReason ? `Reason: ${props.ticket.cancelReason}` : 'This ticket was withdrawn.'}
        </Alert>
      </Match>
    </Switch>
  );
}

const AUTHOR_TITLE = { you: 'You replied', requester: 'The requester replied', team: 'Support team replied' };

function ConversationItem(props: { entry: ConversationEntry }) {
  return (
    <Switch>
      <Match when={props.entry.type === 'opened' && props.entry}>
        {(entry) => <Timeline.Item time={entry().at} title="Ticket opened" />}
      </Match>
      <Match when={props.entry.type === 'status' && props.entry}>
        {(entry) => (
          <Timeline.Item time={entry().at} title={`Status: ${statusLabel(entry().status)}`}>
            {entry().note}
          </Timeline.Item>
        )}
      </Match>
      <Match when={props.entry.type === 'comment' && props.entry}>
        {(entry) => (
          <Timeline.Item
            time={entry().at}
            kind={entry().pending ? 'pending' : entry().author === 'team' ? 'theirs' : 'mine'}
            title={entry().pending ? 'You replied (sending…)' : AUTHOR_TITLE[entry().author]}
            data-comment-author={entry().author}
          >
            {entry().body}
          </Timeline.Item>
        )}
      </Match>
    </Switch>
  );
}

function ReplyForm(props: { ticket: TicketDetailInfo; user: UserInfo }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [body, setBody] = createSignal('');
  const [error, setError] = createSignal<string>();
  let field: HTMLTextAreaElement | undefined;
  const key = () => queryKeys.ticket(props.ticket.id);

  // Optimistic, as TanStack Query's guide does it: the reply shows at once as "sending", and the
  // cached ticket goes back to what it was if the server refuses.
  const reply = useMutation(() => ({
    mutationFn: (text: string) => api.client.tickets.comment.mutate({ id: props.ticket.id, body: text }),
    onMutate: async (text: string) => {
      await queryClient.cancelQueries({ queryKey: key() });
      const previous = queryClient.getQueryData<TicketDetailInfo>(key());
      if (previous) {
        queryClient.setQueryData<TicketDetailInfo>(key(), {
          ...previous,
          comments: [
            ...previous.comments,
            {
              id: `${PENDING_PREFIX}${Date.now()}`,
              ticketId: previous.id,
              authorId: props.user.id,
              body: text.trim(),
              internal: false,
              createdAt: new Date(),
            },
          ],
        });
      }
      return { previous };
    },
    onError: (_error, _text, context) => {
      if (context?.previous) queryClient.setQueryData(key(), context.previous);
    },
    // The reply may have changed the status (waiting → in progress, resolved → reopened): refetch the
    // ticket and the lists.
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.tickets }),
  }));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (reply.isPending) return;
    const checked = ZAddCommentInput.safeParse({ id: props.ticket.id, body: body() });
    if (!checked.success) {
      setError(issuesToFields(checked.error.issues).body ?? 'Check your reply.');
      field?.focus();
      return;
    }
    setError(undefined);
    const text = body();
    setBody('');
    try {
      await reply.mutateAsync(text);
    } catch (failure) {
      const problem: FormError = toFormError(failure);
      // Whatever the server objects to (a closed ticket, the reopen window, the text), it concerns
      // this reply: the message goes next to the field, and the text comes back.
      setBody(text);
      setError(problem.fields.body ?? problem.message);
      field?.focus();
    }
  };

  return (
    <form class="portal-form portal-reply" novalidate onSubmit={submit}>
      <TextField.Root invalid={error() !== undefined}>
        <TextField.Label>Reply</TextField.Label>
        <Show when={props.ticket.status === 'RESOLVED'}>
          <TextField.Description>Replying reopens this ticket.</TextField.Description>
        </Show>
        <TextField.TextArea
          ref={field}
          name="body"
          rows={4}
          value={body()}
          onInput={(event) => setBody(event.currentTarget.value)}
        />
        <TextField.Error>{error()}</TextField.Error>
      </TextField.Root>
      <div class="portal-form__actions">
        <Button type="submit" busy={reply.isPending}>
          Send reply
        </Button>
      </div>
    </form>
  );
}

function CancelTicket(props: { ticket: TicketDetailInfo }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [open, setOpen] = createSignal(false);
  const [reason, setReason] = createSignal('');
  const cancel = useMutation(() => ({
    mutationFn: () =>
      api.client.tickets.cancel.mutate({ id: props.ticket.id, reason: reason().trim() || undefined }),
    onSuccess: (ticket) => {
      setOpen(false);
      toast.show({ title: `Ticket #${ticket.number} cancelled`, message: 'Our team will not work on it.' });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.tickets }),
  }));

  return (
    <Card.Root>
      <Card.Title>Changed your mind?</Card.Title>
      <p class="portal-muted">While our team has not accepted it yet, you can withdraw this ticket.</p>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Cancel ticket
      </Button>
      <Modal.Root open={open()} onClose={() => setOpen(false)}>
        <Modal.Title>Cancel ticket #{props.ticket.number}?</Modal.Title>
        <Modal.Description>Our team will not work on it. This cannot be undone.</Modal.Description>
        <TextField.Root>
          <TextField.Label>Reason (optional)</TextField.Label>
          <TextField.TextArea
            rows={3}
            value={reason()}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
        </TextField.Root>
        <Show when={cancel.isError}>
          <Alert tone="danger">{describeError(cancel.error).message}</Alert>
        </Show>
        <Modal.Footer>
          <Button variant="ghost" onClick={() => setOpen(false)}>
            Keep the ticket
          </Button>
          <Button busy={cancel.isPending} onClick={() => cancel.mutate()}>
            Yes, cancel it
          </Button>
        </Modal.Footer>
      </Modal.Root>
    </Card.Root>
  );
}
