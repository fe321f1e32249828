import type { EventSubscriber } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

// Work that must follow a transaction's commit, done by the server process right after it, in batches,
// outside any user transaction: live-update NOTIFYs (realtime/realtime-publisher.ts) and the setting of
// SLA timer jobs (sla/sla-timer-outbox.ts). Mail jobs are added by the jobs worker's outbox relay
// instead (notifications/notification-outbox.ts).
//
// Why not inside the transaction: a NOTIFY (graphile-worker's add_job sends one) makes PostgreSQL take a
// cluster-wide lock at commit and hold it through the WAL flush, so notifying transactions stop sharing
// flushes (group commit) and commit one at a time: measured on the 2-core machine with 16 writers,
// 1,900–3,900 commits/s without NOTIFY, 370–680 with it (docs/DECISIONS.md, "Live updates" and
// "Mail and CSAT"). So the transaction records only its id (`pg_current_xact_id()`) and the item; right
// after a commit, one statement per batch asks PostgreSQL which of the pending transactions committed
// and does the work of theirs, in order. A rolled-back transaction's items are dropped.

/** An item waiting for its transaction's outcome. */
export interface PendingItem<T> {
  /** `pg_current_xact_id()` of the transaction that queued the item. */
  xid: string;
  item: T;
}

/** Status of a transaction as `pg_xact_status` tells it: null when too old to know. */
export type XactStatus = 'committed' | 'aborted' | 'in progress' | null;

/**
 * Does the work of one batch in one autocommit statement, for the items whose transaction committed,
 * and returns the status of every transaction of the batch. Items of a transaction still 'in progress'
 * are tried again later; the others are done (committed) or dropped.
 */
export type AfterCommitWork<T> = (
  connection: Connection,
  batch: PendingItem<T>[],
) => Promise<Map<string, XactStatus>>;

export type Connection = ReturnType<EntityManager['getConnection']>;

/** Queues `item` to be handled once the transaction of `tx` has committed; dropped if it rolls back. */
export type QueueAfterCommit<T> = (tx: EntityManager, xid: string, item: T) => void;

/** The queue of one kind of work on one database (one ORM). */
interface Queue<T> {
  enqueue(pending: PendingItem<T>): void;
  /** Checks the pending items now. */
  check(): void;
  /** Runs on the commit or rollback of a transaction: checks the pending items. */
  readonly transactionListener: EventSubscriber;
}

/** Most items checked by one statement. */
const MAX_BATCH = 200;
/** When no commit was heard (a savepoint, another entity manager), the pending items are checked anyway. */
const FALLBACK_CHECK_MS = 20;
const MAX_CHECK_INTERVAL_MS = 250;
/** A database that keeps failing the check loses the pending items rather than growing the queue forever. */
const MAX_FAILURES = 5;

/**
 * Defines one kind of after-commit work. The returned function queues an item; `xid` must come from
 * `pg_current_xact_id()` run through `tx` (inside a savepoint it still names the top-level transaction).
 */
export function defineAfterCommit<T>(work: AfterCommitWork<T>): QueueAfterCommit<T> {
  const queues = new WeakMap<object, Queue<T>>();
  return (tx, xid, item) => {
    if (!/^\d+$/.test(xid)) throw new Error(`not a transaction id: ${xid}`);
    const driver = tx.getDriver();
    let queue = queues.get(driver);
    if (!queue) {
      queue = createQueue(driver.getConnection(), work);
      queues.set(driver, queue);
    }
    if (tx.isInTransaction()) {
      // The transaction's entity manager tells of its commit; the listener is one object per queue, so
      // registering it again on the same event manager changes nothing.
      tx.getEventManager().registerSubscriber(queue.transactionListener);
      queue.enqueue({ xid, item });
    } else {
      // Outside a transaction the statement that wrote the item has committed already.
      queue.enqueue({ xid, item });
      queue.check();
    }
  };
}

function createQueue<T>(connection: Connection, work: AfterCommitWork<T>): Queue<T> {
  let queue: PendingItem<T>[] = [];
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let idleRounds = 0;
  let failures = 0;

  function schedule(ms: number): void {
    if (timer || running) return;
    timer = setTimeout(() => {
      timer = undefined;
      void check();
    }, ms);
    // Pending items never keep a process alive.
    timer.unref();
  }

  async function check(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return;
    running = true;
    const batch = queue.splice(0, MAX_BATCH);
    let waiting: PendingItem<T>[] = [];
    let failed = false;
    try {
      const statuses = await work(connection, batch);
      failures = 0;
      waiting = batch.filter((pending) => statuses.get(pending.xid) === 'in progress');
      idleRounds = waiting.length === batch.length ? idleRounds + 1 : 0;
    } catch {
      // The pool is closing or the database is away: try again a few times, then let go.
      failed = true;
      failures++;
      waiting = failures >= MAX_FAILURES ? [] : batch;
      idleRounds++;
    } finally {
      running = false;
      queue = [...waiting, ...queue];
    }
    if (!failed && (again || queue.length > waiting.length)) {
      again = false;
      void check();
    } else if (queue.length > 0) {
      schedule(Math.min(MAX_CHECK_INTERVAL_MS, FALLBACK_CHECK_MS * 2 ** idleRounds));
    }
  }

  const wake = () => {
    void check();
  };
  return {
    enqueue(pending) {
      queue.push(pending);
      schedule(FALLBACK_CHECK_MS);
    },
    check: wake,
    transactionListener: { afterTransactionCommit: wake, afterTransactionRollback: wake },
  };
}

/** Transaction ids already known, per transaction (MikroORM's transaction context object). */
const knownTransactionIds = new WeakMap<object, string>();

/**
 * Remembers the id of `tx`'s transaction when a statement of it already returned
 * `pg_current_xact_id()` (the ticket load of a change does), sparing `transactionIdOf` a round trip.
 */
export function rememberTransactionId(tx: EntityManager, xid: string): void {
  const context = tx.getTransactionContext();
  if (context && /^\d+$/.test(xid)) knownTransactionIds.set(context, xid);
}

/** `pg_current_xact_id()` of `tx`'s transaction, asked of the database once per transaction. */
export async function transactionIdOf(tx: EntityManager): Promise<string> {
  const context = tx.getTransactionContext();
  const known = context ? knownTransactionIds.get(context) : undefined;
  if (known) return known;
  const [row] = await tx.execute<{ xid: string }[]>('select pg_current_xact_id()::text as xid');
  if (!row) throw new Error('no transaction id');
  if (context) knownTransactionIds.set(context, row.xid);
  return row.xid;
}
