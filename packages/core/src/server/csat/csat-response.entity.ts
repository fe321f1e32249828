import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAtColumn, idColumn } from '../db/columns.ts';
import { Organization } from '../organizations/organization.entity.ts';
import { Ticket } from '../tickets/ticket.entity.ts';

/** The requester's satisfaction rating of a resolved ticket; one per ticket (the link is single-use). */
export const CsatResponse = defineEntity({
  name: 'CsatResponse',
  tableName: 'csat_responses',
  properties: {
    id: idColumn(),
    organization: () => p.manyToOne(Organization).deleteRule('cascade'),
    /** Unique: a second answer to the same ticket is refused (409). */
    ticket: () => p.manyToOne(Ticket).deleteRule('cascade').unique(),
    rating: p.smallint(),
    comment: p.text().nullable(),
    createdAt: createdAtColumn(),
  },
  indexes: [{ name: 'csat_responses_organization_created_index', properties: ['organization', 'createdAt'] }],
  checks: [{ name: 'csat_responses_rating_check', expression: 'rating >= 1 and rating <= 5' }],
});
export type CsatResponse = InferEntity<typeof CsatResponse>;
