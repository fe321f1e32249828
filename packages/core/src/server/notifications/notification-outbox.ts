import type { EntityManager } from '@mikro-orm/postgresql';
import { type Connection, defineAfterCommit, type PendingItem, type XactStatus } from '../db/after-commit.ts';
import { connectionRows } from '../db/sql.ts';

// The send jobs of the notifications outbox (SPEC §10). A notification row is written in the transaction
// of its cause, so the mail exists exactly when the change committed; its graphile-worker job is added
// after that commit, by the process that made the change, in batches (db/after-commit.ts): add_job sends
// a NOTIFY, and a NOTIFY inside the change's transaction would make every commit of the cluster wait for
// a global lock (docs/DECISIONS.md, "Mail outbox"). The change also writes one `notification_outbox`
// row naming its notifications; the statement that deletes that row adds their jobs, so the rows get
// their jobs exactly once whoever enqueues them. If the process dies between the commit and the enqueue,
// the jobs worker's `mail/sweep` enqueues the outbox rows it left. A mail to every manager travels the
// same way as one `manager_mail` value of the outbox row, written out per manager by its own job
// (manager-mail.ts).

/**
 * The graphile-worker task that sends notifications: its payload names up to `MAX_NOTIFICATIONS_PER_JOB`
 * rows (`{ notificationIds }`), those one after-commit batch or sweep claimed together. One job per
 * batch rather than per mail: `add_jobs` costs PostgreSQL about 0.4 ms per job, and a new ticket mails
 * every manager (docs/PERFORMANCE.md). Each row stays its own delivery: sent rows are skipped when the
 * job runs again, so a retry sends only what failed.
 */
export const SEND_NOTIFICATIONS_TASK = 'mail/send-notifications';

/** The task of one notification per job (`{ notificationId }`), as jobs queued before batching name it. */
export const SEND_NOTIFICATION_TASK = 'mail/send-notification';

/**
 * The graphile-worker task that writes manager mails out (manager-mail.ts): its payload names up to
 * `MAX_NOTIFICATIONS_PER_JOB` `ManagerMail`s that changes recorded in their outbox rows
 * (`{ managerMails }`); for each it inserts one notification per active manager and administrator and
 * adds their send jobs. One job per batch, like the send jobs: `add_jobs` costs about 0.4 ms per job.
 */
export const MANAGER_MAIL_TASK = 'mail/notify-managers';

/** Most notifications one job sends, so a job's run stays short and several workers share a burst. */
export const MAX_NOTIFICATIONS_PER_JOB = 25;

/**
 * Attempts of a mail job. graphile-worker waits exp(min(attempt, 10)) seconds after failed attempt n:
 * attempts 1–9 wait 12,817 s in all (3.6 h), every later one 22,026 s (6.1 h). Thirteen waits (9 + 4)
 * add up to 100,922 s, about 28 h, so 14 attempts keep trying through an SMTP outage of a full day;
 * 13 would stop at 21.9 h.
 */
export const MAIL_MAX_ATTEMPTS = 14;

/** A row older than this without its job was left by a process that died after the commit. */
export const STRANDED_AFTER_MS = 30_000;

/** Most outbox rows (changes) the sweep enqueues per statement. */
const SWEEP_BATCH = 500;

/**
 * The tail of a statement whose CTEs `claimed` (`id`) and `manager_mails` (`mail`, jsonb) return the
 * notifications and the manager mails it just took from the outbox: adds one send job per
 * `MAX_NOTIFICATIONS_PER_JOB` notifications and one manager-mail job per as many manager mails with a
 * single add_jobs call (one NOTIFY), skipped when nothing was claimed. Exposes `added`: the notifications and manager mails
 * claimed (`added`) and the jobs added (`jobs`); the statement must select `jobs`, or PostgreSQL drops
 * the unused column and never adds the jobs. Parameters: the send task, the attempts, the manager-mail
 * task, the attempts (`ADD_JOBS_PARAMS`).
 */
export const ADD_JOBS_SQL = `,
  chunks as (
    select array_agg(numbered.id order by numbered.id) as ids
      from (select claimed.id, (row_number() over (order by claimed.id) - 1) / ${MAX_NOTIFICATIONS_PER_JOB} as chunk
              from claimed) as numbered
     group by numbered.chunk
  ),
  manager_chunks as (
    select json_agg(numbered.mail order by numbered.n) as mails
      from (select manager_mails.mail, row_number() over () - 1 as n
              from manager_mails where manager_mails.mail is not null) as numbered
     group by numbered.n / ${MAX_NOTIFICATIONS_PER_JOB}
  ),
  specs as (
    select array_agg(spec) as specs
      from (select row(?::text, json_build_object('notificationIds', chunks.ids), null, null, ?::smallint,
                       null, null, null)::graphile_worker.job_spec as spec
              from chunks
            union all
            select row(?::text, json_build_object('managerMails', manager_chunks.mails), null, null,
                       ?::smallint, null, null, null)::graphile_worker.job_spec
              from manager_chunks) as all_specs
  ),
  jobs as (
    select count(*) as jobs
      from specs, lateral graphile_worker.add_jobs(specs.specs) as job
     where specs.specs is not null
  ),
  added as (
    select (select count(*) from claimed) + (select count(*) from manager_mails where mail is not null) as added,
           (select jobs from jobs) as jobs
  )`;

