import { ZNotificationListInput, ZNotificationPage } from '../../domain/notifications/notification.schema.ts';
import { t } from '../trpc/init.ts';
import { adminProcedure } from '../trpc/procedures.ts';
import { listNotifications, toNotificationInfo } from './notification.service.ts';

// The mail log and outbox for administrators: every notification, newest first, keyset paging on
// (createdAt, id). Mail of every organization, internal notes included, so administrators only.

export const notificationRouter = t.router({
  list: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/notifications',
        tags: ['notifications'],
        summary: 'Mail notifications and the outbox',
      },
    })
    .input(ZNotificationListInput)
    .output(ZNotificationPage)
    .query(async ({ ctx, input }) => {
      const page = await listNotifications(ctx.em, input);
      return { items: page.items.map(toNotificationInfo), nextCursor: page.nextCursor };
    }),
});
