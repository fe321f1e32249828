import type { AuditEntryInfo, StaffTicketDetailInfo, UserInfo } from '@atum-desk/core/domain';
import {
  Alert,
  Card,
  DateTime,
  ErrorState,
  formatBytes,
  Pill,
  PriorityPill,
  Skeleton,
  StatusPill,
  Timeline,
} from '@atum-desk/ui';
import { A, useParams } from '@solidjs/router';
import { useQueries, useQuery } from '@tanstack/solid-query';
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/errors.ts';
import { entityAuditQuery, ticketQuery } from '../api/queries.ts';
import { mayUse } from '../auth/roles.ts';
import { currentUser, useSession } from '../auth/session.tsx';
import { auditActionLabel, summarizeAudit } from '../components/audit-labels.ts';
import { createNow } from '../components/now.ts';
import { usePeople } from '../components/people.ts';
import { downloadHref, ReplyForm } from '../components/reply-form.tsx';
import { SlaCountdown } from '../components/sla-countdown.tsx';
import { SlaTimeline } from '../components/sla-timeline.tsx';
import { TicketActionsPanel } from '../components/ticket-actions-panel.tsx';
import { TicketPresence } from '../components/ticket-presence.tsx';
import { usePageTitle } from '../page-title.ts';
import {
  buildConversation,
  type ConversationEntry,
  isReadOnly,
  PENDING_PREFIX,
} from '../tickets/conversation.ts';
import { staffStatusLabel } from '../tickets/labels.ts';

/**
 * `/desk/tickets/:id`: the whole ticket for staff. The conversation with public replies and internal
 * notes told apart (in words and in looks), the files, the actions the caller may take, the SLA
 * countdowns and the timeline that explains them, and (for managers) the ticket's audit trail. Every
 * part follows live changes.
 */
export default function TicketPage() {
  const api = useApi();
  const params = useParams<{ id: string }>();
  const session = useSession();
  const ticket = useQuery(() => ticketQuery(api, params.id));
  usePageTitle(() => (ticket.isSuccess ? `#${ticket.data.number} ${ticket.data.title}` : 'Ticket'));
  const notFound = () => ticket.isError && [400, 404].includes(describeError(ticket.error).status ?? 0);

  return (
    <Switch fallback={<Skeleton lines={10} label="Loading the ticket" />}>
      <Match when={notFound()}>
        <Card.Root class="atum-narrow">
          <ErrorState
            level={1}
            title="Ticket not found"
            message="There is no ticket at this address that you can see. Agents see their own tickets and accepted tickets nobody holds yet."
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
        {(user) => <TicketView ticket={ticket.data as StaffTicketDetailInfo} user={user()} />}
      </Match>
    </Switch>
  );
}

