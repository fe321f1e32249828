import {
  type Config,
  deliverNotification,
  type Logger,
  type MikroORM,
  type SendMail,
} from '@atum-desk/core/server';
import type { Task } from 'graphile-worker';
import { z } from 'zod';

/** The payload names the notification row; the row holds everything else. */
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
 * `mail/send-notification`: sends one notification through SMTP, or writes it to the outbox when
 * SMTP_URL is unset. Idempotent by its row; throws on SMTP failure so graphile-worker retries with
 * back-off (the job was added with MAIL_MAX_ATTEMPTS, about a day of retries).
 */
export function sendNotificationTask(
  orm: MikroORM,
  config: Config,
  logger: Logger,
  send: SendMail | null,
): Task {
  return async (rawPayload, helpers) => {
    const { notificationId } = ZSendNotificationPayload.parse(rawPayload);
    const outcome = await deliverNotification(orm.em.fork(), notificationId, {
      config,
      logger,
      send: send ? (mail) => abortable(send(mail), helpers.abortSignal) : null,
      lastAttempt: helpers.job.attempts >= helpers.job.max_attempts,
    });
    if (outcome === 'missing') logger.warn({ notificationId }, 'no such notification; nothing to send');
  };
}
