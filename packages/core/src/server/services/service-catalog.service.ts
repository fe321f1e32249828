import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  CreateServiceInput,
  ServiceListInput,
  UpdateServiceInput,
} from '../../domain/admin/service.schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Scope } from '../auth/scope.ts';
import { Organization } from '../organizations/organization.entity.ts';
import { auditActorOf, requireAdmin } from '../users/admin-support.ts';
import { Service } from './service.entity.ts';

// The service catalogue: what tickets are filed against. Administrators curate it; everyone signed in
// reads the part they may file against (customers: the global services and their organization's).

/**
 * Services the caller may file against, by name. Customers get the active global services and their
 * own organization's, whatever filter they pass; staff get active services, all or those offered to
 * one organization; administrators may include retired ones.
 */
export async function listServices(
  em: EntityManager,
  scope: Scope,
  input: ServiceListInput,
): Promise<Service[]> {
  const customer = scope.role === 'CUSTOMER_USER' || scope.role === 'CUSTOMER_ADMIN';
  const administrator = scope.role === 'ADMIN' || scope.role === 'SYSTEM';
  const where: FilterQuery<Service>[] = [];
  if (customer) {
    // A customer without an organization cannot exist (a check forbids it); if one did, it would see
    // only the global services rather than everyone's.
    where.push({ $or: [{ organization: null }, { organization: scope.organizationId ?? null }] });
  } else if (input.organizationId) {
    where.push({ $or: [{ organization: null }, { organization: input.organizationId }] });
  }
  if (!(administrator && input.includeInactive)) where.push({ isActive: true });
  return em.find(Service, where.length > 0 ? { $and: where } : {}, {
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
}

/** Adds a service, global or for one active organization. */
export async function createService(
  em: EntityManager,
  scope: Scope,
  input: CreateServiceInput,
): Promise<Service> {
  requireAdmin(scope);
  const organizationId = input.organizationId ?? null;
  return em.transactional(async (tx) => {
    if (organizationId && !(await tx.findOne(Organization, { id: organizationId, isActive: true })))
      throw new DomainError('VALIDATION', 'no such active organization', { fields: ['organizationId'] });
    const service = tx.create(Service, {
      organization: organizationId ? tx.getReference(Organization, organizationId) : null,
      name: input.name,
      description: input.description ?? null,
      isActive: true,
    });
    recordAudit(tx, auditActorOf(scope), {
      action: 'service.created',
      organizationId,
      entityType: 'service',
      entityId: service.id,
      newValue: { name: service.name, description: service.description ?? null, organizationId },
    });
    await tx.flush();
    return service;
  });
}

/** Renames, re-describes, retires or restores a service. */
export async function updateService(
  em: EntityManager,
  scope: Scope,
  input: UpdateServiceInput,
): Promise<Service> {
  requireAdmin(scope);
  return em.transactional(async (tx) => {
    const service = await tx.findOne(Service, input.id);
    if (!service) throw new DomainError('NOT_FOUND', 'no such service');
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (input.name !== undefined && input.name !== service.name) {
      before.name = service.name;
      after.name = service.name = input.name;
    }
    const description = input.description === '' ? null : input.description;
    if (description !== undefined && description !== (service.description ?? null)) {
      before.description = service.description ?? null;
      after.description = service.description = description;
    }
    if (input.isActive !== undefined && input.isActive !== service.isActive) {
      before.isActive = service.isActive;
      after.isActive = service.isActive = input.isActive;
    }
    if (Object.keys(after).length === 0) return service;
    recordAudit(tx, auditActorOf(scope), {
      action: 'service.updated',
      organizationId: service.organization?.id ?? null,
      entityType: 'service',
      entityId: service.id,
      oldValue: before,
      newValue: after,
    });
    await tx.flush();
    return service;
  });
}
