import { checkSlaAlert, type MikroORM, SLA_ALERTS, SLA_CLOCKS } from '@atum-desk/core/server';
import type { Task } from 'graphile-worker';
import { z } from 'zod';

const ZPayload = z.object({
  ticketId: z.uuid(),
  clock: z.enum(SLA_CLOCKS),
  kind: z.enum(SLA_ALERTS),
});

/**
 * `sla/check-alert`: the timer set at a clock's warning or due time. It raises the alert if it is still
 * due (the clock may have been met, paused or moved since; then it does nothing or sets itself again).
 */
export function checkSlaAlertTask(orm: MikroORM): Task {
  return async (payload) => {
    await checkSlaAlert(orm.em.fork(), ZPayload.parse(payload));
  };
}
