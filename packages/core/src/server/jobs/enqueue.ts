import type { EntityManager } from '@mikro-orm/postgresql';

export interface EnqueueOptions {
  /** When to run; default now. */
  runAt?: Date;
  /** Jobs with the same key replace each other (graphile-worker's job_key): a moved timer replaces the old one. */
  jobKey?: string;
  /** With jobKey: 'replace' (default) moves the existing job, 'preserve_run_at' keeps its time. */
  jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe';
  /** Attempts before the job is given up; default 25 (about three days of back-off). */
  maxAttempts?: number;
  /** Jobs of one queue run one after another. */
  queueName?: string;
  priority?: number;
}

/**
 * Adds a graphile-worker job through `em`'s own connection, so inside `em.transactional` it commits or
 * rolls back with the change that caused it (the JS `addJob` would use a connection of its own).
 * Payloads carry ids, never entities.
 */
export async function enqueueJob(
  em: EntityManager,
  taskIdentifier: string,
  payload: Record<string, unknown>,
  options: EnqueueOptions = {},
): Promise<void> {
  await em.execute(
    `select graphile_worker.add_job(
       identifier => ?, payload => ?::json, queue_name => ?, run_at => ?::timestamptz,
       max_attempts => ?, job_key => ?, priority => ?, job_key_mode => ?)`,
    [
      taskIdentifier,
      JSON.stringify(payload),
      options.queueName ?? null,
      options.runAt ? options.runAt.toISOString() : null,
      options.maxAttempts ?? null,
      options.jobKey ?? null,
      options.priority ?? null,
      options.jobKey ? (options.jobKeyMode ?? 'replace') : null,
    ],
  );
}

/** Removes a pending job by its key (a timer that is no longer needed); running jobs finish. */
export async function cancelJob(em: EntityManager, jobKey: string): Promise<void> {
  await em.execute('select graphile_worker.remove_job(?)', [jobKey]);
}
