import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../domain/tickets/ticket-enums.ts';
import { createdAtColumn, idColumn, updatedAtColumn } from '../db/columns.ts';
import { Organization } from '../organizations/organization.entity.ts';
import { Service } from '../services/service.entity.ts';
import { SlaPolicy } from '../sla/sla-policy.entity.ts';
import { User } from '../users/user.entity.ts';

/** The words a ticket is found by; weighted so that title matches rank first. */
const SEARCH_DOCUMENT =
  "setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')";

/** A customer's request, from NEW to CLOSED (SPEC §5), with its SLA clocks (SPEC §6, §11). */
export const Ticket = defineEntity({
  name: 'Ticket',
  tableName: 'tickets',
  properties: {
    id: idColumn(),
    /** The human-facing number (#1042), unique across the installation. */
    number: p.bigint('number').autoincrement().unique(),
    organization: () => p.manyToOne(Organization),
    service: () => p.manyToOne(Service).nullable(),
    createdBy: () => p.manyToOne(User),
    acceptedBy: () => p.manyToOne(User).nullable(),
    assignedTo: () => p.manyToOne(User).nullable(),
    status: p.enum(TICKET_STATUSES).default('NEW'),
    priority: p.enum(TICKET_PRIORITIES),
    title: p.string().length(200),
    description: p.text(),
    category: p.string().length(100).nullable(),
    resolution: p.text().nullable(),
    rootCause: p.text().nullable(),
    /** Why a manager rejected it or the requester cancelled it; shown to the customer. */
    cancelReason: p.text().nullable(),
    /** Bumped by every change; a change conditioned on the version it read loses a race with a 409. */
    version: p.integer().version(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
    acceptedAt: p.datetime().nullable(),
    resolvedAt: p.datetime().nullable(),
    closedAt: p.datetime().nullable(),
    slaPolicy: () => p.manyToOne(SlaPolicy).nullable().deleteRule('set null'),
    slaStartedAt: p.datetime().nullable(),
    slaPausedAt: p.datetime().nullable(),
    slaPausedMinutes: p.integer().default(0),
    firstResponseDueAt: p.datetime().nullable(),
    firstRespondedAt: p.datetime().nullable(),
    resolutionDueAt: p.datetime().nullable(),
    firstResponseBreached: p.boolean().default(false),
    resolutionBreached: p.boolean().default(false),
    /** When managers were warned that the first-response clock neared its due time (once per ticket). */
    firstResponseWarnedAt: p.datetime().nullable(),
    /** When managers were warned that the resolution clock neared its due time (once per ticket). */
    resolutionWarnedAt: p.datetime().nullable(),
    searchVector: p
      .type('tsvector')
      .columnType('tsvector')
      .generated(`(${SEARCH_DOCUMENT}) stored`)
      .nullable()
      .lazy()
      .hidden(),
  },
  indexes: [
    // Tenant scoping first: every customer-facing list filters on the organization. The search vector is
    // included so that a search's window of newest tickets is read from the index alone (db/scoped.ts).
    {
      name: 'tickets_organization_created_index',
      properties: ['organization', 'createdAt', 'id'],
      include: ['searchVector'],
    },
    { name: 'tickets_organization_status_index', properties: ['organization', 'status'] },
    // Lists are newest first with the id as tie-break (keyset paging): each list shape has an index in
    // that order, so a page is an index range read, not a sort of everything that matches.
    { name: 'tickets_created_by_created_index', properties: ['createdBy', 'createdAt', 'id'] },
    { name: 'tickets_status_created_index', properties: ['status', 'createdAt', 'id'] },
    { name: 'tickets_assigned_to_created_index', properties: ['assignedTo', 'createdAt', 'id'] },
    {
      name: 'tickets_assigned_to_status_created_index',
      properties: ['assignedTo', 'status', 'createdAt', 'id'],
    },
    { name: 'tickets_first_response_due_index', properties: ['firstResponseDueAt'] },
    { name: 'tickets_resolution_due_index', properties: ['resolutionDueAt'] },
    { name: 'tickets_search_index', properties: ['searchVector'], type: 'fulltext' },
  ],
});
export type Ticket = InferEntity<typeof Ticket>;
