import type { AttachmentInfo, CommentInfo, StaffTicketDetailInfo } from '@atum-desk/core/domain';

// The ticket's whole story for staff, oldest first: when it was opened and accepted, every public
// reply and internal note with the files that came with it, files added on their own, and how it
// ended. Pure, so the order and the grouping are tested without rendering.

/** Ids of replies shown before the server confirmed them start with this. */
export const PENDING_PREFIX = 'pending-';

export type ConversationEntry =
  | { type: 'opened'; at: Date; attachments: AttachmentInfo[] }
  | { type: 'accepted'; at: Date; by: string | null }
  | { type: 'comment'; at: Date; comment: CommentInfo; attachments: AttachmentInfo[]; pending: boolean }
  | { type: 'file'; at: Date; attachment: AttachmentInfo }
  | { type: 'resolved'; at: Date; resolution: string | null; rootCause: string | null }
  | { type: 'closed'; at: Date }
  | { type: 'cancelled'; at: Date; reason: string | null };

/** Files uploaded within this many milliseconds after a ticket was opened belong to its opening. */
const OPENING_FILES_MS = 10 * 60_000;

/** The entries of a ticket's conversation, oldest first. */
export function buildConversation(ticket: StaffTicketDetailInfo): ConversationEntry[] {
  const byComment = new Map<string, AttachmentInfo[]>();
  const opening: AttachmentInfo[] = [];
  const loose: ConversationEntry[] = [];
  for (const attachment of ticket.attachments) {
    if (attachment.commentId) {
      byComment.set(attachment.commentId, [...(byComment.get(attachment.commentId) ?? []), attachment]);
    } else if (
      !attachment.internal &&
      attachment.createdAt.getTime() - ticket.createdAt.getTime() <= OPENING_FILES_MS &&
      !ticket.comments.some((comment) => comment.createdAt < attachment.createdAt)
    ) {
      // The customer attaches files right after filing, before anyone replies.
      opening.push(attachment);
    } else {
      loose.push({ type: 'file', at: attachment.createdAt, attachment });
    }
  }
  const entries: ConversationEntry[] = [
    { type: 'opened', at: ticket.createdAt, attachments: opening },
    ...(ticket.acceptedAt
      ? [{ type: 'accepted' as const, at: ticket.acceptedAt, by: ticket.acceptedById }]
      : []),
    ...ticket.comments.map(
      (comment): ConversationEntry => ({
        type: 'comment',
        at: comment.createdAt,
        comment,
        attachments: byComment.get(comment.id) ?? [],
        pending: comment.id.startsWith(PENDING_PREFIX),
      }),
    ),
    ...loose,
  ];
  if (ticket.resolvedAt && (ticket.status === 'RESOLVED' || ticket.status === 'CLOSED')) {
    entries.push({
      type: 'resolved',
      at: ticket.resolvedAt,
      resolution: ticket.resolution,
      rootCause: ticket.rootCause,
    });
  }
  if (ticket.closedAt && ticket.status === 'CLOSED') entries.push({ type: 'closed', at: ticket.closedAt });
  if (ticket.status === 'CANCELLED') {
    entries.push({ type: 'cancelled', at: ticket.updatedAt, reason: ticket.cancelReason });
  }
  // Stable: equal times keep the order above (opened before accepted, a reply before its files).
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || a.index - b.index)
    .map(({ entry }) => entry);
}

/** Statuses in which nobody may comment any more. */
export function isReadOnly(status: StaffTicketDetailInfo['status']): boolean {
  return status === 'CLOSED' || status === 'CANCELLED';
}
