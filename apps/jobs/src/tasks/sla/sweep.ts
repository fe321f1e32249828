import { type Logger, type MikroORM, sweepSlaBreaches } from '@atum-desk/core/server';
import type { Task } from 'graphile-worker';

/** `sla/sweep`, every minute: raises the breaches whose timer went missing. */
export function sweepSlaTask(orm: MikroORM, logger: Logger): Task {
  return async () => {
    const raised = await sweepSlaBreaches(orm.em.fork());
    if (raised > 0) logger.warn({ raised }, 'the SLA sweep raised breaches their timers had missed');
  };
}
