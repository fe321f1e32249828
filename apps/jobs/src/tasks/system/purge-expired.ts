import {
  type Logger,
  type MikroORM,
  purgeExpiredRateLimits,
  purgeExpiredSessions,
} from '@atum-desk/core/server';
import type { Task } from 'graphile-worker';

/** `system/purge-expired`, hourly: deletes ended sessions and rate-limit windows, keeping both tables small. */
export function purgeExpiredTask(orm: MikroORM, logger: Logger): Task {
  return async () => {
    const em = orm.em.fork();
    const sessions = await purgeExpiredSessions(em);
    const counters = await purgeExpiredRateLimits(em);
    logger.debug({ sessions, counters }, 'purged expired sessions and rate-limit counters');
  };
}
