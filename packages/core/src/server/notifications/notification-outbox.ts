import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows } from '../db/sql.ts';

// The send jobs of the notifications outbox (SPEC §10). A notification row is written in the transaction
// of its cause, so the mail exists exactly when the change committed. The change also writes one
// `notification_outbox` row naming its notifications (and, as its `manager_mail`, a mail to every
// manager, written out per manager by its own job: manager-mail.ts). The jobs worker relays the outbox:
// every few hundred milliseconds one statement takes the committed rows (deleting them) and adds their
// graphile-worker jobs, so each row gets its jobs exactly once whichever worker takes it, and a process
// that dies right after its commit strands nothing. Adding the jobs in the change's transaction would
// make every commit of the cluster wait for a global lock (add_jobs sends a NOTIFY; docs/DECISIONS.md,
// "Mail and CSAT"); adding them in the request's process right after its commit cost a statement per
// batch of requests, most of it add_jobs planning its statements anew (docs/PERFORMANCE.md).

/**
 * The graphile-worker task that sends notifications: its payload names up to `MAX_NOTIFICATIONS_PER_JOB`
 * rows (`{ notificationIds }`), those one relay statement took together. One job per
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

/** Most outbox rows (changes) the relay takes per statement. */
const RELAY_BATCH = 500;

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
 * returned, and the change's manager mail (null for none); nothing when it has neither. Parameters: the
 * outbox row's id, the manager mail.
 */
export function outboxInsertSql(from: string): string {
  return `insert into notification_outbox (id, notification_ids, manager_mail)
     select v.id, coalesce((select array_agg(${from}.id order by ${from}.id) from ${from}), '{}'), v.mail
       from (select ?::uuid as id, ?::jsonb as mail) as v
      where v.mail is not null or exists (select 1 from ${from})
     returning id`;
}

/**
 * Takes the committed outbox rows that name their notifications and manager mail, oldest first, and adds
 * their jobs (rows that record an event are planned first: outbox-mail.ts); part of the jobs worker's
 * outbox step (`relayNotificationOutbox`). Safe beside other workers doing the same: each row is taken
 * by one statement only. Returns the number of notifications and manager mails it enqueued.
 */
export async function relayOutboxJobs(em: EntityManager): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await queryRows<{ candidates: string; added: string }>(
      em,
      `with candidates as (
         select id from notification_outbox
          where mail_event is null
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
      [RELAY_BATCH, ...ADD_JOBS_PARAMS],
    );
    total += Number(row?.added ?? 0);
    if (Number(row?.candidates ?? 0) < RELAY_BATCH) return total;
  }
}
