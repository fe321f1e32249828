import type { EntityManager } from '@mikro-orm/postgresql';
import type { Scope } from '../auth/scope.ts';
import {
  type Connection,
  defineAfterCommit,
  type PendingItem,
  transactionIdOf,
  type XactStatus,
} from '../db/after-commit.ts';
import { connectionRows } from '../db/sql.ts';
import type { TicketEvent } from '../tickets/ticket-events.ts';
import {
  MAX_NOTIFICATION_BYTES,
  TICKET_EVENTS_CHANNEL,
  toTicketNotification,
} from './ticket-notification.ts';

// Tells every server process about ticket events (live updates, issue #7) through PostgreSQL NOTIFY,
// announcing a change only once its transaction has committed: a NOTIFY inside the change's transaction
// would serialize the commits of the whole cluster (db/after-commit.ts). Rolled-back changes are never
// announced; the commit itself no longer waits for anyone.

const queueNotification = defineAfterCommit<string>(checkAndNotify);

/**
 * Queues a ticket event (the `handlers` entry of ticket-events.ts) to be NOTIFYed on the channel once
 * the transaction of `tx` has committed; dropped if it rolls back.
 */
export async function notifyTicketEvent(tx: EntityManager, scope: Scope, event: TicketEvent): Promise<void> {
  notifyTicketEventOf(tx, await transactionIdOf(tx), scope, event);
}

/**
 * Queues a ticket event written by the transaction `xid` (`pg_current_xact_id()` of the statement or
 * transaction that wrote it) to be NOTIFYed once that transaction has committed, at once if it has.
 */
export function notifyTicketEventOf(em: EntityManager, xid: string, scope: Scope, event: TicketEvent): void {
  const payload = JSON.stringify(toTicketNotification(scope, event));
  // Ids and small facts only, so this cannot happen; if it ever did, failing the change is better than
  // silently losing its live update.
  if (Buffer.byteLength(payload) > MAX_NOTIFICATION_BYTES) {
    throw new Error(`ticket event notification too large (${Buffer.byteLength(payload)} bytes)`);
  }
  queueNotification(em, xid, payload);
}

/**
 * One autocommit statement: the status of each pending transaction, and a NOTIFY for each event whose
 * transaction committed (in queue order, delivered when this statement commits). Returns the statuses:
 * 'committed', 'aborted', 'in progress', or null for a transaction too old to know.
 */
async function checkAndNotify(
  connection: Connection,
  batch: PendingItem<string>[],
): Promise<Map<string, XactStatus>> {
  // One statement text for every batch size (the batch as two arrays), so each connection prepares it once.
  const rows = await connectionRows<{ xid: string; status: XactStatus }>(
    connection,
    `select p.xid, s.status, case when s.status = 'committed' then pg_notify(?, p.payload)::text end as notified
       from unnest(?::text[], ?::text[]) as p (xid, payload),
            lateral (select pg_xact_status(p.xid::xid8) as status) as s`,
    [TICKET_EVENTS_CHANNEL, batch.map((pending) => pending.xid), batch.map((pending) => pending.item)],
  );
  return new Map(rows.map((row) => [row.xid, row.status]));
}
