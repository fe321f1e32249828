import type { FilterQuery } from '@mikro-orm/core';
import { z } from 'zod';
import { ZAuditListInput, ZAuditPage, ZAuditVerification } from '../../domain/audit/audit.schema.ts';
import { decodeCursor, olderThan, toPage } from '../db/keyset.ts';
import { t } from '../trpc/init.ts';
import { adminProcedure, managerProcedure } from '../trpc/procedures.ts';
import { AuditLog } from './audit-log.entity.ts';
import { verifyAuditChains } from './audit-verify.ts';

// The audit log for managers and administrators, who see every organization's rows; customers have no
// route to it. Newest first, keyset paging on (createdAt, id).

export const auditRouter = t.router({
  list: managerProcedure
    .meta({ openapi: { method: 'GET', path: '/audit', tags: ['audit'], summary: 'Audit log entries' } })
    .input(ZAuditListInput)
    .output(ZAuditPage)
    .query(async ({ ctx, input }) => {
      const where: FilterQuery<AuditLog>[] = [];
      if (input.entityType) where.push({ entityType: input.entityType });
      if (input.entityId) where.push({ entityId: input.entityId });
      if (input.actorId) where.push({ actorId: input.actorId });
      if (input.action) where.push({ action: input.action });
      if (input.organizationId) where.push({ organizationId: input.organizationId });
      const after = decodeCursor(input.cursor);
      if (after) where.push(olderThan(after));
      const rows = await ctx.em.find(AuditLog, where.length ? { $and: where } : {}, {
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        limit: input.limit + 1,
      });
      const page = toPage(rows, input.limit);
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((row) => ({
          id: row.id,
          action: row.action,
          actorId: row.actorId ?? null,
          organizationId: row.organizationId ?? null,
          entityType: row.entityType,
          entityId: row.entityId ?? null,
          oldValue: row.oldValue ?? null,
          newValue: row.newValue ?? null,
          ip: row.ip ?? null,
          userAgent: row.userAgent ?? null,
          createdAt: row.createdAt,
        })),
      };
    }),

  verify: adminProcedure
    .meta({
      openapi: { method: 'GET', path: '/audit/verify', tags: ['audit'], summary: 'Verify the hash chains' },
    })
    .input(z.object({ organizationId: z.uuid().optional() }))
    .output(ZAuditVerification)
    .query(({ ctx, input }) =>
      verifyAuditChains(ctx.em, input.organizationId ? { organizationId: input.organizationId } : {}),
    ),
});