/** The parameters of `ADD_JOBS_SQL`, in its order. */
export const ADD_JOBS_PARAMS = [
  SEND_NOTIFICATIONS_TASK,
  MAIL_MAX_ATTEMPTS,
  MANAGER_MAIL_TASK,
  MAIL_MAX_ATTEMPTS,
] as const;

/**
 * A statement that writes the `notification_outbox` row of a change: the notifications CTE `from`
 * returned, and the change's manager mail (null for none); nothing when it has neither, or when CTE
 * `dependsOn` (the change's written row) is empty. Parameters: the outbox row's id, the manager mail.
 */
export function outboxInsertSql(from: string, dependsOn?: string): string {
  return `insert into notification_outbox (id, notification_ids, manager_mail)
     select v.id, coalesce((select array_agg(${from}.id order by ${from}.id) from ${from}), '{}'), v.mail
       from (select ?::uuid as id, ?::jsonb as mail) as v
      where (v.mail is not null or exists (select 1 from ${from}))${
        dependsOn
          ? `
        and exists (select 1 from ${dependsOn})`
          : ''
      }
     returning id`;
}

/** Queues the send jobs of the outbox row written by `tx`'s transaction, to be added once it commits. */
const queueJobs = defineAfterCommit<string>(enqueueCommitted);

/**
 * Adds the send jobs of the notifications of outbox row `outboxId` once the transaction of `em`, which
 * wrote it with `xid` = `pg_current_xact_id()`, has committed (at once if it has); nothing if it rolls
 * back.
 */
export function enqueueAfterCommit(em: EntityManager, xid: string, outboxId: string | null): void {
  if (outboxId) queueJobs(em, xid, outboxId);
}

/**
 * One autocommit statement: for each pending transaction that committed, takes its outbox row and adds
 * the jobs of the notifications it names. A transaction counts as committed only once it is visible to
 * this statement's snapshot: `pg_xact_status` can say 'committed' a moment before the rows can be seen,
 * and a delete that cannot see a row would skip it. Rows taken already (by the sweep) are skipped.
 */
export async function enqueueCommitted(
  connection: Connection,
  batch: PendingItem<string>[],
): Promise<Map<string, XactStatus>> {
  const rows = await connectionRows<{ xid: string; status: XactStatus; added: string }>(
    connection,
    `with pending as (
       select p.xid, p.outbox,
              case when pg_visible_in_snapshot(p.xid::xid8, pg_current_snapshot())
                   then pg_xact_status(p.xid::xid8) else 'in progress' end as status
         from jsonb_to_recordset(?::jsonb) as p (xid text, outbox uuid)
     ),
     taken as (
       delete from notification_outbox as o
        using pending
        where pending.status = 'committed' and o.id = pending.outbox
        returning o.notification_ids, o.manager_mail
     ),
     claimed as (
       select unnest(taken.notification_ids) as id from taken
     ),
     manager_mails as (
       select taken.manager_mail as mail from taken
     )${ADD_JOBS_SQL}
     select pending.xid, pending.status, (select added from added) as added, (select jobs from added) as jobs
       from pending`,
    [
      JSON.stringify(batch.map((pending) => ({ xid: pending.xid, outbox: pending.item }))),
      ...ADD_JOBS_PARAMS,
    ],
  );
  return new Map(rows.map((row) => [row.xid, row.status]));
}

/**
 * Enqueues the notifications and manager mails that committed but never got their jobs (the process
 * that wrote them died before the enqueue), oldest first; run by the jobs worker's `mail/sweep`. Safe
 * beside the after-commit enqueue and other sweeps: each outbox row is taken by one statement only.
 * Returns the number of notifications and manager mails enqueued.
 */
export async function enqueueStrandedNotifications(
  em: EntityManager,
  options: { olderThanMs?: number } = {},
): Promise<number> {
  const olderThanMs = options.olderThanMs ?? STRANDED_AFTER_MS;
  let total = 0;
  for (;;) {
    const [row] = await em.execute<{ candidates: string; added: string }[]>(
      `with candidates as (
         select id from notification_outbox
          where created_at < now() - make_interval(secs => ?::double precision / 1000)
          order by created_at
          limit ?
          for update skip locked
       ),
       taken as (
         delete from notification_outbox as o
           using candidates
          where o.id = candidates.id
          returning o.notification_ids, o.manager_mail
       ),
       claimed as (
         select unnest(taken.notification_ids) as id from taken
       ),
       manager_mails as (
         select taken.manager_mail as mail from taken
       )${ADD_JOBS_SQL}
       select (select count(*) from candidates) as candidates, added, jobs from added`,
      [olderThanMs, SWEEP_BATCH, ...ADD_JOBS_PARAMS],
    );
    total += Number(row?.added ?? 0);
    if (Number(row?.candidates ?? 0) < SWEEP_BATCH) return total;
  }
}
