import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type CreateSlaPolicyInput,
  type SlaPolicyListInput,
  slaTargetsProblem,
  type UpdateSlaPolicyInput,
} from '../../domain/admin/sla-policy.schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { TICKET_PRIORITIES } from '../../domain/tickets/ticket-enums.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Scope } from '../auth/scope.ts';
import { Organization } from '../organizations/organization.entity.ts';
import { auditActorOf, conflictOnDuplicate, requireAdmin } from '../users/admin-support.ts';
import { SlaPolicy } from './sla-policy.entity.ts';

// SLA policy administration (SPEC §6). One policy per organization and priority; the global defaults
// (no organization) are what every organization without its own falls back to, so each priority
// always keeps one: they can be changed but not deleted.

const DUPLICATE_POLICY = 'there is already a policy for this organization and priority';

/** Policies, global defaults first, then by organization and priority (P1 first). */
export async function listSlaPolicies(
  em: EntityManager,
  scope: Scope,
  input: SlaPolicyListInput,
): Promise<SlaPolicy[]> {
  requireAdmin(scope);
  const policies = await em.find(
    SlaPolicy,
    input.organizationId ? { $or: [{ organization: input.organizationId }, { organization: null }] } : {},
  );
  // Priority is stored as text: order by urgency in code rather than alphabetically in SQL.
  const organizationKey = (policy: SlaPolicy) => policy.organization?.id ?? '';
  const rank = (policy: SlaPolicy) => TICKET_PRIORITIES.indexOf(policy.priority);
  return policies.sort((a, b) => organizationKey(a).localeCompare(organizationKey(b)) || rank(a) - rank(b));
}

/** Adds a policy for an organization and priority; CONFLICT when that pair already has one. */
export async function createSlaPolicy(
  em: EntityManager,
  scope: Scope,
  input: CreateSlaPolicyInput,
): Promise<SlaPolicy> {
  requireAdmin(scope);
  requireTargetsFit(input.firstResponseMinutes, input.resolutionMinutes);
  const organizationId = input.organizationId ?? null;
  return conflictOnDuplicate(DUPLICATE_POLICY, () =>
    em.transactional(async (tx) => {
      if (organizationId && !(await tx.findOne(Organization, organizationId)))
        throw new DomainError('VALIDATION', 'no such organization', { fields: ['organizationId'] });
      if ((await tx.count(SlaPolicy, { organization: organizationId, priority: input.priority })) > 0)
        throw new DomainError('CONFLICT', DUPLICATE_POLICY, { fields: ['organizationId', 'priority'] });
      const policy = tx.create(SlaPolicy, {
        organization: organizationId ? tx.getReference(Organization, organizationId) : null,
        name: input.name,
        priority: input.priority,
        firstResponseMinutes: input.firstResponseMinutes,
        resolutionMinutes: input.resolutionMinutes,
        calendar: input.calendar,
        warnAtPercent: input.warnAtPercent,
      });
      recordAudit(tx, auditActorOf(scope), {
        action: 'sla_policy.created',
        organizationId,
        entityType: 'sla_policy',
        entityId: policy.id,
        newValue: snapshot(policy),
      });
      await tx.flush();
      return policy;
    }),
  );
}

/**
 * Changes a policy's name, targets, calendar or warning threshold. Tickets accepted from now on get the
 * new targets; those already running keep their due times.
 */
export async function updateSlaPolicy(
  em: EntityManager,
  scope: Scope,
  input: UpdateSlaPolicyInput,
): Promise<SlaPolicy> {
  requireAdmin(scope);
  return em.transactional(async (tx) => {
    const policy = await tx.findOne(SlaPolicy, input.id);
    if (!policy) throw new DomainError('NOT_FOUND', 'no such SLA policy');
    requireTargetsFit(
      input.firstResponseMinutes ?? policy.firstResponseMinutes,
      input.resolutionMinutes ?? policy.resolutionMinutes,
    );
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const change = <K extends 'name' | 'firstResponseMinutes' | 'resolutionMinutes' | 'warnAtPercent'>(
      key: K,
      value: SlaPolicy[K] | undefined,
    ) => {
      if (value === undefined || value === policy[key]) return;
      before[key] = policy[key];
      after[key] = value;
      policy[key] = value;
    };
    change('name', input.name);
    change('firstResponseMinutes', input.firstResponseMinutes);
    change('resolutionMinutes', input.resolutionMinutes);
    change('warnAtPercent', input.warnAtPercent);
    if (input.calendar !== undefined && JSON.stringify(input.calendar) !== JSON.stringify(policy.calendar)) {
      before.calendar = policy.calendar;
      after.calendar = policy.calendar = input.calendar;
    }
    if (Object.keys(after).length === 0) return policy;
    recordAudit(tx, auditActorOf(scope), {
      action: 'sla_policy.updated',
      organizationId: policy.organization?.id ?? null,
      entityType: 'sla_policy',
      entityId: policy.id,
      oldValue: before,
      newValue: after,
    });
    await tx.flush();
    return policy;
  });
}

/**
 * Deletes an organization's policy: tickets accepted from now on fall back to the global default of the
 * same priority (the foreign key clears the policy of tickets that had it). A global default cannot be
 * deleted (CONFLICT): every priority keeps one.
 */
export async function deleteSlaPolicy(em: EntityManager, scope: Scope, id: string): Promise<void> {
  requireAdmin(scope);
  await em.transactional(async (tx) => {
    const policy = await tx.findOne(SlaPolicy, id);
    if (!policy) throw new DomainError('NOT_FOUND', 'no such SLA policy');
    const organizationId = policy.organization?.id;
    if (!organizationId) {
      throw new DomainError(
        'CONFLICT',
        'a global default cannot be deleted: every priority keeps one; change it instead',
      );
    }
    recordAudit(tx, auditActorOf(scope), {
      action: 'sla_policy.deleted',
      organizationId,
      entityType: 'sla_policy',
      entityId: policy.id,
      oldValue: snapshot(policy),
    });
    tx.remove(policy);
    await tx.flush();
  });
}

function requireTargetsFit(firstResponseMinutes: number, resolutionMinutes: number): void {
  const problem = slaTargetsProblem(firstResponseMinutes, resolutionMinutes);
  if (problem) throw new DomainError('VALIDATION', problem, { fields: ['firstResponseMinutes'] });
}

/** What the audit log keeps of a policy. */
function snapshot(policy: SlaPolicy) {
  return {
    organizationId: policy.organization?.id ?? null,
    name: policy.name,
    priority: policy.priority,
    firstResponseMinutes: policy.firstResponseMinutes,
    resolutionMinutes: policy.resolutionMinutes,
    calendar: policy.calendar,
    warnAtPercent: policy.warnAtPercent,
  };
}
