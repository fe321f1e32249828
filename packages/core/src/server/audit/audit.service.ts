import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditLog } from './audit-log.entity.ts';

/** Who did something, from where; the system acts with no actor. */
export interface AuditActor {
  actorId: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditEntry {
  action: string;
  organizationId: string | null;
  entityType: string;
  entityId: string | null;
  oldValue?: unknown;
  newValue?: unknown;
}

/**
 * Adds an audit row to the entity manager's unit of work, so it commits (or rolls back) with the change
 * it describes. The database fills in the hash chain.
 */
export function recordAudit(em: EntityManager, actor: AuditActor, entry: AuditEntry): void {
  em.create(AuditLog, {
    organizationId: entry.organizationId,
    actorId: actor.actorId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    oldValue: entry.oldValue ?? null,
    newValue: entry.newValue ?? null,
    ip: actor.ip ?? null,
    userAgent: actor.userAgent ?? null,
  });
}
