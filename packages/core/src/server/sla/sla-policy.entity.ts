import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { BusinessCalendar } from '../../domain/sla/business-calendar.schema.ts';
import { TICKET_PRIORITIES } from '../../domain/tickets/ticket-enums.ts';
import { createdAtColumn, idColumn, updatedAtColumn } from '../db/columns.ts';
import { Organization } from '../organizations/organization.entity.ts';

/**
 * Response and resolution targets for one priority, for one organization or (with no organization)
 * the global default that every organization without its own policy falls back to.
 */
export const SlaPolicy = defineEntity({
  name: 'SlaPolicy',
  tableName: 'sla_policies',
  properties: {
    id: idColumn(),
    organization: () => p.manyToOne(Organization).nullable().deleteRule('cascade'),
    name: p.string().length(200),
    priority: p.enum(TICKET_PRIORITIES),
    firstResponseMinutes: p.integer(),
    resolutionMinutes: p.integer(),
    calendar: p.json<BusinessCalendar>(),
    /** Share of the allowed time after which managers are warned, once. */
    warnAtPercent: p.integer().default(80),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  // One policy per organization and priority; PostgreSQL 15's NULLS NOT DISTINCT makes the
  // global default (no organization) unique per priority too.
  uniques: [
    {
      name: 'sla_policies_organization_priority_unique',
      expression:
        'create unique index "sla_policies_organization_priority_unique" on "sla_policies" ("organization_id", "priority") nulls not distinct',
    },
  ],
});
export type SlaPolicy = InferEntity<typeof SlaPolicy>;
