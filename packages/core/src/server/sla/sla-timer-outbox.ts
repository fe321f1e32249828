import type { EntityManager } from '@mikro-orm/postgresql';
import type { SlaAlertKind, SlaClockName } from '../../domain/sla/sla-timers.ts';
import { type Connection, defineAfterCommit, type PendingItem, type XactStatus } from '../db/after-commit.ts';
import { connectionRows } from '../db/sql.ts';

// The SLA timer jobs, set after the commit of the change that moved them (docs/DECISIONS.md "SLA").
// graphile-worker's add_job sends a NOTIFY, and a NOTIFY inside the change's transaction makes every
// commit of the cluster wait for one global lock. So the transaction writes the timers it wants to
// `sla_timers` (one row per ticket, clock and alert, only where the wanted time changed), and right
// after the commit one statement per batch claims the rows that wait for their job and sets or removes
// the jobs: one add_jobs call (one NOTIFY) and a remove_job per timer no longer needed. The claim reads
// the row as it is then, so whichever process claims, the job gets the latest committed time; a row is
// claimed once (`enqueued_at`, row-locked). If the process dies between the commit and the claim,
// `sla/sweep` claims the row.

/** The graphile-worker task that checks one alert of one clock. */
export const SLA_CHECK_TASK = 'sla/check-alert';

/** A row older than this without its job was left by a process that died after the commit. */
export const STRANDED_TIMER_AFTER_MS = 30_000;

/** Most rows the sweep claims per statement. */
const SWEEP_BATCH = 500;

/** The job key of a ticket's timer: rescheduling replaces it instead of adding another. */
export function slaTimerKey(ticketId: string, clock: SlaClockName, kind: SlaAlertKind): string {
  return `sla:${ticketId}:${clock}:${kind}`;
}

/** The same key in SQL, over a row of `sla_timers` named `t`. */
const KEY_SQL = `'sla:' || t.ticket_id || ':' || t.clock || ':' || t.kind`;

/** The timer one alert of one clock should have: `runAt` null removes it. */
export interface WantedSlaTimer {
  clock: SlaClockName;
  kind: SlaAlertKind;
  runAt: Date | null;
}

/**
 * The tail of a statement whose CTE `candidates` lists (ticket_id, clock, kind, run_at) of rows locked
 * by it: marks those with a time enqueued and adds their jobs with one add_jobs call (skipped when there
 * are none), deletes those without one and removes their jobs. Exposes `added` and `removed`.
 * Parameter: the task identifier.
 */
const CLAIM_SQL = `,
  claimed as (
    update sla_timers as t set enqueued_at = clock_timestamp()
      from candidates as c
     where t.ticket_id = c.ticket_id and t.clock = c.clock and t.kind = c.kind
       and c.run_at is not null and t.enqueued_at is null
    returning t.ticket_id, t.clock, t.kind, t.run_at
  ),
  cleared as (
    delete from sla_timers as t
     using candidates as c
     where t.ticket_id = c.ticket_id and t.clock = c.clock and t.kind = c.kind
       and c.run_at is null and t.enqueued_at is null
    returning t.ticket_id, t.clock, t.kind
  ),
  specs as (
    select array_agg(
             row(?::text, json_build_object('ticketId', t.ticket_id, 'clock', t.clock, 'kind', t.kind),
                 null, t.run_at, null, ${KEY_SQL}, null, null)::graphile_worker.job_spec
             order by t.ticket_id, t.clock, t.kind) as specs
      from claimed as t
  ),
  added as (
    select count(*) as added
      from specs, lateral graphile_worker.add_jobs(specs.specs) as job
     where specs.specs is not null
  ),
  removed as (
    select count(*) as removed
      from cleared as t, lateral graphile_worker.remove_job(${KEY_SQL}) as job
  )`;

/** Queues the tickets whose timer rows `tx`'s transaction changed, to be claimed once it commits. */
const queueClaims = defineAfterCommit<string>(enqueueCommittedSlaTimers);

/**
 * Records in `tx`'s transaction the timers `ticketId` should have, and has their jobs set or removed
 * once the transaction commits; nothing if it rolls back. Writes only the timers whose time changed
 * (and a removal only where a timer was set), unless `force`: a timer that fired early is set again at
 * the same time. Returns how many rows changed.
 */
export async function storeSlaTimers(
  tx: EntityManager,
  ticketId: string,
  timers: WantedSlaTimer[],
  options: { force?: boolean } = {},
): Promise<number> {
  const { xid, changed } = await writeSlaTimers(tx, ticketId, timers, options);
  if (xid && changed > 0) queueClaims(tx, xid, ticketId);
  return changed;
}

/**
 * The write of `storeSlaTimers` alone, without the claim after the commit (which the sweep then makes):
 * the rows, the transaction id and how many rows changed.
 */
