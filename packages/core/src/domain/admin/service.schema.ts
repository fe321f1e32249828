import { z } from 'zod';
import { ZBodyFlag } from '../body-flag.schema.ts';
import { ZQueryFlag } from './admin-list.schema.ts';

// Inputs and outputs of the service catalogue (SPEC §11 `CRUD /api/v1/services`): what a ticket can be
// filed against. A service with no organization is offered to every organization.

/** A service id in a path or body. */
export const ZServiceId = z.uuid({ error: 'not a service id' });

const ZServiceName = z.string().trim().min(1, 'enter a name').max(200, 'keep the name under 201 characters');
const ZServiceDescription = z.string().trim().max(2_000, 'keep the description under 2001 characters');

export const ZCreateServiceInput = z.object({
  /** The one organization offered the service; null or absent: every organization. */
  organizationId: z.uuid({ error: 'not an organization id' }).nullish(),
  name: ZServiceName,
  description: ZServiceDescription.nullish(),
});
export type CreateServiceInput = z.infer<typeof ZCreateServiceInput>;

/**
 * Only the fields given change. The organization stays: tickets filed against the service belong to
 * it, so moving it would strand them; retire the service (`isActive: false`) and create another.
 */
export const ZUpdateServiceInput = z.object({
  id: ZServiceId,
  name: ZServiceName.optional(),
  description: ZServiceDescription.nullable().optional(),
  /** Inactive services are offered to nobody; tickets filed against them keep them. */
  isActive: ZBodyFlag.optional(),
});
export type UpdateServiceInput = z.infer<typeof ZUpdateServiceInput>;

export const ZServiceListInput = z.object({
  /**
   * The services offered to this organization (its own and the global ones). Customers always get
   * their own organization's list, whatever they pass.
   */
  organizationId: z.uuid({ error: 'not an organization id' }).optional(),
  /** Administrators only: include retired services. */
  includeInactive: ZQueryFlag.optional(),
});
export type ServiceListInput = z.infer<typeof ZServiceListInput>;

/** A service as the API shows it. */
export const ZService = z.object({
  id: z.uuid(),
  organizationId: z.uuid().nullable(),
  name: z.string(),
  description: z.string().nullable(),
  isActive: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type ServiceInfo = z.infer<typeof ZService>;
