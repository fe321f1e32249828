import { z } from 'zod';
import {
  ZCreateOrganizationInput,
  ZOrganization,
  ZOrganizationId,
  ZOrganizationListInput,
  ZOrganizationPage,
  ZUpdateOrganizationInput,
} from '../../domain/admin/organization.schema.ts';
import { t } from '../trpc/init.ts';
import { adminProcedure } from '../trpc/procedures.ts';
import { toOrganizationInfo } from './organization.mapper.ts';
import {
  createOrganization,
  getOrganization,
  listOrganizations,
  updateOrganization,
} from './organization.service.ts';

/** Organizations, for administrators (SPEC §11 `CRUD /api/v1/orgs`). */
export const organizationRouter = t.router({
  list: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/orgs', tags: ['admin'], summary: 'Organizations' } })
    .input(ZOrganizationListInput)
    .output(ZOrganizationPage)
    .query(async ({ ctx, input }) => {
      const page = await listOrganizations(ctx.em, ctx.scope, input);
      return { items: page.items.map(toOrganizationInfo), nextCursor: page.nextCursor };
    }),

  create: adminProcedure
    .meta({ openapi: { method: 'POST', path: '/orgs', tags: ['admin'], summary: 'Create an organization' } })
    .input(ZCreateOrganizationInput)
    .output(ZOrganization)
    .mutation(async ({ ctx, input }) =>
      toOrganizationInfo(await createOrganization(ctx.em, ctx.scope, input)),
    ),

  get: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/orgs/{id}', tags: ['admin'], summary: 'An organization' } })
    .input(z.object({ id: ZOrganizationId }))
    .output(ZOrganization)
    .query(async ({ ctx, input }) => toOrganizationInfo(await getOrganization(ctx.em, ctx.scope, input.id))),

  update: adminProcedure
    .meta({
      openapi: { method: 'PATCH', path: '/orgs/{id}', tags: ['admin'], summary: 'Change an organization' },
    })
    .input(ZUpdateOrganizationInput)
    .output(ZOrganization)
    .mutation(async ({ ctx, input }) =>
      toOrganizationInfo(await updateOrganization(ctx.em, ctx.scope, input)),
    ),
});
