import type { OrganizationInfo } from '../../domain/admin/organization.schema.ts';
import type { Organization } from './organization.entity.ts';

/** An organization as the API shows it. */
export function toOrganizationInfo(organization: Organization): OrganizationInfo {
  return {
    id: organization.id,
    name: organization.name,
    slug: organization.slug,
    isActive: organization.isActive,
    createdAt: organization.createdAt,
    updatedAt: organization.updatedAt,
  };
}
