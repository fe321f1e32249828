import { z } from 'zod';
import { ZBodyFlag } from '../body-flag.schema.ts';
import { ZAdminPageInput, ZQueryFlag, zPage } from './admin-list.schema.ts';

// Inputs and outputs of the organization admin API (SPEC §11 `CRUD /api/v1/orgs`); the desk's forms
// parse with the same schemas.

/** An organization id in a path or body. */
export const ZOrganizationId = z.uuid({ error: 'not an organization id' });

/** A URL-safe handle: lower-case letters, digits and hyphens, 2–100 characters; unique. */
export const ZSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, 'use at least 2 characters')
  .max(100, 'use at most 100 characters')
  .regex(/^[a-z0-9-]+$/, 'use only lower-case letters, digits and hyphens');

const ZOrganizationName = z
  .string()
  .trim()
  .min(1, 'enter a name')
  .max(200, 'keep the name under 201 characters');

export const ZCreateOrganizationInput = z.object({
  name: ZOrganizationName,
  slug: ZSlug,
});
export type CreateOrganizationInput = z.infer<typeof ZCreateOrganizationInput>;

/** Only the fields given change. */
export const ZUpdateOrganizationInput = z.object({
  id: ZOrganizationId,
  name: ZOrganizationName.optional(),
  slug: ZSlug.optional(),
  /** An inactive organization gets no new customer users; its data stays. */
  isActive: ZBodyFlag.optional(),
});
export type UpdateOrganizationInput = z.infer<typeof ZUpdateOrganizationInput>;

export const ZOrganizationListInput = ZAdminPageInput.extend({
  /** Matches name or slug, case-insensitively. */
  q: z.string().trim().max(200).optional(),
  isActive: ZQueryFlag.optional(),
});
export type OrganizationListInput = z.infer<typeof ZOrganizationListInput>;

/** An organization as the API shows it. */
export const ZOrganization = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  isActive: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type OrganizationInfo = z.infer<typeof ZOrganization>;

export const ZOrganizationPage = zPage(ZOrganization);
