import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAtColumn, idColumn, updatedAtColumn } from '../db/columns.ts';
import { Organization } from '../organizations/organization.entity.ts';

/** A service a ticket can be filed against; with no organization it is offered to every organization. */
export const Service = defineEntity({
  name: 'Service',
  tableName: 'services',
  properties: {
    id: idColumn(),
    organization: () => p.manyToOne(Organization).nullable().index(),
    name: p.string().length(200),
    description: p.text().nullable(),
    isActive: p.boolean().default(true),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
});
export type Service = InferEntity<typeof Service>;