function TicketView(props: { ticket: StaffTicketDetailInfo; user: UserInfo }) {
  const people = usePeople(() => props.user);
  const now = createNow(15_000);
  const entries = createMemo(() => buildConversation(props.ticket));
  const [replying, setReplying] = createSignal(false);
  const canReply = () =>
    !isReadOnly(props.ticket.status) &&
    (props.user.role !== 'AGENT' || props.ticket.assignedToId === props.user.id);

  return (
    <article class="desk-ticket" aria-labelledby="ticket-title" data-status={props.ticket.status}>
      <header class="desk-ticket__header">
        <p class="desk-crumbs">
          <A href="/tickets">Tickets</A> <span aria-hidden="true">/</span> #{props.ticket.number}
        </p>
        <h1 id="ticket-title">
          <span class="desk-number">#{props.ticket.number}</span> {props.ticket.title}
        </h1>
        <Show when={props.ticket.id} keyed>
          {(ticketId) => <TicketPresence ticketId={ticketId} replying={replying() && canReply()} />}
        </Show>
        <div class="desk-ticket__meta">
          <StatusPill status={props.ticket.status} label={staffStatusLabel(props.ticket.status)} />
          <PriorityPill priority={props.ticket.priority} />
          <span>{people.organizationName(props.ticket.organizationId)}</span>
          <span>
            Opened <DateTime value={props.ticket.createdAt} />
          </span>
          <span>
            Assignee:{' '}
            <Show when={props.ticket.assignedToId} fallback="nobody yet">
              {(id) => <>{people.personName(id())}</>}
            </Show>
          </span>
        </div>
      </header>

      <Show when={props.ticket.status === 'CANCELLED' && props.ticket.cancelReason}>
        <Alert tone="info" title="Cancelled">
          Reason given to the customer: {props.ticket.cancelReason}
        </Alert>
      </Show>

      <div class="desk-ticket__grid">
        <div class="desk-ticket__main">
          <Card.Root>
            <Card.Title>Description</Card.Title>
            <p class="desk-prose">{props.ticket.description}</p>
          </Card.Root>

          <Card.Root>
            <Card.Title>Conversation</Card.Title>
            <p class="desk-muted desk-legend">
              <span class="desk-legend__public">Public replies</span> reach the customer;{' '}
              <span class="desk-legend__internal">internal notes</span> are for staff only.
            </p>
            <Timeline.Root aria-label="Conversation" class="desk-conversation">
              <For each={entries()}>
                {(entry) => <ConversationItem entry={entry} ticket={props.ticket} people={people} />}
              </For>
            </Timeline.Root>
            <Show
              when={canReply()}
              fallback={
                <p class="desk-muted desk-reply-closed">
                  <Show
                    when={isReadOnly(props.ticket.status)}
                    fallback="Only the assigned agent, managers and administrators reply on this ticket. Assign it to yourself first."
                  >
                    This ticket is {staffStatusLabel(props.ticket.status).toLowerCase()}: nobody replies any
                    more.
                  </Show>
                </p>
              }
            >
              <ReplyForm ticket={props.ticket} user={props.user} onDraftChange={setReplying} />
            </Show>
          </Card.Root>
        </div>

        <aside class="desk-ticket__side" aria-label="Ticket details">
          <Card.Root>
            <Card.Title>Actions</Card.Title>
            <TicketActionsPanel ticket={props.ticket} user={props.user} />
          </Card.Root>

          <Card.Root>
            <Card.Title>SLA</Card.Title>
            <div class="desk-sla-clocks">
              <SlaCountdown ticket={props.ticket} clock="first_response" now={now} />
              <SlaCountdown ticket={props.ticket} clock="resolution" now={now} />
            </div>
            <Show
              when={props.ticket.slaTimeline}
              fallback={<p class="desk-muted">The clocks start when a manager accepts the ticket.</p>}
            >
              {(timeline) => (
                <>
                  <h3 class="desk-subtitle">SLA timeline</h3>
                  <SlaTimeline timeline={timeline()} now={now()} />
                </>
              )}
            </Show>
          </Card.Root>

          <Card.Root>
            <Card.Title>Attachments</Card.Title>
            <Show
              when={props.ticket.attachments.length > 0}
              fallback={<p class="desk-muted">No files attached.</p>}
            >
              <ul class="desk-files">
                <For each={props.ticket.attachments}>
                  {(file) => (
                    <li data-internal={file.internal ? '' : undefined}>
                      <a href={downloadHref(file)} download={file.fileName}>
                        {file.fileName}
                      </a>{' '}
                      <span class="desk-muted">{formatBytes(file.sizeBytes)}</span>
                      <Show when={file.internal}>
                        {' '}
                        <Pill tone="warning">Internal</Pill>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </Card.Root>

          <Show when={mayUse(props.user.role, 'audit')}>
            <TicketAudit ticket={props.ticket} people={people} />
          </Show>
        </aside>
      </div>
    </article>
  );
}

type People = ReturnType<typeof usePeople>;

function ConversationItem(props: {
  entry: ConversationEntry;
  ticket: StaffTicketDetailInfo;
  people: People;
}) {
  return (
    <Switch>
      <Match when={props.entry.type === 'opened' && props.entry}>
        {(entry) => (
          <Timeline.Item time={entry().at} title={openedBy(props.ticket, props.people)}>
            <Show when={entry().attachments.length > 0}>
              <FileList files={entry().attachments} />
            </Show>
          </Timeline.Item>
        )}
      </Match>
      <Match when={props.entry.type === 'accepted' && props.entry}>
        {(entry) => (
          <Timeline.Item
            time={entry().at}
            title={`Accepted by ${props.people.personName(entry().by)}; SLA clocks started`}
          />
        )}
      </Match>
      <Match when={props.entry.type === 'comment' && props.entry}>
        {(entry) => {
          const comment = () => entry().comment;
          const author = () => props.people.personName(comment().authorId, props.ticket.createdById);
          const fromStaff = () => props.people.isStaff(comment().authorId);
          return (
            <Timeline.Item
              time={comment().createdAt}
              kind={entry().pending ? 'pending' : fromStaff() ? 'mine' : 'theirs'}
              class={comment().internal ? 'desk-note' : 'desk-public'}
              data-internal={comment().internal ? '' : undefined}
              data-comment-id={comment().id}
              title={
                <>
                  <Show
                    when={comment().internal}
                    fallback={<span class="desk-tag desk-tag--public">Public reply</span>}
                  >
                    <span class="desk-tag desk-tag--internal">Internal note</span>
                  </Show>{' '}
                  {author()}
                  {entry().pending ? ' (sending…)' : ''}
                </>
              }
            >
              <p class="desk-prose">{comment().body}</p>
              <Show when={entry().attachments.length > 0}>
                <FileList files={entry().attachments} />
              </Show>
            </Timeline.Item>
          );
        }}
      </Match>
      <Match when={props.entry.type === 'file' && props.entry}>
        {(entry) => (
          <Timeline.Item
            time={entry().at}
            title={entry().attachment.internal ? 'Internal file added' : 'File added'}
            class={entry().attachment.internal ? 'desk-note' : undefined}
          >
            <FileList files={[entry().attachment]} />
          </Timeline.Item>
        )}
      </Match>
      <Match when={props.entry.type === 'resolved' && props.entry}>
        {(entry) => (
          <Timeline.Item time={entry().at} title="Resolved">
            <dl class="desk-facts">
              <dt>Resolution</dt>
              <dd>{entry().resolution}</dd>
              <dt>Root cause</dt>
              <dd>{entry().rootCause}</dd>
            </dl>
          </Timeline.Item>
        )}
      </Match>
      <Match when={props.entry.type === 'closed' && props.entry}>
        {(entry) => <Timeline.Item time={entry().at} title="Closed: read-only from now on" />}
      </Match>
      <Match when={props.entry.type === 'cancelled' && props.entry}>
        {(entry) => (
          <Timeline.Item time={entry().at} title="Cancelled">
            {entry().reason}
          </Timeline.Item>
        )}
      </Match>
    </Switch>
  );
}

function openedBy(ticket: StaffTicketDetailInfo, people: People): string {
  // Staff may file on a customer's behalf; then the ticket names them.
  return people.isStaff(ticket.createdById)
    ? `Opened by ${people.personName(ticket.createdById)} on the customer's behalf`
    : 'Opened by the requester';
}

function FileList(props: { files: StaffTicketDetailInfo['attachments'] }) {
  return (
    <ul class="desk-files desk-files--inline">
      <For each={props.files}>
        {(file) => (
          <li>
            <a href={downloadHref(file)} download={file.fileName}>
              {file.fileName}
            </a>{' '}
            <span class="desk-muted">{formatBytes(file.sizeBytes)}</span>
          </li>
        )}
      </For>
    </ul>
  );
}

function TicketAudit(props: { ticket: StaffTicketDetailInfo; people: People }) {
  const api = useApi();
  const entities = createMemo(() => [
    { id: props.ticket.id, immutable: false },
    ...props.ticket.comments
      .filter((comment) => !comment.id.startsWith(PENDING_PREFIX))
      .map((comment) => ({ id: comment.id, immutable: true })),
    ...props.ticket.attachments.map((attachment) => ({ id: attachment.id, immutable: false })),
  ]);
  const audits = useQueries(() => ({
    queries: entities().map((entity) => entityAuditQuery(api, entity.id, entity.immutable)),
  }));
  const rows = createMemo<AuditEntryInfo[]>(() =>
    audits
      .flatMap((audit) => audit.data?.items ?? [])
      .toSorted((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id)),
  );
  const failed = () => audits.find((audit) => audit.isError);
  return (
    <Card.Root>
      <Card.Title>Audit trail</Card.Title>
      <Switch fallback={<Skeleton lines={4} label="Loading the audit trail" />}>
        <Match when={failed()}>
          {(audit) => <p class="desk-muted">{describeError(audit().error).message}</p>}
        </Match>
        <Match when={audits.length > 0 && audits[0]?.isSuccess}>
          <ol class="desk-audit-trail" aria-label="Audit trail of this ticket">
            <For each={rows()}>
              {(row) => (
                <li data-action={row.action}>
                  <span class="desk-audit-trail__action">{auditActionLabel(row.action)}</span>{' '}
                  <span class="desk-muted">
                    by {props.people.personName(row.actorId, props.ticket.createdById)},{' '}
                    <DateTime value={row.createdAt} />
                  </span>
                  <Show
                    when={summarizeAudit(row, (id) => props.people.personName(id, props.ticket.createdById))}
                  >
                    {(change) => <span class="desk-audit-trail__change">{change()}</span>}
                  </Show>
                </li>
              )}
            </For>
          </ol>
          <A href={`/audit?entityId=${props.ticket.id}`}>Open the ticket's rows in the audit log</A>
        </Match>
      </Switch>
    </Card.Root>
  );
}
