import type { AttachmentInfo } from '../../domain/attachments/allowed-types.ts';
import type { Attachment } from './attachment.entity.ts';

/** An attachment as the API shows it; where it is stored is never shown. */
export function toAttachmentInfo(attachment: Attachment): AttachmentInfo {
  return {
    id: attachment.id,
    ticketId: attachment.ticket.id,
    commentId: attachment.comment?.id ?? null,
    fileName: attachment.fileName,
    mimeType: attachment.mimeType,
    sizeBytes: attachment.sizeBytes,
    sha256: attachment.sha256,
    internal: attachment.internal,
    createdAt: attachment.createdAt,
  };
}
