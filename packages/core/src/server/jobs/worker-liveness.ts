import pg from 'pg';
import type { Logger } from '../logging/logger.ts';

// Crash recovery for graphile-worker. A worker pool locks each job it runs (`locked_by` = the pool's
// id); if its process dies, say by SIGKILL in the middle of an SMTP conversation, graphile-worker
// itself frees those jobs only after four hours. Instead, each live pool holds a session-level
// advisory lock named after its id on a connection of its own. PostgreSQL drops that lock the moment
// the process's connection goes away, however the process ended, so "locked by a pool whose advisory
// lock nobody holds" means "locked by a dead process": any jobs process frees such jobs at start and
// then every few seconds, and they run again at once. The tasks are idempotent, so even a pool wrongly
// judged dead (its connection lost for a moment during a database restart) costs at most a repeat.

/** The first key of our advisory locks: "ATJB", so they are recognisable in pg_locks. */
const LIVENESS_LOCK_SPACE = 0x4154_4a42;

/** A job locked more recently than this is never freed: its pool may still be taking its own lock. */
const GRACE_SECONDS = 5;

/** Default time between two sweeps for jobs of dead pools. */
const DEFAULT_SWEEP_MS = 5_000;

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

export interface WorkerLivenessOptions {
  databaseUrl: string;
  /** The graphile-worker pool id (`workerPool.id`), the value its jobs carry in `locked_by`. */
  poolId: string;
  logger: Logger;
  /** Time between sweeps; default 5 s. */
  sweepEveryMs?: number;
}

export interface WorkerLiveness {
  /** Frees the jobs of dead pools now; resolves to the pools found dead. */
  sweep(): Promise<string[]>;
  /**
   * Call once the runner has stopped: frees whatever this pool still has locked, stops sweeping and
   * releases the pool's lock (by closing its connection).
   */
  stop(): Promise<void>;
}

const SWEEP_SQL = `
  with alive as (
    select l.objid
    from pg_locks as l
    where l.locktype = 'advisory' and l.granted and l.classid = $1::int4::oid and l.objsubid = 2
      and l.database = (select oid from pg_database where datname = current_database())
  ), dead as (
    select locked_by from graphile_worker._private_jobs
    where locked_by is not null and locked_at < now() - make_interval(secs => $2)
      and hashtext(locked_by)::oid not in (select objid from alive)
    union
    select locked_by from graphile_worker._private_job_queues
    where locked_by is not null and locked_at < now() - make_interval(secs => $2)
      and hashtext(locked_by)::oid not in (select objid from alive)
  ), pools as (select array_agg(locked_by) as ids from dead)
  select ids, graphile_worker.force_unlock_workers(ids) from pools where ids is not null`;

/**
 * Holds the liveness lock of `poolId` for as long as this process lives (reconnecting after a lost
 * connection), and frees the jobs of dead pools at once and then periodically.
 */
export async function holdWorkerLiveness(options: WorkerLivenessOptions): Promise<WorkerLiveness> {
  const { logger } = options;
  let client: pg.Client | null = null;
  let stopped = false;
  let reconnectDelay = RECONNECT_MIN_MS;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({
      connectionString: options.databaseUrl,
      application_name: `atum-jobs ${options.poolId}`,
    });
    // A lost connection must not crash the process: note it and connect again.
    next.on('error', (error) => logger.warn({ err: error }, 'jobs liveness connection failed'));
    next.on('end', () => {
      if (client === next) client = null;
      if (!stopped) scheduleReconnect();
    });
    await next.connect();
    await next.query('select pg_advisory_lock($1::int4, hashtext($2))', [
      LIVENESS_LOCK_SPACE,
      options.poolId,
    ]);
    client = next;
    reconnectDelay = RECONNECT_MIN_MS;
  };

  const scheduleReconnect = () => {
    if (stopped || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connect().catch((error: unknown) => {
        logger.warn({ err: error, retryInMs: reconnectDelay }, 'jobs liveness connection not restored yet');
        reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
        scheduleReconnect();
      });
    }, reconnectDelay);
    reconnectTimer.unref();
  };

  const sweep = async (): Promise<string[]> => {
    const current = client;
    if (!current || stopped) return [];
    const result = await current.query<{ ids: string[] }>(SWEEP_SQL, [LIVENESS_LOCK_SPACE, GRACE_SECONDS]);
    const pools = result.rows[0]?.ids ?? [];
    if (pools.length > 0) logger.warn({ pools }, 'released the jobs of jobs processes that died');
    return pools;
  };

  try {
    await connect();
  } catch (error) {
    stopped = true;
    throw error;
  }
  await sweep();
  const timer = setInterval(() => {
    sweep().catch((error: unknown) =>
      logger.warn({ err: error }, 'could not sweep for jobs of dead workers'),
    );
  }, options.sweepEveryMs ?? DEFAULT_SWEEP_MS);
  timer.unref();

  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(reconnectTimer);
      const current = client;
      client = null;
      if (!current) return;
      // graphile-worker 0.18 records a job's completion without awaiting it, so a job that finished
      // just before the runner stopped can be left locked by this pool. Every job of the pool has
      // finished or been released by now: whatever it still locks is free to run again (a finished
      // job then finds its work done; the tasks are idempotent).
      await current
        .query('select graphile_worker.force_unlock_workers(array[$1::text])', [options.poolId])
        .catch((error: unknown) => logger.warn({ err: error }, 'could not release the jobs of this worker'));
      await current.end().catch(() => undefined);
    },
  };
}
