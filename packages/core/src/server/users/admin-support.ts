import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError } from '../../domain/errors.ts';
import type { AuditActor } from '../audit/audit.service.ts';
import { auditActorId, type Scope } from '../auth/scope.ts';

// What the admin services (organizations, users, services, SLA policies) share. Their routers already
// admit only ADMIN; the services check again so that no other caller reaches them by mistake.

/** Refuses anyone but an administrator (or the system, for seeding and jobs). */
export function requireAdmin(scope: Scope): void {
  if (scope.role !== 'ADMIN' && scope.role !== 'SYSTEM') {
    throw new DomainError('FORBIDDEN', 'administrators only');
  }
}

/** The actor of the audit rows a scope writes. */
export function auditActorOf(scope: Scope): AuditActor {
  return { actorId: auditActorId(scope), ip: scope.ip, userAgent: scope.userAgent };
}

/**
 * Runs `work` and turns a unique-index violation into CONFLICT. Services check for a duplicate first,
 * for a clear message; this catches the one that commits between that check and the insert.
 */
export async function conflictOnDuplicate<T>(message: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new DomainError('CONFLICT', message);
    throw error;
  }
}

/** `text` as a literal inside a LIKE pattern (PostgreSQL's default escape character is `\`). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
