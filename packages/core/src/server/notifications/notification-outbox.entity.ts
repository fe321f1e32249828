import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdAtColumn, idColumn } from '../db/columns.ts';

/**
 * The notifications one change wrote whose send jobs are not added yet, and its mail to the managers
 * (notification-outbox.ts): one narrow row per change, inserted with the notifications and deleted by
 * the statement that adds their jobs. Scheduling state, like graphile-worker's own jobs: nothing lists it per organization.
 */
export const NotificationOutbox = defineEntity({
  name: 'NotificationOutbox',
  tableName: 'notification_outbox',
  properties: {
    id: idColumn(),
    notificationIds: p.array().columnType('uuid[]'),
    /** The change's mail to every manager (`ManagerMail`, manager-mail.ts), written out by the jobs worker. */
    managerMail: p.json<unknown>().nullable(),
    /** An event whose mail the jobs worker plans (`OutboxMailEvent`, outbox-mail.ts). */
    mailEvent: p.json<unknown>().nullable(),
    createdAt: createdAtColumn(),
  },
  indexes: [{ name: 'notification_outbox_created_index', properties: ['createdAt'] }],
});
export type NotificationOutbox = InferEntity<typeof NotificationOutbox>;