export async function writeSlaTimers(
  tx: EntityManager,
  ticketId: string,
  timers: WantedSlaTimer[],
  options: { force?: boolean } = {},
): Promise<{ xid: string | null; changed: number }> {
  if (timers.length === 0) return { xid: null, changed: 0 };
  const [row] = await tx.execute<{ xid: string; changed: number }[]>(
    `with wanted as (
       select w.clock, w.kind, w.run_at
         from jsonb_to_recordset(?::jsonb) as w (clock text, kind text, run_at timestamptz)
     ),
     changed as (
       insert into sla_timers as t (ticket_id, clock, kind, run_at, enqueued_at, updated_at)
       select ?::uuid, w.clock, w.kind, w.run_at, null, clock_timestamp()
         from wanted as w
        where w.run_at is not null
           or exists (select 1 from sla_timers as e
                       where e.ticket_id = ?::uuid and e.clock = w.clock and e.kind = w.kind
                         and e.run_at is not null)
        order by w.clock, w.kind
       on conflict (ticket_id, clock, kind) do update
          set run_at = excluded.run_at, enqueued_at = null, updated_at = excluded.updated_at
        where t.run_at is distinct from excluded.run_at or ?::boolean
       returning 1
     )
     select pg_current_xact_id()::text as xid, (select count(*) from changed)::int as changed`,
    [
      JSON.stringify(
        timers.map((timer) => ({
          clock: timer.clock,
          kind: timer.kind,
          run_at: timer.runAt ? timer.runAt.toISOString() : null,
        })),
      ),
      ticketId,
      ticketId,
      options.force ?? false,
    ],
  );
  return { xid: row?.xid ?? null, changed: row?.changed ?? 0 };
}

/**
 * One autocommit statement: for each pending transaction that committed (and is visible to this
 * statement's snapshot: `pg_xact_status` can say 'committed' a moment before its rows can be seen),
 * claims the timer rows of its tickets that wait for their job and sets or removes the jobs. Rows are locked in key order, so claims never deadlock
 * one another; a row being changed by a transaction still open is waited for, and then claimed as that
 * transaction left it.
 */
export async function enqueueCommittedSlaTimers(
  connection: Connection,
  batch: PendingItem<string>[],
): Promise<Map<string, XactStatus>> {
  const rows = await connectionRows<{ xid: string; status: XactStatus }>(
    connection,
    `with pending as (
       select p.xid, p.ticket_id,
              case when pg_visible_in_snapshot(p.xid::xid8, pg_current_snapshot())
                   then pg_xact_status(p.xid::xid8) else 'in progress' end as status
         from jsonb_to_recordset(?::jsonb) as p (xid text, ticket_id uuid)
     ),
     candidates as (
       select t.ticket_id, t.clock, t.kind, t.run_at
         from sla_timers as t
        where t.ticket_id in (select ticket_id from pending where status = 'committed')
          and t.enqueued_at is null
        order by t.ticket_id, t.clock, t.kind
          for update of t
     )${CLAIM_SQL}
     select pending.xid, pending.status, (select added from added) as added,
            (select removed from removed) as removed
       from pending`,
    [JSON.stringify(batch.map((pending) => ({ xid: pending.xid, ticket_id: pending.item }))), SLA_CHECK_TASK],
  );
  return new Map(rows.map((row) => [row.xid, row.status]));
}

/**
 * Claims the timer rows that committed but never got their job (the process that wrote them died
 * before the claim), oldest first; run by the jobs worker's `sla/sweep`. Safe beside the after-commit
 * claim and other sweeps: each row is claimed by one statement only. Returns the number of rows claimed.
 */
export async function enqueueStrandedSlaTimers(
  em: EntityManager,
  options: { olderThanMs?: number } = {},
): Promise<number> {
  const olderThanMs = options.olderThanMs ?? STRANDED_TIMER_AFTER_MS;
  let total = 0;
  for (;;) {
    const [row] = await em.execute<{ candidates: string; added: string; removed: string }[]>(
      `with candidates as (
         select t.ticket_id, t.clock, t.kind, t.run_at
           from sla_timers as t
          where t.enqueued_at is null
            and t.updated_at < now() - make_interval(secs => ?::double precision / 1000)
          order by t.updated_at
          limit ?
            for update of t skip locked
       )${CLAIM_SQL}
       select (select count(*) from candidates) as candidates, added, removed from added, removed`,
      [olderThanMs, SWEEP_BATCH, SLA_CHECK_TASK],
    );
    const claimed = Number(row?.added ?? 0) + Number(row?.removed ?? 0);
    total += claimed;
    if (Number(row?.candidates ?? 0) < SWEEP_BATCH) return total;
  }
}
