import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAtColumn, idColumn } from '../db/columns.ts';
import { Organization } from '../organizations/organization.entity.ts';
import { Comment } from '../tickets/comment.entity.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import { User } from '../users/user.entity.ts';

/** A file on a ticket, stored at `<dataDir>/uploads/<organizationId>/<id>`; never under the user's name. */
export const Attachment = defineEntity({
  name: 'Attachment',
  tableName: 'attachments',
  properties: {
    id: idColumn(),
    organization: () => p.manyToOne(Organization).index(),
    ticket: () => p.manyToOne(Ticket).deleteRule('cascade').index(),
    comment: () => p.manyToOne(Comment).nullable().deleteRule('set null'),
    uploadedBy: () => p.manyToOne(User),
    /** The name the user gave the file, for display and Content-Disposition only. */
    fileName: p.string().length(255),
    mimeType: p.string().length(127),
    sizeBytes: p.bigint('number'),
    sha256: p.string().length(64),
    /** Attachments of internal notes are staff-only. */
    internal: p.boolean().default(false),
    createdAt: createdAtColumn(),
  },
});
export type Attachment = InferEntity<typeof Attachment>;
