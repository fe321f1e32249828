import {
  enqueueStrandedSlaTimers,
  type Logger,
  type MikroORM,
  sweepSlaBreaches,
} from '@atum-desk/core/server';
import type { Task } from 'graphile-worker';

/**
 * `sla/sweep`, every minute: sets the timer jobs whose process died between their commit and their
 * enqueue (core sla/sla-timer-outbox.ts), then raises the breaches whose timer went missing.
 */
export function sweepSlaTask(orm: MikroORM, logger: Logger): Task {
  return async () => {
    const enqueued = await enqueueStrandedSlaTimers(orm.em.fork());
    if (enqueued > 0) logger.warn({ enqueued }, 'the SLA sweep set timers left without their job');
    const raised = await sweepSlaBreaches(orm.em.fork());
    if (raised > 0) logger.warn({ raised }, 'the SLA sweep raised breaches their timers had missed');
  };
}
