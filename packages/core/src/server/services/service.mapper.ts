import type { ServiceInfo } from '../../domain/admin/service.schema.ts';
import type { Service } from './service.entity.ts';

/** A service as the API shows it. */
export function toServiceInfo(service: Service): ServiceInfo {
  return {
    id: service.id,
    organizationId: service.organization?.id ?? null,
    name: service.name,
    description: service.description ?? null,
    isActive: service.isActive,
    createdAt: service.createdAt,
    updatedAt: service.updatedAt,
  };
}
