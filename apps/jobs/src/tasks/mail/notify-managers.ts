import { type MikroORM, writeManagerMail, ZNotifyManagersPayload } from '@atum-desk/core/server';
import type { Task } from 'graphile-worker';

/**
 * `mail/notify-managers`: writes out the mails changes recorded for every manager and administrator
 * (core notifications/manager-mail.ts): for each, one notification per manager active now, with their
 * send jobs, in one statement. Running it again writes nothing twice.
 */
export function notifyManagersTask(orm: MikroORM): Task {
  return async (payload) => {
    for (const mail of ZNotifyManagersPayload.parse(payload).managerMails) {
      await writeManagerMail(orm.em.fork(), mail);
    }
  };
}
