import type { CommentInfo, TicketDetailInfo, TicketStatus } from '@atum-desk/core/domain';

/** Optimistic replies carry an id with this prefix until the server's answer replaces them. */
export const PENDING_PREFIX = 'pending-';

/** Who wrote a reply, as far as a customer can tell. */
export type Author = 'you' | 'requester' | 'team';

/** One line of a ticket's timeline. */
export type ConversationEntry =
  | { type: 'opened'; key: string; at: Date }
  | { type: 'comment'; key: string; at: Date; body: string; author: Author; pending: boolean }
  | { type: 'status'; key: string; at: Date; status: TicketStatus; note: string | null };

/**
 * The customer's timeline of a ticket, oldest first: its opening, the public replies and the status
 * changes the ticket records a time for (accepted, resolved, closed, cancelled). The customer API sends
 * no author names: a reply is "you", the requester's (seen by a customer admin), or the team's.
 */
export function buildConversation(ticket: TicketDetailInfo, viewerId: string): ConversationEntry[] {
  const entries: ConversationEntry[] = [{ type: 'opened', key: 'opened', at: ticket.createdAt }];
  const status = (key: string, at: Date | null, value: TicketStatus, note: string | null = null) => {
    if (at) entries.push({ type: 'status', key, at, status: value, note });
  };
  status('accepted', ticket.acceptedAt, 'ACCEPTED');
  status('resolved', ticket.resolvedAt, 'RESOLVED', ticket.resolution);
  status('closed', ticket.closedAt, 'CLOSED');
  if (ticket.status === 'CANCELLED') status('cancelled', ticket.updatedAt, 'CANCELLED', ticket.cancelReason);
  for (const comment of ticket.comments) {
    if (comment.internal) continue;
    entries.push({
      type: 'comment',
      key: comment.id,
      at: comment.createdAt,
      body: comment.body,
      author: authorOf(comment, ticket, viewerId),
      pending: comment.id.startsWith(PENDING_PREFIX),
    });
  }
  // Stable: entries of the same instant keep the order above (opening, states, replies).
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || a.index - b.index)
    .map(({ entry }) => entry);
}

function authorOf(comment: CommentInfo, ticket: TicketDetailInfo, viewerId: string): Author {
  if (comment.authorId === viewerId) return 'you';
  if (comment.authorId === ticket.createdById) return 'requester';
  return 'team';
}

/** Whether the customer may still write on the ticket (nobody writes on closed or cancelled ones). */
export function acceptsReplies(status: TicketStatus): boolean {
  return status !== 'CLOSED' && status !== 'CANCELLED';
}
