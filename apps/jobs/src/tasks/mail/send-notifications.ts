import {
  type Config,
  deliverNotification,
  type Logger,
  MAX_NOTIFICATIONS_PER_JOB,
  type MikroORM,
  type SendMail,
} from '@atum-desk/core/server';
import type { Task } from 'graphile-worker';
import { z } from 'zod';

/** The payload names the notification rows; each row holds everything else. */
export const ZSendNotificationsPayload = z.object({
  notificationIds: z.array(z.uuid()).min(1).max(MAX_NOTIFICATIONS_PER_JOB),
});

/** The payload of a job queued when each job sent one notification. */
export const ZSendNotificationPayload = z.object({ notificationId: z.uuid() });

/** Rejects when the worker is shutting down, so a send stuck on a slow server releases its job. */
function abortable(work: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new Error('the jobs worker is stopping'));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error('the jobs worker is stopping; the mail will be retried'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * `mail/send-notifications`: sends each named notification through SMTP, or writes it to the outbox when
 * SMTP_URL is unset. Idempotent by row: a row sent already is skipped, so when one recipient's server
 * refuses, the others' mails go out now and the job, failing at its end, retries only that one with
 * graphile-worker's back-off (the job was added with MAIL_MAX_ATTEMPTS, about a day of retries).
 */
export function sendNotificationsTask(
  orm: MikroORM,
  config: Config,
  logger: Logger,
  send: SendMail | null,
): Task {
  return async (rawPayload, helpers) => {
    const legacy = ZSendNotificationPayload.safeParse(rawPayload);
    const ids = legacy.success
      ? [legacy.data.notificationId]
      : ZSendNotificationsPayload.parse(rawPayload).notificationIds;
    const lastAttempt = helpers.job.attempts >= helpers.job.max_attempts;
    const failures: unknown[] = [];
    for (const notificationId of ids) {
      if (helpers.abortSignal.aborted)
        throw new Error('the jobs worker is stopping; the mail will be retried');
      try {
        const outcome = await deliverNotification(orm.em.fork(), notificationId, {
          config,
          logger,
          send: send ? (mail) => abortable(send(mail), helpers.abortSignal) : null,
          lastAttempt,
        });
        if (outcome === 'missing') logger.warn({ notificationId }, 'no such notification; nothing to send');
      } catch (error) {
        // Recorded on the row and logged by deliverNotification; the others still go out.
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) {
      throw new AggregateError(failures, `${failures.length} of ${ids.length} mails not sent; will retry`);
    }
  };
}
