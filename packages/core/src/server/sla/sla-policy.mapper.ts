import type { SlaPolicyInfo } from '../../domain/admin/sla-policy.schema.ts';
import type { SlaPolicy } from './sla-policy.entity.ts';

/** An SLA policy as the API shows it. */
export function toSlaPolicyInfo(policy: SlaPolicy): SlaPolicyInfo {
  return {
    id: policy.id,
    organizationId: policy.organization?.id ?? null,
    name: policy.name,
    priority: policy.priority,
    firstResponseMinutes: policy.firstResponseMinutes,
    resolutionMinutes: policy.resolutionMinutes,
    calendar: policy.calendar,
    warnAtPercent: policy.warnAtPercent,
    createdAt: policy.createdAt,
    updatedAt: policy.updatedAt,
  };
}
