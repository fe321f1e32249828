import type { WorkflowActor, WorkflowRole } from '../../domain/tickets/ticket-workflow.ts';
import type { SessionGate } from './session-gate.ts';

/**
 * Who is acting, from where: what every service receives instead of a request. The organization is
 * the customer's own (null for staff and for the system).
 */
export interface Scope {
  actorId: string;
  role: WorkflowRole;
  organizationId: string | null;
  ip: string | null;
  userAgent: string | null;
  /**
   * Set while the caller's session is still to be confirmed (auth/session-gate.ts): the tenant scope's
   * statements (db/scoped.ts) then carry the session check, and confirm it when they return a row.
   */
  gate?: SessionGate | undefined;
}

/** The scope of the job worker and other automatic actions: no person behind it. */
export const SYSTEM_SCOPE: Scope = Object.freeze({
  actorId: 'system',
  role: 'SYSTEM',
  organizationId: null,
  ip: null,
  userAgent: null,
});

/** The actor id to record in the audit log (null for the system). */
export function auditActorId(scope: Scope): string | null {
  return scope.role === 'SYSTEM' ? null : scope.actorId;
}

/** The actor the workflow rules reason about. */
export function workflowActor(scope: Scope): WorkflowActor {
  return { userId: scope.actorId, role: scope.role };
}
