import type { EventSubscriber } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Scope } from '../auth/scope.ts';
import type { TicketEvent } from '../tickets/ticket-events.ts';
import {
  MAX_NOTIFICATION_BYTES,
  TICKET_EVENTS_CHANNEL,
  toTicketNotification,
} from './ticket-notification.ts';

// Tells every server process about ticket events (live updates, issue #7) through PostgreSQL NOTIFY,
// announcing a change only once its transaction has committed.
//
// Why not `pg_notify` inside the change's own transaction: PostgreSQL serializes the commits of all
// notifying transactions of a cluster (a global lock held through the commit's WAL flush), so they no
// longer share flushes (group commit). Measured on the 2-core machine with 16 writers: 1,900–2,100
// commits/s without NOTIFY, 370–550 with it (docs/DECISIONS.md, "Live updates"); SPEC §14 asks for
// 500 ticket creations/s on top of the request mix. So the transaction records only its id and the
// event; right after it commits, one statement per batch asks PostgreSQL which of the pending
// transactions committed and NOTIFYs their events, in order. Rolled-back changes are never announced;
// the commit itself no longer waits for anyone.

/** A published event waiting for its transaction's outcome. */
interface Pending {
  /** `pg_current_xact_id()` of the change's transaction. */
  xid: string;
  payload: string;
}

/** The publisher of one database (one ORM): batches events and NOTIFYs those whose change committed. */
interface Publisher {
  enqueue(pending: Pending): void;
  /** Checks the pending events now. */
  check(): void;
  /** Runs on the commit or rollback of a transaction that published: checks the pending events. */
  readonly transactionListener: EventSubscriber;
}

type Connection = ReturnType<EntityManager['getConnection']>;

/** Most events checked and NOTIFYed by one statement. */
const MAX_BATCH = 200;
/** When no commit was heard (a savepoint, another entity manager), the pending events are checked anyway. */
const FALLBACK_CHECK_MS = 20;
const MAX_CHECK_INTERVAL_MS = 250;
/** A database that keeps failing the check loses the pending events rather than growing the queue forever. */
const MAX_FAILURES = 5;

const publishers = new WeakMap<object, Publisher>();

/**
 * Queues a ticket event (the `handlers` entry of ticket-events.ts) to be NOTIFYed on the channel once
 * the transaction of `tx` has committed; dropped if it rolls back.
 */
export async function notifyTicketEvent(tx: EntityManager, scope: Scope, event: TicketEvent): Promise<void> {
  const payload = JSON.stringify(toTicketNotification(scope, event));
  // Ids and small facts only, so this cannot happen; if it ever did, failing the change is better than
  // silently losing its live update.
  if (Buffer.byteLength(payload) > MAX_NOTIFICATION_BYTES) {
    throw new Error(`ticket event notification too large (${Buffer.byteLength(payload)} bytes)`);
  }
  const [row] = await tx.execute<{ xid: string }[]>('select pg_current_xact_id()::text as xid');
  if (!row || !/^\d+$/.test(row.xid)) throw new Error('no transaction id for the ticket event');
  const publisher = publisherOf(tx);
  if (tx.isInTransaction()) {
    // The transaction's entity manager tells of its commit; the subscriber is one object per
    // publisher, so registering it again on the same entity manager changes nothing.
    tx.getEventManager().registerSubscriber(publisher.transactionListener);
    publisher.enqueue({ xid: row.xid, payload });
  } else {
    // Outside a transaction the statement above has committed already.
    publisher.enqueue({ xid: row.xid, payload });
    publisher.check();
  }
}

function publisherOf(tx: EntityManager): Publisher {
  const driver = tx.getDriver();
  let publisher = publishers.get(driver);
  if (!publisher) {
    publisher = createPublisher(driver.getConnection());
    publishers.set(driver, publisher);
  }
  return publisher;
}

function createPublisher(connection: Connection): Publisher {
  let queue: Pending[] = [];
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
    // Pending live updates never keep a process alive.
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
    let waiting: Pending[] = [];
    let failed = false;
    try {
      const statuses = await checkAndNotify(connection, batch);
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

/**
 * One autocommit statement: the status of each pending transaction, and a NOTIFY for each event whose
 * transaction committed (in queue order, delivered when this statement commits). Returns the statuses:
 * 'committed', 'aborted', 'in progress', or null for a transaction too old to know.
 */
async function checkAndNotify(connection: Connection, batch: Pending[]): Promise<Map<string, string | null>> {
  const rows = await connection.execute<{ xid: string; status: string | null }[]>(
    `select p.xid, s.status, case when s.status = 'committed' then pg_notify(?, p.payload)::text end as notified
       from (values ${batch.map(() => '(?, ?)').join(', ')}) as p (xid, payload),
            lateral (select pg_xact_status(p.xid::xid8) as status) as s`,
    [TICKET_EVENTS_CHANNEL, ...batch.flatMap((pending) => [pending.xid, pending.payload])],
    'all',
  );
  return new Map(rows.map((row) => [row.xid, row.status]));
}
