import { enqueueStrandedNotifications, type Logger, type MikroORM } from '@atum-desk/core/server';
import type { Task } from 'graphile-worker';

/**
 * `mail/sweep`, every minute: adds the send jobs of notifications whose process died between their
 * commit and their enqueue (core notifications/notification-outbox.ts).
 */
export function sweepMailTask(orm: MikroORM, logger: Logger): Task {
  return async () => {
    const enqueued = await enqueueStrandedNotifications(orm.em.fork());
    if (enqueued > 0) logger.warn({ enqueued }, 'the mail sweep enqueued notifications left without a job');
  };
}
