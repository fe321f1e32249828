import { type MikroORM, writeManagerMail, ZManagerMail } from '@atum-desk/core/server';
import type { Task } from 'graphile-worker';

/**
 * `mail/notify-managers`: writes out the mail a change recorded for every manager and administrator
 * (core notifications/manager-mail.ts): one notification per manager active now, with their send jobs,
 * in one statement. Running it again writes nothing twice.
 */
export function notifyManagersTask(orm: MikroORM): Task {
  return async (payload) => {
    await writeManagerMail(orm.em.fork(), ZManagerMail.parse(payload));
  };
}
