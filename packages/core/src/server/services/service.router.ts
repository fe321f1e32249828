import { z } from 'zod';
import {
  ZCreateServiceInput,
  ZService,
  ZServiceListInput,
  ZUpdateServiceInput,
} from '../../domain/admin/service.schema.ts';
import { t } from '../trpc/init.ts';
import { adminProcedure, signedInProcedure } from '../trpc/procedures.ts';
import { toServiceInfo } from './service.mapper.ts';
import { createService, listServices, updateService } from './service-catalog.service.ts';

/**
 * The service catalogue (SPEC §11 `CRUD /api/v1/services`). Administrators change it; reading is open
 * to everyone signed in, limited to what the caller may file tickets against.
 */
export const serviceRouter = t.router({
  list: signedInProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/services',
        tags: ['services'],
        summary: 'Services the caller may file tickets against',
      },
    })
    .input(ZServiceListInput)
    .output(z.array(ZService))
    .query(async ({ ctx, input }) => (await listServices(ctx.em, ctx.scope, input)).map(toServiceInfo)),

  create: adminProcedure
    .meta({ openapi: { method: 'POST', path: '/services', tags: ['admin'], summary: 'Add a service' } })
    .input(ZCreateServiceInput)
    .output(ZService)
    .mutation(async ({ ctx, input }) => toServiceInfo(await createService(ctx.em, ctx.scope, input))),

  update: adminProcedure
    .meta({
      openapi: { method: 'PATCH', path: '/services/{id}', tags: ['admin'], summary: 'Change a service' },
    })
    .input(ZUpdateServiceInput)
    .output(ZService)
    .mutation(async ({ ctx, input }) => toServiceInfo(await updateService(ctx.em, ctx.scope, input))),
});
