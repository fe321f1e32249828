import { type Logger, type MikroORM, relayNotificationOutbox } from '@atum-desk/core/server';

/**
 * How often a jobs worker takes the committed rows of the notifications outbox and adds their jobs:
 * the longest a committed mail waits for its job while the worker runs.
 */
export const OUTBOX_RELAY_INTERVAL_MS = 200;

export interface OutboxRelay {
  /** Stops relaying, after the round in progress (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * Relays the notifications outbox (core notifications/notification-outbox.ts) every `intervalMs`, one
 * round after the other, until stopped. A failing round (the database away) is logged once and tried
 * again on the next tick; its rows stay in the outbox meanwhile.
 */
export function startOutboxRelay(
  orm: MikroORM,
  logger: Logger,
  intervalMs = OUTBOX_RELAY_INTERVAL_MS,
): OutboxRelay {
  let stopped = false;
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();

  async function relay(): Promise<void> {
    try {
      const enqueued = await relayNotificationOutbox(orm.em.fork());
      if (enqueued > 0) logger.debug({ enqueued }, 'mail outbox relayed');
      if (failing) logger.info('the mail outbox relay works again');
      failing = false;
    } catch (error) {
      if (!failing) logger.warn({ err: error }, 'the mail outbox relay failed; it tries again');
      failing = true;
    }
  }

  function tick(): void {
    timer = undefined;
    round = relay().then(() => {
      if (stopped) return;
      timer = setTimeout(tick, intervalMs);
      timer.unref();
    });
  }

  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
