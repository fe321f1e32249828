import { autoCloseResolvedTickets, type Logger, type MikroORM } from '@atum-desk/core/server';
import type { Task } from 'graphile-worker';

/** `tickets/auto-close`, nightly: closes tickets RESOLVED for longer than the configured days. */
export function autoCloseTask(orm: MikroORM, logger: Logger, afterDays: number): Task {
  return async () => {
    const closed = await autoCloseResolvedTickets(orm.em.fork(), { afterDays, logger });
    if (closed > 0) logger.info({ closed }, 'auto-closed resolved tickets');
  };
}
