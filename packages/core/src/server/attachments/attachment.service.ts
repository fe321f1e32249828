import { stat } from 'node:fs/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../domain/errors.ts';
import { canComment, type WorkflowTicket } from '../../domain/tickets/ticket-workflow.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { auditActorId, type Scope, workflowActor } from '../auth/scope.ts';
import { findVisibleAttachment, findVisibleComments, findVisibleTicket } from '../db/scoped.ts';
import type { Logger } from '../logging/logger.ts';
import { Organization } from '../organizations/organization.entity.ts';
import type { Comment } from '../tickets/comment.entity.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import { publishTicketEvent } from '../tickets/ticket-events.ts';
import { User } from '../users/user.entity.ts';
import { Attachment } from './attachment.entity.ts';
import {
  removeStoredUpload,
  type StoredUpload,
  storedUploadPath,
  storeUpload,
  type UploadSource,
  uploadStorageKey,
} from './attachment-storage.ts';
import { safeFileName } from './safe-file-name.ts';

// Attachment use cases (SPEC §9). Attaching a file is like commenting (canComment decides who may):
// customers add public files to tickets they may reply on, agents to tickets assigned to them, and
// internal files are staff-only. Adding a file changes nothing else on the ticket: it is not a reply,
// so it neither reopens a ticket nor meets first response.
//
// The bytes are stored before the row exists and the row is inserted after, in one transaction with
// its audit row; if that transaction fails the file is removed again, so a failed upload leaves
// neither a file without a row nor a row without a file.

/** What uploadAttachment needs besides the caller. */
export interface UploadAttachmentInput {
  ticketId: string;
  /** The comment the file belongs to; it must be one of the ticket's. An internal comment makes the file internal. */
  commentId?: string | undefined;
  /** Staff-only file; customers asking for one get FORBIDDEN. */
  internal: boolean;
  /** The name the client gave; sanitised for display, never used as a path. */
  fileName: string;
  /** The file's bytes, read once. */
  source: UploadSource;
  /** Aborts the upload (the request's signal); nothing is kept. */
  signal?: AbortSignal | undefined;
  /** `<dataDir>/uploads`. */
  uploadsDir: string;
  /** `config.maxUploadBytes`. */
  maxBytes: number;
}

/** An attachment ready to be sent: its row and where its bytes are. */
export interface AttachmentDownload {
  attachment: Attachment;
  absolutePath: string;
}

/**
 * Stores a file on a ticket the caller may add to: NOT_FOUND for a ticket they cannot see, FORBIDDEN or
 * INVALID_TRANSITION as canComment decides, VALIDATION for a commentId of another ticket, and the
 * storage errors (PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, VALIDATION for an empty file).
 */
export async function uploadAttachment(
  em: EntityManager,
  scope: Scope,
  input: UploadAttachmentInput,
  now = new Date(),
): Promise<Attachment> {
  // Checked before a byte is stored, so a refused caller never costs disk space or bandwidth. On a fork
  // of its own, so that the check in the transaction below reads the ticket afresh instead of finding
  // this copy in the identity map.
  const early = em.fork();
  const ticket = await findVisibleTicket(early, scope, input.ticketId);
  const comment = await findTicketComment(early, scope, ticket, input.commentId);
  const internal = input.internal || (comment?.internal ?? false);
  requireRightToAttach(scope, ticket, internal, now);

  const stored = await storeUpload(input.source, {
    uploadsDir: input.uploadsDir,
    organizationId: ticket.organization.id,
    maxBytes: input.maxBytes,
    fileName: input.fileName,
    signal: input.signal,
  });
  try {
    return await em.transactional(async (tx) => {
      // Checked again: an upload can take minutes, and the ticket may have been closed, reassigned or
      // deleted meanwhile; this is the check the row is inserted under.
      const current = await findVisibleTicket(tx, scope, input.ticketId);
      const currentComment = await findTicketComment(tx, scope, current, input.commentId);
      const currentInternal = input.internal || (currentComment?.internal ?? false);
      requireRightToAttach(scope, current, currentInternal, now);
      const attachment = insertAttachment(
        tx,
        scope,
        current,
        currentComment,
        currentInternal,
        input.fileName,
        stored,
        now,
      );
      await tx.flush();
      await publishTicketEvent(tx, scope, { type: 'attachment_added', ticket: current, attachment });
      return attachment;
    });
  } catch (error) {
    // The caller needs the original error; a file that survives a failed removal has no row, so it
    // is never served (downloads start from the row).
    await removeStoredUpload(stored.absolutePath).catch(() => {});
    throw error;
  }
}

