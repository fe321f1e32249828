import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { idColumn } from '../db/columns.ts';

/**
 * Append-only record of every action (SPEC §7). A trigger rejects UPDATE, DELETE and TRUNCATE and, on
 * INSERT, fills `chainSeq`, `prevHash` and `hash`: each row's hash covers the row and the hash of the
 * row before it in its chain, one chain per organization and one (no organization) for the system.
 * Actor and organization are plain ids, not foreign keys, so the log outlives what it describes.
 */
export const AuditLog = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_log',
  properties: {
    id: idColumn(),
    organizationId: p.uuid().nullable(),
    actorId: p.uuid().nullable(),
    action: p.string().length(100),
    entityType: p.string().length(50),
    entityId: p.string().length(100).nullable(),
    oldValue: p.json<unknown>().nullable(),
    newValue: p.json<unknown>().nullable(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(512).nullable(),
    createdAt: p
      .datetime()
      .defaultRaw('clock_timestamp()')
      .onCreate(() => new Date()),
    /** Position in its chain, from 1; set by the database. */
    chainSeq: p.bigint('number').nullable(),
    prevHash: p.string().length(64).nullable(),
    hash: p.string().length(64).nullable(),
  },
  indexes: [
    { name: 'audit_log_entity_index', properties: ['entityType', 'entityId', 'createdAt'] },
    { name: 'audit_log_actor_index', properties: ['actorId', 'createdAt'] },
    { name: 'audit_log_action_index', properties: ['action', 'createdAt'] },
    { name: 'audit_log_created_index', properties: ['createdAt'] },
  ],
  uniques: [
    {
      name: 'audit_log_chain_unique',
      expression:
        'create unique index "audit_log_chain_unique" on "audit_log" ("organization_id", "chain_seq") nulls not distinct',
    },
  ],
});
export type AuditLog = InferEntity<typeof AuditLog>;
