import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAtColumn, idColumn } from '../db/columns.ts';
import { Organization } from '../organizations/organization.entity.ts';
import { User } from '../users/user.entity.ts';
import { Ticket } from './ticket.entity.ts';

/** A reply on a ticket; internal notes are for staff only. */
export const Comment = defineEntity({
  name: 'Comment',
  tableName: 'comments',
  properties: {
    id: idColumn(),
    /** Copied from the ticket so that tenant scoping needs no join. */
    organization: () => p.manyToOne(Organization).index(),
    ticket: () => p.manyToOne(Ticket).deleteRule('cascade'),
    author: () => p.manyToOne(User),
    body: p.text(),
    internal: p.boolean().default(false),
    createdAt: createdAtColumn(),
  },
  indexes: [{ name: 'comments_ticket_created_index', properties: ['ticket', 'createdAt'] }],
});
export type Comment = InferEntity<typeof Comment>;
