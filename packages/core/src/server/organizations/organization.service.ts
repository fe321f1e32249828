import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  CreateOrganizationInput,
  OrganizationListInput,
  UpdateOrganizationInput,
} from '../../domain/admin/organization.schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Scope } from '../auth/scope.ts';
import { decodeCursor, olderThan, toPage } from '../db/keyset.ts';
import type { Page } from '../db/scoped.ts';
import { auditActorOf, conflictOnDuplicate, likePattern, requireAdmin } from '../users/admin-support.ts';
import { Organization } from './organization.entity.ts';

// Organizations: the tenants (SPEC §4). Administrators create and rename them; none is ever deleted,
// since tickets and the audit chain of an organization outlive its business with us (deactivate it).

const DUPLICATE_SLUG = 'another organization already has this slug';

/** Organizations, newest first, in keyset pages. */
export async function listOrganizations(
  em: EntityManager,
  scope: Scope,
  input: OrganizationListInput,
): Promise<Page<Organization>> {
  requireAdmin(scope);
  const where: FilterQuery<Organization>[] = [];
  if (input.isActive !== undefined) where.push({ isActive: input.isActive });
  if (input.q) {
    const pattern = likePattern(input.q);
    where.push({ $or: [{ name: { $ilike: pattern } }, { slug: { $ilike: pattern } }] });
  }
  const after = decodeCursor(input.cursor);
  if (after) where.push(olderThan(after));
  const rows = await em.find(Organization, where.length > 0 ? { $and: where } : {}, {
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    limit: input.limit + 1,
  });
  return toPage(rows, input.limit);
}

/** One organization; NOT_FOUND when there is none with this id. */
export async function getOrganization(em: EntityManager, scope: Scope, id: string): Promise<Organization> {
  requireAdmin(scope);
  const organization = await em.findOne(Organization, id);
  if (!organization) throw new DomainError('NOT_FOUND', 'no such organization');
  return organization;
}

/** Creates an organization; CONFLICT when its slug is taken. */
export async function createOrganization(
  em: EntityManager,
  scope: Scope,
  input: CreateOrganizationInput,
): Promise<Organization> {
  requireAdmin(scope);
  return conflictOnDuplicate(DUPLICATE_SLUG, () =>
    em.transactional(async (tx) => {
      if ((await tx.count(Organization, { slug: input.slug })) > 0)
        throw new DomainError('CONFLICT', DUPLICATE_SLUG, { fields: ['slug'] });
      const organization = tx.create(Organization, { name: input.name, slug: input.slug });
      recordAudit(tx, auditActorOf(scope), {
        action: 'organization.created',
        organizationId: organization.id,
        entityType: 'organization',
        entityId: organization.id,
        newValue: { name: organization.name, slug: organization.slug },
      });
      await tx.flush();
      return organization;
    }),
  );
}

/** Renames, re-slugs, deactivates or reactivates an organization; CONFLICT when the new slug is taken. */
export async function updateOrganization(
  em: EntityManager,
  scope: Scope,
  input: UpdateOrganizationInput,
): Promise<Organization> {
  requireAdmin(scope);
  return conflictOnDuplicate(DUPLICATE_SLUG, () =>
    em.transactional(async (tx) => {
      const organization = await tx.findOne(Organization, input.id);
      if (!organization) throw new DomainError('NOT_FOUND', 'no such organization');
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      if (input.name !== undefined && input.name !== organization.name) {
        before.name = organization.name;
        after.name = organization.name = input.name;
      }
      if (input.slug !== undefined && input.slug !== organization.slug) {
        if ((await tx.count(Organization, { slug: input.slug, id: { $ne: organization.id } })) > 0)
          throw new DomainError('CONFLICT', DUPLICATE_SLUG, { fields: ['slug'] });
        before.slug = organization.slug;
        after.slug = organization.slug = input.slug;
      }
      if (input.isActive !== undefined && input.isActive !== organization.isActive) {
        before.isActive = organization.isActive;
        after.isActive = organization.isActive = input.isActive;
      }
      // A request that changes nothing leaves no audit row.
      if (Object.keys(after).length === 0) return organization;
      recordAudit(tx, auditActorOf(scope), {
        action: 'organization.updated',
        organizationId: organization.id,
        entityType: 'organization',
        entityId: organization.id,
        oldValue: before,
        newValue: after,
      });
      await tx.flush();
      return organization;
    }),
  );
}