/**
 * Finds an attachment the caller may see and records its download (committed before the bytes go
 * out); NOT_FOUND if they may not see it, or if its file is missing on disk (logged as an error).
 */
export async function openAttachmentForDownload(
  em: EntityManager,
  scope: Scope,
  id: string,
  uploadsDir: string,
  logger?: Pick<Logger, 'error'>,
): Promise<AttachmentDownload> {
  const attachment = await findVisibleAttachment(em, scope, id);
  const absolutePath = storedUploadPath(
    uploadsDir,
    uploadStorageKey(attachment.organization.id, attachment.id),
  );
  // Checked before the download is recorded, so the audit log never claims a download that failed.
  const found = await stat(absolutePath).then(
    (info) => info.isFile(),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  if (!found) {
    // A row without its file means lost data (a restore without the uploads folder, a manual delete):
    // the operator must hear of it, the caller only that the file is gone.
    logger?.error({ attachmentId: attachment.id, path: absolutePath }, 'attachment file missing on disk');
    throw new DomainError('NOT_FOUND', 'the file of this attachment is missing on the server');
  }
  recordAudit(em, auditActor(scope), {
    action: 'attachment.downloaded',
    organizationId: attachment.organization.id,
    entityType: 'attachment',
    entityId: attachment.id,
    newValue: { ticketId: attachment.ticket.id, fileName: attachment.fileName },
  });
  await em.flush();
  return { attachment, absolutePath };
}

function insertAttachment(
  tx: EntityManager,
  scope: Scope,
  ticket: Ticket,
  comment: Comment | null,
  internal: boolean,
  fileName: string,
  stored: StoredUpload,
  now: Date,
): Attachment {
  const attachment = tx.create(Attachment, {
    // The row's id is the file's name, so the path always follows from the row.
    id: stored.id,
    organization: tx.getReference(Organization, ticket.organization.id),
    ticket: tx.getReference(Ticket, ticket.id),
    comment,
    uploadedBy: tx.getReference(User, scope.actorId),
    fileName: safeFileName(fileName),
    mimeType: stored.mimeType,
    sizeBytes: stored.sizeBytes,
    sha256: stored.sha256,
    internal,
    createdAt: now,
  });
  recordAudit(tx, auditActor(scope), {
    action: 'attachment.uploaded',
    organizationId: ticket.organization.id,
    entityType: 'attachment',
    entityId: attachment.id,
    newValue: {
      ticketId: ticket.id,
      commentId: comment?.id ?? null,
      fileName: attachment.fileName,
      mimeType: stored.mimeType,
      sizeBytes: stored.sizeBytes,
      sha256: stored.sha256,
      internal,
    },
  });
  return attachment;
}

/** The comment named by `commentId` among those of `ticket` the caller may read; null without an id. */
async function findTicketComment(
  em: EntityManager,
  scope: Scope,
  ticket: Ticket,
  commentId: string | undefined,
): Promise<Comment | null> {
  if (commentId === undefined) return null;
  // Through the scoping helper, so a customer naming an internal note gets the same answer as for a
  // comment that does not exist.
  const comment = (await findVisibleComments(em, scope, ticket)).find((c) => c.id === commentId);
  if (!comment) {
    throw new DomainError('VALIDATION', 'commentId is not a comment of this ticket', {
      fields: ['commentId'],
    });
  }
  return comment;
}

function requireRightToAttach(scope: Scope, ticket: Ticket, internal: boolean, now: Date): void {
  const decision = canComment(workflowActor(scope), workflowTicket(ticket), internal, now);
  if (!decision.ok) throw new DomainError(decision.code, decision.message);
}

function workflowTicket(ticket: Ticket): WorkflowTicket {
  return {
    status: ticket.status,
    createdById: ticket.createdBy.id,
    assignedToId: ticket.assignedTo?.id ?? null,
    resolvedAt: ticket.resolvedAt ?? null,
  };
}

function auditActor(scope: Scope) {
  return { actorId: auditActorId(scope), ip: scope.ip, userAgent: scope.userAgent };
}
