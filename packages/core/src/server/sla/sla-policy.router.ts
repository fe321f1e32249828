import { z } from 'zod';
import {
  ZCreateSlaPolicyInput,
  ZSlaPolicy,
  ZSlaPolicyId,
  ZSlaPolicyListInput,
  ZUpdateSlaPolicyInput,
} from '../../domain/admin/sla-policy.schema.ts';
import { t } from '../trpc/init.ts';
import { adminProcedure } from '../trpc/procedures.ts';
import { toSlaPolicyInfo } from './sla-policy.mapper.ts';
import { createSlaPolicy, deleteSlaPolicy, listSlaPolicies, updateSlaPolicy } from './sla-policy.service.ts';

/** SLA policies, for administrators (SPEC §11 `CRUD /api/v1/sla/policies`). */
export const slaPolicyRouter = t.router({
  list: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/sla/policies', tags: ['admin'], summary: 'SLA policies' } })
    .input(ZSlaPolicyListInput)
    .output(z.array(ZSlaPolicy))
    .query(async ({ ctx, input }) => (await listSlaPolicies(ctx.em, ctx.scope, input)).map(toSlaPolicyInfo)),

  create: adminProcedure
    .meta({
      openapi: { method: 'POST', path: '/sla/policies', tags: ['admin'], summary: 'Add an SLA policy' },
    })
    .input(ZCreateSlaPolicyInput)
    .output(ZSlaPolicy)
    .mutation(async ({ ctx, input }) => toSlaPolicyInfo(await createSlaPolicy(ctx.em, ctx.scope, input))),

  update: adminProcedure
    .meta({
      openapi: {
        method: 'PATCH',
        path: '/sla/policies/{id}',
        tags: ['admin'],
        summary: 'Change an SLA policy',
      },
    })
    .input(ZUpdateSlaPolicyInput)
    .output(ZSlaPolicy)
    .mutation(async ({ ctx, input }) => toSlaPolicyInfo(await updateSlaPolicy(ctx.em, ctx.scope, input))),

  delete: adminProcedure
    .meta({
      openapi: {
        method: 'DELETE',
        path: '/sla/policies/{id}',
        tags: ['admin'],
        summary: "Delete an organization's SLA policy (global defaults stay)",
      },
    })
    .input(z.object({ id: ZSlaPolicyId }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteSlaPolicy(ctx.em, ctx.scope, input.id);
      return { ok: true as const };
    }),
});
